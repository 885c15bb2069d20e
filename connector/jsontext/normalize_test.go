package jsontext_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/connector/jsontext"
)

// at is a repair as the tests spell it: "id@line:col".
func at(id string, line, col int) string { return fmt.Sprintf("%s@%d:%d", id, line, col) }

func repairsAt(rs []jsontext.Repair) []string {
	var out []string
	for _, r := range rs {
		out = append(out, at(r.ID, r.Line, r.Col))
	}
	return out
}

func TestNormalizeRepairs(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string   // strict output
		repairs []string // id@line:col
		msg     string   // substring of the first repair's message
	}{
		{
			name:    "BOM",
			in:      "\xEF\xBB\xBF{\"a\": 1}",
			want:    `{"a": 1}`,
			repairs: []string{at(jsontext.RepairBOM, 1, 1)},
		},
		{
			name:    "TrailingCommaObject",
			in:      "{\n  \"a\": 1,\n}",
			want:    "{\n  \"a\": 1\n}",
			repairs: []string{at(jsontext.RepairTrailingComma, 2, 9)},
			msg:     "before '}'",
		},
		{
			name:    "TrailingCommaArray",
			in:      "[1, 2, ]",
			want:    "[1, 2 ]",
			repairs: []string{at(jsontext.RepairTrailingComma, 1, 6)},
			msg:     "before ']'",
		},
		{
			name:    "TrailingCommaBeforeComment",
			in:      "[1, /* c */ ]",
			want:    "[1   ]",
			repairs: []string{at(jsontext.RepairTrailingComma, 1, 3), at(jsontext.RepairComment, 1, 5)},
		},
		{
			name:    "MissingCommaBetweenMembers",
			in:      "{\n  \"a\": \"x\"\n  \"b\": 2\n}",
			want:    "{\n  \"a\": \"x\",\n  \"b\": 2\n}",
			repairs: []string{at(jsontext.RepairMissingComma, 2, 11)},
			msg:     `before the key "b" at line 3, column 3`,
		},
		{
			name:    "MissingCommaAfterObject",
			in:      "{\"a\": {}\n\"b\": []}",
			want:    "{\"a\": {},\n\"b\": []}",
			repairs: []string{at(jsontext.RepairMissingComma, 1, 9)},
		},
		{
			name:    "MissingCommaBetweenElements",
			in:      "[{\"a\": 1}\n {\"a\": 2} 3]",
			want:    "[{\"a\": 1},\n {\"a\": 2}, 3]",
			repairs: []string{at(jsontext.RepairMissingComma, 1, 10), at(jsontext.RepairMissingComma, 2, 10)},
		},
		{
			name:    "MissingCommaAfterRepairedSpace",
			in:      "[1\u2003\"x\"]",
			want:    "[1, \"x\"]",
			repairs: []string{at(jsontext.RepairUnicodeSpace, 1, 3), at(jsontext.RepairMissingComma, 1, 3)},
		},
		{
			name:    "ControlCharTab",
			in:      "{\"a\": \"x\ty\"}",
			want:    `{"a": "x\ty"}`,
			repairs: []string{at(jsontext.RepairControlChar, 1, 9)},
			msg:     "TAB",
		},
		{
			name:    "ControlCharsCountedPerString",
			in:      "{\"a\": \"l1\nl2\r\nl3\x01\"}",
			want:    `{"a": "l1\nl2\r\nl3\u0001"}`,
			repairs: []string{at(jsontext.RepairControlChar, 1, 10)},
			msg:     "escaped 4 raw control characters",
		},
		{
			name:    "EmSpaceIndent",
			in:      "{\n\u2003\u2003\"a\": 1}",
			want:    "{\n \"a\": 1}",
			repairs: []string{at(jsontext.RepairUnicodeSpace, 2, 1)},
			msg:     "U+2003 EM SPACE",
		},
		{
			name:    "NoBreakSpaceAndFormFeed",
			in:      "{\"a\":\u00a01,\f\"b\": 2}",
			want:    `{"a": 1, "b": 2}`,
			repairs: []string{at(jsontext.RepairUnicodeSpace, 1, 6), at(jsontext.RepairUnicodeSpace, 1, 9)},
		},
		{
			name:    "InnerBOMIsSpace",
			in:      "{\"a\": 1\uFEFF}",
			want:    `{"a": 1 }`,
			repairs: []string{at(jsontext.RepairUnicodeSpace, 1, 8)},
		},
		{
			name:    "Windows1252",
			in:      "{\n\"name\": \"Br\xF8nn\xF8y \x80 \x93q\x94\"}",
			want:    "{\n\"name\": \"Brønnøy € “q”\"}",
			repairs: []string{at(jsontext.RepairNotUTF8, 2, 12)},
			msg:     "decoded 5 byte(s) as Windows-1252 (first: 0xF8 as 'ø')",
		},
		{
			name:    "Windows1252KeepsValidUTF8",
			in:      "[\"é\", \"\xE9\"]",
			want:    `["é", "é"]`,
			repairs: []string{at(jsontext.RepairNotUTF8, 1, 8)},
		},
		{
			name:    "Windows1252NoBreakSpaceOutsideString",
			in:      "[1,\xA02]",
			want:    "[1, 2]",
			repairs: []string{at(jsontext.RepairNotUTF8, 1, 4), at(jsontext.RepairUnicodeSpace, 1, 4)},
		},
		{
			name: "DuplicateKey",
			in:   "{\n  \"a\": 1,\n  \"b\": 2,\n  \"a\": 3\n}",
			want: "{\n  \"a\": 1,\n  \"b\": 2,\n  \"a\": 3\n}",
			repairs: []string{
				at(jsontext.RepairDuplicateKey, 4, 3),
			},
			msg: `duplicate key "a" (first at line 2, column 3); the last value wins`,
		},
		{
			name:    "DuplicateKeyDifferentEscapes",
			in:      `{"a/b": 1, "a\/b": 2, "\u0061\/b": 3}`,
			want:    `{"a/b": 1, "a\/b": 2, "\u0061\/b": 3}`,
			repairs: []string{at(jsontext.RepairDuplicateKey, 1, 12), at(jsontext.RepairDuplicateKey, 1, 23)},
		},
		{
			name:    "DuplicateKeyWindows1252AndEscape",
			in:      "{\"\\u00e9\": 1, \"\xE9\": 2}",
			want:    `{"\u00e9": 1, "é": 2}`,
			repairs: []string{at(jsontext.RepairDuplicateKey, 1, 15), at(jsontext.RepairNotUTF8, 1, 16)},
		},
		{
			name: "DuplicateKeysInLargeObject",
			in:   `{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k3":10,"k9":11}`,
			want: `{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k3":10,"k9":11}`,
			repairs: []string{
				at(jsontext.RepairDuplicateKey, 1, 72),
				at(jsontext.RepairDuplicateKey, 1, 80),
			},
		},
		{
			name:    "SameKeyInSiblingObjectsIsFine",
			in:      `[{"a":1},{"a":2},{"b":{"a":3},"a":4}]`,
			want:    `[{"a":1},{"a":2},{"b":{"a":3},"a":4}]`,
			repairs: nil,
		},
		{
			name:    "LineComment",
			in:      "{\n  // note\n  \"a\": 1\n}",
			want:    "{\n  \n  \"a\": 1\n}",
			repairs: []string{at(jsontext.RepairComment, 2, 3)},
			msg:     "removed a // comment",
		},
		{
			name:    "BlockCommentKeepsTokensApart",
			in:      "[1/* x */\n2]",
			want:    "[1, \n2]",
			repairs: []string{at(jsontext.RepairComment, 1, 3), at(jsontext.RepairMissingComma, 1, 3)},
		},
		{
			name:    "InvalidEscape",
			in:      `{"pattern": "^\d+$"}`,
			want:    `{"pattern": "^\\d+$"}`,
			repairs: []string{at(jsontext.RepairInvalidEscape, 1, 15)},
			msg:     `'\d'`,
		},
		{
			name:    "InvalidUnicodeEscape",
			in:      `["\u12G4"]`,
			want:    `["\\u12G4"]`,
			repairs: []string{at(jsontext.RepairInvalidEscape, 1, 3)},
		},
		{
			name:    "ColumnsCountCharactersNotBytes",
			in:      "{\"é€\": \"x\"\n\"ü\": 1,}",
			want:    "{\"é€\": \"x\",\n\"ü\": 1}",
			repairs: []string{at(jsontext.RepairMissingComma, 1, 11), at(jsontext.RepairTrailingComma, 2, 7)},
		},
		{
			name: "BOMThenRepairsOnLineOne",
			in:   "\xEF\xBB\xBF[1 2,]",
			want: "[1, 2]",
			repairs: []string{
				at(jsontext.RepairBOM, 1, 1),
				at(jsontext.RepairMissingComma, 1, 3),
				at(jsontext.RepairTrailingComma, 1, 5),
			},
		},
		{
			name: "CRLFFile",
			in:   "{\r\n  \"a\": 1,\r\n}\r\n",
			want: "{\r\n  \"a\": 1\r\n}\r\n",
			repairs: []string{
				at(jsontext.RepairTrailingComma, 2, 9),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, repairs, err := jsontext.Normalize([]byte(tt.in), jsontext.Options{})
			if err != nil {
				t.Fatalf("Normalize: %v", err)
			}
			if got := string(out); got != tt.want {
				t.Errorf("out:\n got %q\nwant %q", got, tt.want)
			}
			if !json.Valid(out) {
				t.Errorf("out is not valid JSON: %q", out)
			}
			if got := repairsAt(repairs); !reflect.DeepEqual(got, tt.repairs) {
				t.Errorf("repairs:\n got %v\nwant %v\n(%v)", got, tt.repairs, repairs)
			}
			if tt.msg != "" && len(repairs) > 0 && !strings.Contains(repairs[0].Message, tt.msg) {
				t.Errorf("message %q does not contain %q", repairs[0].Message, tt.msg)
			}
		})
	}
}

func TestNormalizeCleanInputIsUntouched(t *testing.T) {
	for _, in := range []string{
		`{}`, `[]`, `0`, `-1.5e+3`, `"x"`, `true`, ` null `,
		`{"a":[1,{"b":null}],"c":"\u00e9\"\\\/\b\f\n\r\t","d":-0.0E-1}`,
		"{\n\t\"a\": \"é € \U0001F600 \u2028\"\n}\n",
		`{"a":1,"A":2}`,
	} {
		data := []byte(in)
		out, repairs, err := jsontext.Normalize(data, jsontext.Options{})
		if err != nil || len(repairs) > 0 {
			t.Errorf("%q: err %v, repairs %v", in, err, repairs)
			continue
		}
		if len(out) != len(data) || &out[0] != &data[0] {
			t.Errorf("%q: clean input should be returned as is, got %q", in, out)
		}
	}
}

func TestNormalizeCleanInputDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	data := []byte(`{"swagger": "2.0", "paths": {"/a": {"get": {"parameters": [{"name": "x", "in": "query"}]}}}}`)
	allocs := testing.AllocsPerRun(100, func() {
		if _, _, err := jsontext.Normalize(data, jsontext.Options{}); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 0.5 {
		t.Errorf("%.1f allocations per clean call, want 0", allocs)
	}
}

func TestNormalizeBOMOnlyAliasesInput(t *testing.T) {
	data := []byte("\xEF\xBB\xBF{}")
	out, _, err := jsontext.Normalize(data, jsontext.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "{}" || &out[0] != &data[3] {
		t.Errorf("want data[3:], got %q", out)
	}
}

func TestNormalizeRefuses(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		line, col int
		msg       string // substring of Msg
		hint      string // substring of Hint
	}{
		{"Empty", "", 1, 1, "empty input", "empty"},
		{"OnlyComment", "// nothing\n", 2, 1, "empty input", ""},
		{"UnterminatedString", "{\"a\": \"abc", 1, 7, "unterminated string", "closing '\"'"},
		{"Truncated", "{\n  \"a\": [1,\n", 3, 1, "the array opened at line 2, column 8 is not closed (2 brackets are open)", `"]}"`},
		{"TruncatedAfterKey", `{"a"`, 1, 5, "not closed", `"a" has no ':'`},
		{"MismatchedBracket", "{\n  \"k\": [\n    \"a\"\n  },\n  \"x\": 1\n}", 4, 3, "'}' does not match the '[' opened at line 2, column 8", ""},
		{"EmptyArrayMismatch", "[}", 1, 2, "'}' does not match the '['", "close the array with ']'"},
		{"MissingValue", `{"a": }`, 1, 7, `missing value after ':' for key "a"`, "add a value"},
		{"MissingValueComma", `{"a": , "b": 1}`, 1, 7, "missing value", ""},
		{"DoubleCommaArray", `[1,,2]`, 1, 4, "empty", "remove the extra ','"},
		{"DoubleCommaObject", `{"a":1,,"b":2}`, 1, 8, "object member is empty", "remove the extra ','"},
		{"LeadingCommaArray", `[,1]`, 1, 2, "right after '['", ""},
		{"LeadingCommaObject", `{,"a":1}`, 1, 2, "right after '{'", ""},
		{"SingleQuotes", `{"a": 'x'}`, 1, 7, "single-quoted string", "double quotes"},
		{"SingleQuotedKey", `{'a': 1}`, 1, 2, "single-quoted key", ""},
		{"UnquotedKey", `{a: 1}`, 1, 2, `unquoted key "a"`, `"a"`},
		{"PythonLiteral", `{"a": True}`, 1, 7, `unquoted text "True"`, "lowercase"},
		{"NaN", `[NaN]`, 1, 2, `"NaN"`, "no NaN"},
		{"BadLiteral", `[tru]`, 1, 2, `"tru"`, ""},
		{"LeadingZero", `[012]`, 1, 2, `invalid number "012"`, "leading zeros"},
		{"PlusSign", `[+1]`, 1, 2, `invalid number "+1"`, ""},
		{"TrailingDot", `[1.]`, 1, 2, `invalid number "1."`, ""},
		{"Units", `{"w": 12px}`, 1, 7, `invalid number "12px"`, "units"},
		{"MissingColon", `{"a" 1}`, 1, 6, `expected ':' after the key "a"`, "add ':'"},
		{"KeyWithoutValue", `{"a", "b": 1}`, 1, 5, `expected ':' after the key "a"`, "has no value"},
		{"AdjacentValuesNeedSpace", `["a""b"]`, 1, 5, "expected ',' or ']'", "insert ','"},
		{"ObjectValueThenBrace", "{\"a\": 1\n{", 2, 1, "expected ',' or '}' after the value of key \"a\"", "missing before this"},
		{"StringThatIsNotAKey", "{\"a\": \"x\"\n\"y\"}", 2, 1, "expected ',' or '}'", "a ',' is missing"},
		{"UnclosedStringSwallowsLine", "{\"a\": \"x,\n\"b\": 2}", 2, 2, "expected ',' or '}'", "contains a line break"},
		{"RootScalarThenText", `1 2`, 1, 3, "text after the root value", "exactly one"},
		{"RootClosedEarlyUnrecoverable", "{\n  \"a\": {\n    \"b\": 1\n    }\n  },\n  \"c\": 2\n}}", 5, 3,
			"'}' closes the root object here, but more text follows at line 5, column 4 (',')",
			"the '}' at line 4, column 5 is indented differently from line 2"},
		{"ExtraCloserAfterRoot", "{}\n}", 1, 2, "more text follows at line 2, column 1 ('}')", "remove it or the text after it"},
		{"ObjectStartsWhereKeyExpected", "[\n  {\n    \"a\": 1,\n  {\n    \"a\": 2\n  }\n]", 4, 3,
			"'{' cannot start an object member",
			"the object opened at line 2, column 3 is probably missing its closing '}'"},
		{"UnterminatedComment", `[1 /* x`, 1, 4, "unterminated /* comment", "*/"},
		{"UTF16", "\xFF\xFE{\x00}\x00", 1, 1, "UTF-16", "UTF-8"},
		{"NUL", "{\"a\": \x00}", 1, 7, "NUL", "UTF-16"},
		{"StraySlash", `[1 / 2]`, 1, 4, "unexpected '/'", "comments"},
		{"StrayCharacter", "{\"a\": 1 @}", 1, 9, "found '@'", ""},
		{"NonASCIIGarbage", "[1, \u2019x\u2019]", 1, 5, "'’' (U+2019)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := jsontext.Normalize([]byte(tt.in), jsontext.Options{})
			if err == nil {
				t.Fatalf("want an error, got %q", out)
			}
			var se *jsontext.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("want *SyntaxError, got %T: %v", err, err)
			}
			if out != nil {
				t.Errorf("out should be nil on error")
			}
			if se.Line != tt.line || se.Col != tt.col {
				t.Errorf("at %d:%d, want %d:%d (%v)", se.Line, se.Col, tt.line, tt.col, err)
			}
			if !strings.Contains(se.Msg, tt.msg) {
				t.Errorf("msg %q does not contain %q", se.Msg, tt.msg)
			}
			if !strings.Contains(se.Hint, tt.hint) {
				t.Errorf("hint %q does not contain %q", se.Hint, tt.hint)
			}
			if want := fmt.Sprintf("line %d, column %d: %s", se.Line, se.Col, se.Msg); err.Error() != want {
				t.Errorf("Error() = %q, want %q", err.Error(), want)
			}
		})
	}
}

func TestNormalizeErrorOffsetIsInOriginal(t *testing.T) {
	in := []byte("\xEF\xBB\xBF{\"a\": 'x'}")
	_, _, err := jsontext.Normalize(in, jsontext.Options{})
	var se *jsontext.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("want *SyntaxError, got %v", err)
	}
	if in[se.Offset] != '\'' || se.Line != 1 || se.Col != 7 {
		t.Errorf("offset %d (%q), at %d:%d", se.Offset, in[se.Offset], se.Line, se.Col)
	}
}

func TestNormalizeRepairsBeforeErrorAreReturned(t *testing.T) {
	_, repairs, err := jsontext.Normalize([]byte("[1,]\n}"), jsontext.Options{})
	if err == nil || len(repairs) != 1 || repairs[0].ID != jsontext.RepairTrailingComma {
		t.Errorf("err %v, repairs %v", err, repairs)
	}
}

func TestNormalizeDepth(t *testing.T) {
	deep := func(n int) []byte {
		return []byte(strings.Repeat("[", n) + strings.Repeat("]", n))
	}
	if _, _, err := jsontext.Normalize(deep(128), jsontext.Options{}); err != nil {
		t.Errorf("depth 128 at the default limit: %v", err)
	}
	_, _, err := jsontext.Normalize(deep(129), jsontext.Options{})
	var de *jsontext.DepthError
	if !errors.As(err, &de) {
		t.Fatalf("depth 129: want *DepthError, got %v", err)
	}
	if de.Line != 1 || de.Col != 129 || de.Depth != 129 || de.Limit != 128 {
		t.Errorf("got %+v", de)
	}
	if _, _, err := jsontext.Normalize([]byte(`{"a":{"b":[{}]}}`), jsontext.Options{MaxDepth: 3}); !errors.As(err, &de) || de.Depth != 4 || de.Col != 12 {
		t.Errorf("MaxDepth 3: got %v", err)
	}
	// The limit holds before anything else is looked at: a million brackets
	// fail fast instead of building a million frames.
	if _, _, err := jsontext.Normalize(bytes.Repeat([]byte("{\"a\":"), 1_000_000), jsontext.Options{}); !errors.As(err, &de) {
		t.Errorf("huge nesting: got %v", err)
	}
}

// TestNormalizeMatchesDecoder checks that a repaired document decodes to
// what its author meant.
func TestNormalizeMatchesDecoder(t *testing.T) {
	in := "\xEF\xBB\xBF{\n  // comment\n  \"a\": [1, 2,],\n  \"b\": \"t\tab\"\n  \"c\":\u2003{\"d\": \"\xE9\"},\n  \"c\": {\"d\": \"x\"}\n}"
	out, _, err := jsontext.Normalize([]byte(in), jsontext.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"a": []any{1.0, 2.0}, "b": "t\tab", "c": map[string]any{"d": "x"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestRepairString(t *testing.T) {
	r := jsontext.Repair{ID: jsontext.RepairBOM, Line: 1, Col: 1, Message: "removed"}
	if got, want := r.String(), "line 1, column 1: json-bom: removed"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestNormalizeManyRepairsOnOneLine guards against positions costing the
// length of the line each: minified input with 100k repairs once took
// minutes.
func TestNormalizeManyRepairsOnOneLine(t *testing.T) {
	for name, in := range map[string]string{
		"DuplicateKeys":  "{" + strings.Repeat(`"a":1,`, 100_000) + `"a":1}`,
		"MissingCommas":  "[" + strings.Repeat("1 ", 100_000) + "1]",
		"TrailingCommas": "[" + strings.Repeat("[1,/**/],", 50_000) + "1]",
		"ControlChars":   "[" + strings.Repeat("\"\t\",", 100_000) + "1]",
		"UnicodeSpaces":  "[" + strings.Repeat("1,\u2003", 100_000) + "1]",
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			out, repairs, err := jsontext.Normalize([]byte(in), jsontext.Options{})
			if err != nil || !json.Valid(out) || len(repairs) < 100_000 {
				t.Fatalf("err %v, valid %v, %d repairs", err, json.Valid(out), len(repairs))
			}
			if last := repairs[len(repairs)-1]; last.Line != 1 || last.Col < 100_000 {
				t.Errorf("last repair at %d:%d", last.Line, last.Col)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v; positions are no longer linear", d)
			}
		})
	}
}

// TestNormalizeRecoversEarlyRootClose: an extra '}' that closes the root
// early is dropped when indentation names it, and a root '}' followed by
// more members moves to the end, each as one json-extra-bracket repair
// located at the bracket; the rest of the document is kept.
func TestNormalizeRecoversEarlyRootClose(t *testing.T) {
	tests := []struct {
		name, in    string
		line, col   int
		wantKeys    []string
		otherRepair string
	}{
		{"ExtraBracketByIndent", "{\n  \"a\": {\n    \"b\": 1\n    }\n  },\n  \"c\": 2\n}", 4, 5, []string{"a", "c"}, ""},
		{"MembersAfterRoot", "{\n  \"a\": 1\n}\n\"b\": [1]\n", 3, 1, []string{"a", "b"}, jsontext.RepairMissingComma},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, repairs, err := jsontext.Normalize([]byte(tt.in), jsontext.Options{})
			if err != nil {
				t.Fatalf("not recovered: %v", err)
			}
			var v map[string]any
			if err := json.Unmarshal(out, &v); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, out)
			}
			for _, k := range tt.wantKeys {
				if _, ok := v[k]; !ok {
					t.Errorf("key %q lost: %s", k, out)
				}
			}
			var found, other bool
			for _, r := range repairs {
				if r.ID == jsontext.RepairExtraBracket {
					found = true
					if r.Line != tt.line || r.Col != tt.col {
						t.Errorf("repair at %d:%d, want %d:%d", r.Line, r.Col, tt.line, tt.col)
					}
				}
				if r.ID == tt.otherRepair {
					other = true
				}
			}
			if !found {
				t.Errorf("no %s repair: %v", jsontext.RepairExtraBracket, repairs)
			}
			if tt.otherRepair != "" && !other {
				t.Errorf("no %s repair: %v", tt.otherRepair, repairs)
			}
		})
	}
}
