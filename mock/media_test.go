package mock

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
)

func newMedia(t *testing.T) *httptest.Server {
	t.Helper()
	c, err := connector.Load(context.Background(), "testdata/media.openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(c, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts
}

func TestMediaTypesAndPrefer(t *testing.T) {
	ts := newMedia(t)
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		header map[string]string
		status int
		ct     string
		check  func(t *testing.T, body []byte)
	}{
		{"json first, first valid example", "GET", "/doc", "", nil, 200, "application/json", func(t *testing.T, b []byte) {
			if string(b) != `{"name":"big","size":100}` {
				t.Errorf("body %s", b)
			}
		}},
		{"named example", "GET", "/doc", "", map[string]string{"Prefer": "example=small"}, 200, "application/json", func(t *testing.T, b []byte) {
			if string(b) != `{"name":"small","size":1}` {
				t.Errorf("body %s", b)
			}
		}},
		{"dynamic skips examples", "GET", "/doc", "", map[string]string{"Prefer": "dynamic=true"}, 200, "application/json", func(t *testing.T, b []byte) {
			var m map[string]any
			if json.Unmarshal(b, &m) != nil || m["name"] == "big" || m["name"] == "small" || m["name"] == nil {
				t.Errorf("body %s", b)
			}
		}},
		{"accept xml", "GET", "/doc", "", map[string]string{"Accept": "application/xml"}, 200, "application/xml", func(t *testing.T, b []byte) {
			var v struct {
				XMLName xml.Name
				Name    string `xml:"name"`
			}
			if err := xml.Unmarshal(b, &v); err != nil || v.XMLName.Local != "doc" || v.Name == "" {
				t.Errorf("xml %v: %s", err, b)
			}
		}},
		{"accept text", "GET", "/doc", "", map[string]string{"Accept": "text/plain;q=0.9, application/json;q=0.1"}, 200, "text/plain", func(t *testing.T, b []byte) {
			if len(b) == 0 || strings.HasPrefix(string(b), "{") {
				t.Errorf("text %q", b)
			}
		}},
		{"prefer 404", "GET", "/doc", "", map[string]string{"Prefer": "code=404"}, 404, "application/json", nil},
		{"pdf", "GET", "/file", "", nil, 200, "application/pdf", func(t *testing.T, b []byte) {
			if !strings.HasPrefix(string(b), "%PDF-") {
				t.Errorf("pdf %q", b)
			}
		}},
		{"text body ok", "POST", "/text", "hey", map[string]string{"Content-Type": "text/plain; charset=utf-8"}, 204, "", nil},
		{"text body too long", "POST", "/text", "too long", map[string]string{"Content-Type": "text/plain"}, 422, "application/problem+json", nil},
		{"cors preflight", "OPTIONS", "/doc", "", map[string]string{"Origin": "http://app.example", "Access-Control-Request-Method": "GET"}, 204, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := do(t, tt.method, ts.URL+tt.path, tt.body, tt.header)
			if a.status != tt.status {
				t.Fatalf("status %d, want %d: %s", a.status, tt.status, a.body)
			}
			if got := a.header.Get("Content-Type"); tt.ct != "" && got != tt.ct {
				t.Errorf("content type %q, want %q", got, tt.ct)
			}
			if tt.check != nil {
				tt.check(t, a.body)
			}
		})
	}
}
