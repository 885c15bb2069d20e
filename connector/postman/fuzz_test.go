package postman

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// FuzzConvert checks that Convert never panics, and that whatever it
// returns without error is a valid OpenAPI document.
func FuzzConvert(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.postman_collection.json"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		``, `null`, `[]`, `{}`, `{"info":{},"item":[]}`,
		collection(`[{"name":"a","request":"{{u}}/:a/{{b}}?c=1&c=2"}]`),
		collection(`[{"name":"a","request":{"url":{"host":[1,"b"],"path":[{"value":":x"}]},"header":"A: b\nC"}}]`),
		collection(`[{"item":[{"name":"x","request":{"method":"post","url":"/a","body":{"mode":"raw","raw":"[{{x}}, 1]"}},"response":[{"code":"200","body":"null"}]}]}]`),
		`{"info":{"name":"x"},"auth":{"type":"oauth2","oauth2":{"grant_type":"implicit"}},"variable":[{"key":"a","value":{"b":1}}],"item":[{"name":"a","request":{"url":"{{a}}/x"}}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		doc, _, err := Convert(data)
		if err != nil {
			return
		}
		if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
			t.Fatalf("converted document does not validate: %v", err)
		}
		if _, err := doc.MarshalJSON(); err != nil {
			t.Fatalf("marshal: %v", err)
		}
	})
}
