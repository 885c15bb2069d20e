package create

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/recordings"
)

// FuzzInfer: any URLs and bodies give a document authoring can build, or
// an error; never a panic.
func FuzzInfer(f *testing.F) {
	f.Add("GET", "https://a.example/v1/orders/17?x=1", `{"a":[1,null,{"b":"2024-01-01"}]}`, 200)
	f.Add("POST", "/x//y/%zz/{}", `[`, 0)
	f.Fuzz(func(t *testing.T, method, url, body string, status int) {
		x := &recordings.Exchange{Request: recordings.Request{Method: method, URL: url,
			Message: recordings.Message{Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(body)}},
			Response: recordings.Response{Status: status, Message: recordings.Message{Body: []byte(body)}}}
		inf, err := Infer([]*recordings.Exchange{x, x}, InferOptions{})
		if err != nil {
			return
		}
		_, _ = authoring.Build(&authoring.Source{Doc: inf.Doc, File: "f.har"}, authoring.Options{})
	})
}

// FuzzMockoon: any JSON object that looks like a Mockoon environment
// converts or fails cleanly.
func FuzzMockoon(f *testing.F) {
	f.Add([]byte(`{"lastMigration":32,"routes":[{"method":"get","endpoint":"a/:b","responses":[{"statusCode":200,"body":"{{x}}","rules":[{"target":"query","modifier":"q"}]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var root map[string]any
		if json.Unmarshal(data, &root) != nil || root == nil || !IsMockoon(root) {
			return
		}
		src, err := fromMockoon(root, "m.json")
		if err != nil {
			return
		}
		_, _ = authoring.Build(src, authoring.Options{})
	})
}
