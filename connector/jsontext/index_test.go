package jsontext_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/connectorlab/connectorlab/connector/jsontext"
)

func TestIndexPosition(t *testing.T) {
	src := "\xEF\xBB\xBF{\n" + // 1
		"  \"swagger\": \"2.0\",\n" + // 2
		"  \"paths\": {\n" + // 3
		"    \"/pets/{id}\": {\n" + // 4
		"      \"get\": {\"tags\": [\"a\", \"b\",],\n" + // 5 (trailing comma)
		"        \"x~y\": 1\n" + // 6
		"        \"é\": null}\n" + // 7 (missing comma above)
		"    }\n" + // 8
		"  },\n" + // 9
		"  \"dup\": 1,\n" + // 10
		"  \"dup\": {\"in\": \"last\"},\n" + // 11
		"  \"esc\\u0061ped\": true\n" + // 12
		"}\n"
	ix := jsontext.NewIndex([]byte(src))
	tests := []struct {
		pointer   string
		line, col int
		ok        bool
	}{
		{"", 1, 1, true},
		{"/swagger", 2, 3, true},
		{"/paths", 3, 3, true},
		{"/paths/~1pets~1{id}", 4, 5, true},
		{"#/paths/~1pets~1%7Bid%7D/get", 5, 7, true},
		{"/paths/~1pets~1{id}/get/tags", 5, 15, true},
		{"/paths/~1pets~1{id}/get/tags/1", 5, 29, true},
		{"/paths/~1pets~1{id}/get/x~0y", 6, 9, true},
		{"/paths/~1pets~1{id}/get/é", 7, 9, true},
		{"/dup", 11, 3, true},
		{"/dup/in", 11, 11, true},
		{"/escaped", 12, 3, true},
		// Missing: the deepest existing ancestor, ok=false.
		{"/paths/~1pets~1{id}/post", 4, 5, false},
		{"/paths/~1pets~1{id}/get/tags/2", 5, 15, false},
		{"/paths/~1pets~1{id}/get/tags/01", 5, 15, false},
		{"/paths/~1pets~1{id}/get/tags/-1", 5, 15, false},
		{"/paths/~1pets~1{id}/get/tags/+1", 5, 15, false},
		{"/swagger/deeper", 2, 3, false},
		{"/nope/deeper", 1, 1, false},
		{"no-slash", 0, 0, false},
	}
	for _, tt := range tests {
		line, col, ok := ix.Position(tt.pointer)
		if line != tt.line || col != tt.col || ok != tt.ok {
			t.Errorf("Position(%q) = %d:%d %v, want %d:%d %v", tt.pointer, line, col, ok, tt.line, tt.col, tt.ok)
		}
	}
	if line, col, ok := ix.ValuePosition("/dup"); line != 11 || col != 10 || !ok {
		t.Errorf("ValuePosition(/dup) = %d:%d %v, want 11:10 true", line, col, ok)
	}
}

func TestIndexConcurrentFirstUse(t *testing.T) {
	ix := jsontext.NewIndex([]byte(`{"a": [1, {"b": 2}]}`))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if line, col, ok := ix.Position("/a/1/b"); line != 1 || col != 12 || !ok {
				t.Errorf("got %d:%d %v", line, col, ok)
			}
		})
	}
	wg.Wait()
}

// Found by FuzzNormalize: a key with an invalid escape followed by a
// Windows-1252 byte decoded differently in the index than in the output.
func TestIndexInvalidEscapeThenWindows1252Key(t *testing.T) {
	src := []byte("{\"\\\x98\": 0}")
	out, _, err := jsontext.Normalize(src, jsontext.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	for k := range doc {
		if k != "\\\u02dc" {
			t.Errorf("decoded key %q", k)
		}
		if _, _, ok := jsontext.NewIndex(src).Position("/" + escapePointer(k)); !ok {
			t.Errorf("index misses key %q", k)
		}
	}
}

func TestIndexOnRefusedInputCoversThePrefix(t *testing.T) {
	ix := jsontext.NewIndex([]byte("{\n  \"a\": 1,\n  \"b\": [}\n"))
	if line, col, ok := ix.Position("/a"); line != 2 || col != 3 || !ok {
		t.Errorf("/a = %d:%d %v", line, col, ok)
	}
	if line, col, ok := ix.Position("/b/0"); line != 3 || col != 3 || ok {
		t.Errorf("/b/0 = %d:%d %v, want the array at 3:3, false", line, col, ok)
	}
	for _, src := range []string{"", "   ", "}", "\"abc"} {
		if line, col, ok := jsontext.NewIndex([]byte(src)).Position("/x"); ok || line != 0 && src != "\"abc" {
			t.Errorf("%q: got %d:%d %v", src, line, col, ok)
		}
	}
}

// TestIndexCorpus resolves pointers to values of every real file, as
// encoding/json decodes them, and checks the position against the bytes:
// a member's position holds its key, an element's holds its value.
func TestIndexCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("resolves ~180k pointers in a few seconds; TestCorpus covers the corpus in -short")
	}
	files := corpusFiles(t)
	var checked int
	for _, f := range files {
		out, _, err := jsontext.Normalize(f.data, jsontext.Options{})
		if err != nil {
			continue
		}
		var doc any
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatalf("%s: %v", f.rel, err)
		}
		ix := jsontext.NewIndex(f.data)
		lines := strings.Split(string(f.data), "\n")
		n := 0
		walk(doc, "", func(ptr, key string, v any) {
			n++
			if n%7 != 1 { // a deterministic sample keeps the test quick
				return
			}
			checked++
			line, col, ok := ix.Position(ptr)
			if !ok {
				t.Errorf("%s: %q not found (nearest %d:%d)", f.rel, ptr, line, col)
				return
			}
			at := textAt(lines, line, col)
			switch {
			case key != "":
				if !keyStartsWith(key, at) {
					t.Errorf("%s: %q at %d:%d reads %.40q, want key %q", f.rel, ptr, line, col, at, key)
				}
			default:
				if !valueStartsWith(v, at) {
					t.Errorf("%s: %q at %d:%d reads %.40q, want %T", f.rel, ptr, line, col, at, v)
				}
			}
		})
	}
	t.Logf("checked %d pointers", checked)
}

func textAt(lines []string, line, col int) string {
	if line < 1 || line > len(lines) {
		return ""
	}
	s := lines[line-1]
	if line == 1 {
		s = strings.TrimPrefix(s, "\uFEFF")
	}
	for i := 1; i < col && s != ""; i++ {
		_, size := utf8.DecodeRuneInString(s)
		s = s[size:]
	}
	return s
}

// keyStartsWith reports whether at starts with the key token for key; a key
// written with escapes only has to start with '"'.
func keyStartsWith(key, at string) bool {
	if !strings.HasPrefix(at, `"`) {
		return false
	}
	raw, _, _ := strings.Cut(at[1:], `"`)
	if strings.Contains(raw, `\`) {
		return true
	}
	return raw == key
}

func valueStartsWith(v any, at string) bool {
	if at == "" {
		return false
	}
	switch v.(type) {
	case map[string]any:
		return at[0] == '{'
	case []any:
		return at[0] == '['
	case string:
		return at[0] == '"'
	case float64:
		return at[0] == '-' || at[0] >= '0' && at[0] <= '9'
	case bool:
		return strings.HasPrefix(at, "true") || strings.HasPrefix(at, "false")
	case nil:
		return strings.HasPrefix(at, "null")
	}
	return false
}

// walk visits every value under v with its JSON pointer and, for object
// members, its key.
func walk(v any, ptr string, visit func(ptr, key string, v any)) {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := ptr + "/" + escapePointer(k)
			visit(p, k, v[k])
			walk(v[k], p, visit)
		}
	case []any:
		for i, e := range v {
			p := ptr + "/" + strconv.Itoa(i)
			visit(p, "", e)
			walk(e, p, visit)
		}
	}
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func escapePointer(s string) string { return pointerEscaper.Replace(s) }

func ExampleIndex_Position() {
	src := []byte(`{
  "paths": {
    "/pets": {"get": {"operationId": "ListPets"}}
  }
}`)
	ix := jsontext.NewIndex(src)
	line, col, ok := ix.Position("/paths/~1pets/get/operationId")
	fmt.Println(line, col, ok)
	line, col, ok = ix.Position("/paths/~1pets/post")
	fmt.Println(line, col, ok)
	// Output:
	// 3 23 true
	// 3 5 false
}
