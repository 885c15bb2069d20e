package jsontext_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/connectorlab/connectorlab/connector/jsontext"
)

// fuzzCorpusSeeds are real files worth starting from: ones that are broken
// or repaired near their start, so mutations explore the paths real input
// takes.
var fuzzCorpusSeeds = []string{
	"certified-connectors/CognitiveServicesTextAnalytics/apiDefinition.swagger.json",
	"certified-connectors/ZohoSign/apiDefinition.swagger.json",
	"certified-connectors/SigningHub/apiProperties.json",
	"certified-connectors/Shopranos/apiProperties.json",
	"independent-publisher-connectors/De Lijn/apiProperties.json",
	"independent-publisher-connectors/GIPHY/apiDefinition.swagger.json",
	"independent-publisher-connectors/Icon Horse/apiDefinition.swagger.json",
	"independent-publisher-connectors/StabilityAI/apiDefinition.swagger.json",
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"", "{}", "[]", "null", `"x"`, "-0.5e+7", " \n\t ",
		"\xEF\xBB\xBF{\"a\": 1}",
		"{\"a\": 1,}", "[1, 2,]", "[,]", "{,}", "[1,,2]",
		"{\"a\": 1\n\"b\": 2}", "[1\n2]", "[1 \"a\" {} [] true]",
		"{\"a\": \"x\ty\n\"}", "{\"a\": \"\x01\x1f\"}",
		"{\n\u2003\u2003\"a\": 1\u00a0}", "[1,\f2\v]", "[\u200b1\ufeff]",
		"{\"n\": \"Br\xf8nn\xf8y \x80\x9f\"}", "[\xa01]", "[\"\xc3\"]",
		"{\"a\": 1, \"a\": 2, \"\\u0061\": 3}",
		"// c\n{/* d */\"a\": 1 // e\n}", "[1 /* x", "[1 / 2]",
		`{"p": "\d\u12G4\"}`, `["\ud800\udc00\ud800"]`,
		"{\"a\": {\"b\": [1, 2}}", "{\"a\": 1}}", "{\"a\": 1},\n\"b\": 2}",
		"[\n {\"a\": 1,\n {\"a\": 2}\n]", "{\"a\"", "{\"a\":", "[tru]", "[NaN]", "[01]",
		"\xff\xfe{\x00}\x00", strings.Repeat("[", 200), strings.Repeat("{\"a\":[", 70),
	} {
		f.Add([]byte(s))
	}
	if _, err := os.Stat(corpusDir); err == nil {
		for _, rel := range fuzzCorpusSeeds {
			if data, err := os.ReadFile(filepath.Join(corpusDir, rel)); err == nil {
				// Whole files make each new finding take the fuzzer's full
				// minimization time; their first pages carry the same shapes.
				f.Add(data[:min(len(data), 4096)])
			}
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		orig := bytes.Clone(in)
		out, repairs, err := jsontext.Normalize(in, jsontext.Options{})
		if !bytes.Equal(in, orig) {
			t.Fatalf("Normalize modified its input")
		}
		for _, r := range repairs {
			if r.Line < 1 || r.Col < 1 || r.ID == "" || r.Message == "" {
				t.Fatalf("malformed repair %+v", r)
			}
		}
		var se *jsontext.SyntaxError
		var de *jsontext.DepthError
		switch {
		case err == nil:
			if !json.Valid(out) {
				t.Fatalf("output is not valid JSON:\n in %q\nout %q", in, out)
			}
			if !utf8.Valid(out) {
				t.Fatalf("output is not UTF-8: %q", out)
			}
		case errors.As(err, &se):
			if se.Line < 1 || se.Col < 1 || se.Offset < 0 || se.Offset > len(in) || se.Msg == "" || se.Hint == "" {
				t.Fatalf("malformed error %+v", se)
			}
		case errors.As(err, &de):
			if de.Depth <= de.Limit {
				t.Fatalf("depth error below the limit: %+v", de)
			}
		default:
			t.Fatalf("unexpected error type %T: %v", err, err)
		}

		strict := json.Valid(in) && utf8.Valid(in)
		if strict && de == nil {
			// Already strict: only duplicate keys may be reported, and the
			// bytes come back as they were.
			if err != nil {
				t.Fatalf("strict input refused: %v\n%q", err, in)
			}
			if !bytes.Equal(out, in) {
				t.Fatalf("strict input changed:\n in %q\nout %q", in, out)
			}
			for _, r := range repairs {
				if r.ID != jsontext.RepairDuplicateKey {
					t.Fatalf("strict input got repair %v", r)
				}
			}
		}
		if err == nil {
			// Duplicates are judged on decoded keys, as encoding/json sees
			// them in the output.
			got := 0
			for _, r := range repairs {
				if r.ID == jsontext.RepairDuplicateKey {
					got++
				}
			}
			if want := countDuplicates(t, out); got != want {
				t.Fatalf("%d duplicate-key reports, want %d:\n in %q\nout %q", got, want, in, out)
			}
		}

		// The index must find every value encoding/json decodes, including
		// the last of duplicate keys.
		ix := jsontext.NewIndex(in)
		ix.Position("/a/0/b")
		if err != nil {
			return
		}
		var doc any
		dec := json.NewDecoder(bytes.NewReader(out))
		dec.UseNumber() // 1e999 is valid JSON but no float64
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("decode output: %v", err)
		}
		n := 0
		walk(doc, "", func(ptr, _ string, _ any) {
			if n++; n > 200 {
				return
			}
			if _, _, ok := ix.Position(ptr); !ok {
				t.Fatalf("index misses %q in %q", ptr, in)
			}
		})
	})
}

// countDuplicates counts repeated keys per object with encoding/json's own
// tokenizer, as an independent check.
func countDuplicates(t *testing.T, in []byte) int {
	dec := json.NewDecoder(bytes.NewReader(in))
	dec.UseNumber()
	type obj struct {
		keys  map[string]bool
		isObj bool
		key   bool // the next string token in this object is a key
	}
	var stack []*obj
	n := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatalf("tokenize strict input: %v", err)
		}
		var top *obj
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.isObj && top.key {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				continue
			}
			k := tok.(string)
			if top.keys[k] {
				n++
			}
			top.keys[k] = true
			top.key = false
			continue
		}
		if top != nil && top.isObj {
			top.key = true // this token is a value; a key comes next
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{':
				stack = append(stack, &obj{keys: map[string]bool{}, isObj: true, key: true})
			case '[':
				stack = append(stack, &obj{})
			case '}', ']':
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].isObj {
					stack[len(stack)-1].key = true
				}
			}
		}
	}
}

func TestCountDuplicatesHelper(t *testing.T) {
	for in, want := range map[string]int{
		`{}`: 0, `{"a":1,"a":2}`: 1, `{"a":{"a":1},"b":[{"a":1,"a":2}],"a":3}`: 2,
		`[{"x":[],"x":{}},{"x":1}]`: 1,
	} {
		if got := countDuplicates(t, []byte(in)); got != want {
			t.Errorf("%s: got %d, want %d", in, got, want)
		}
	}
}
