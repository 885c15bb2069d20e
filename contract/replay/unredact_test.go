package replay_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract/replay"
	"github.com/connectorlab/connectorlab/internal/testkit"
	"github.com/connectorlab/connectorlab/recordings"
)

const unredactDef = `{
  "swagger": "2.0", "info": {"title": "Unredact", "version": "1"},
  "host": "u.example.com", "basePath": "/api", "schemes": ["https"],
  "securityDefinitions": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
  "security": [{"key": []}],
  "paths": {"/send": {"post": {
    "operationId": "Send",
    "parameters": [
      {"name": "useToken", "in": "query", "type": "boolean", "required": true},
      {"name": "X-Signature-Mode", "in": "header", "type": "string", "enum": ["fast", "full"], "required": true},
      {"name": "body", "in": "body", "required": true, "schema": {"type": "object", "required": ["Password"], "properties": {
        "Password": {"type": "string", "default": "Password"},
        "IncludeSignature": {"type": "string", "enum": ["Yes", "No"]},
        "max_tokens": {"type": "integer"},
        "items": {"type": "array", "items": {"type": "object", "properties": {"key": {"type": "string", "maxLength": 5}}}},
        "licenseKey": {"type": "string"},
        "note": {"type": "string"}}}}],
    "responses": {"200": {"description": "ok"}}}}}
}`

// TestRedactedValuesReplayedSchemaValid: values redaction replaced with
// placeholders (secret-named fields: a "Signature" enum, "tokens" integers,
// a "key" with a maxLength, a token query flag) go out as values valid for
// their schema, or as the connection's own value of that name, so the
// target answers as it did when recorded (Ant Text Automation, OpenAI,
// Enate and 30 others answered 422 to the placeholders). The redacted
// credential with no connection value to replace it is sent as recorded.
func TestRedactedValuesReplayedSchemaValid(t *testing.T) {
	t.Parallel()
	c, err := connector.Load(context.Background(), testkit.Definition(t, unredactDef))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got *http.Request
	var gotBody map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		got = r
		_ = json.Unmarshal(b, &gotBody)
	}))
	defer srv.Close()
	ph := func(h string) string { return recordings.PlaceholderPrefix + h }
	body := `{"IncludeSignature":"` + ph("1111111111111111") + `","max_tokens":"` + ph("2222222222222222") +
		`","items":[{"key":"` + ph("3333333333333333") + `"}],"licenseKey":"` + ph("4444444444444444") + `","note":"kept",` +
		`"` + ph("8888888888888888") + `":"` + ph("8888888888888888") + `"}` // the password "Password" scrubbed its own key too (Enate)
	x := &recordings.Exchange{ID: 1, OperationID: "Send", Request: recordings.Request{Method: "POST",
		URL: "/api/send?useToken=" + ph("5555555555555555"),
		Message: recordings.Message{Header: http.Header{
			"Content-Type":     {"application/json"},
			"X-Key":            {ph("6666666666666666")},
			"X-Signature-Mode": {ph("7777777777777777")},
		}, Body: []byte(body)}}}
	target, _ := url.Parse(srv.URL)
	res, err := replay.New(c, replay.Options{Target: target, Params: map[string]string{"licenseKey": "from-the-connection"}}).Run(context.Background(), "s", []*recordings.Exchange{x})
	if err != nil || res.Suite.Cases[0].Error != "" {
		t.Fatalf("run: %v %+v", err, res.Suite.Cases)
	}
	mu.Lock()
	defer mu.Unlock()
	if got == nil {
		t.Fatal("nothing reached the target")
	}
	if v := got.URL.Query().Get("useToken"); v != "true" && v != "false" {
		t.Errorf("query useToken = %q, want a boolean", v)
	}
	if v := got.Header.Get("X-Signature-Mode"); v != "fast" && v != "full" {
		t.Errorf("header X-Signature-Mode = %q, want one of its enum", v)
	}
	if v := got.Header.Get("X-Key"); v != ph("6666666666666666") {
		t.Errorf("credential X-Key = %q, want the recorded placeholder (no connection value supplies it)", v)
	}
	if v := gotBody["IncludeSignature"]; v != "Yes" && v != "No" {
		t.Errorf("IncludeSignature = %v, want Yes or No", v)
	}
	if v, ok := gotBody["max_tokens"].(float64); !ok || v != float64(int64(v)) {
		t.Errorf("max_tokens = %#v, want an integer", gotBody["max_tokens"])
	}
	if items, _ := gotBody["items"].([]any); len(items) != 1 {
		t.Errorf("items = %v", gotBody["items"])
	} else if k, _ := items[0].(map[string]any)["key"].(string); k == "" || len(k) > 5 || strings.Contains(k, "REDACTED") {
		t.Errorf("items[0].key = %q, want a string of at most 5", k)
	}
	if v := gotBody["licenseKey"]; v != "from-the-connection" {
		t.Errorf("licenseKey = %v, want the connection's value", v)
	}
	if v, _ := gotBody["Password"].(string); v == "" || strings.Contains(v, "REDACTED") || len(gotBody) != 6 {
		t.Errorf("Password = %q in %v, want the redacted key back under its property with a value", v, gotBody)
	}
	if v := gotBody["note"]; v != "kept" {
		t.Errorf("note = %v, want the recorded value", v)
	}
}

// TestRedactedMultipartFieldReplayedSchemaValid: Oodrive Sign's
// signature_mode, an integer form field of a multipart body, was redacted
// and replayed as the placeholder (422); it goes out as an integer, the
// boundary and the file part as recorded.
func TestRedactedMultipartFieldReplayedSchemaValid(t *testing.T) {
	t.Parallel()
	const def = `{"swagger": "2.0", "info": {"title": "Form", "version": "1"}, "host": "f.example.com", "basePath": "/",
	 "paths": {"/upload": {"post": {"operationId": "Upload", "consumes": ["multipart/form-data"],
	  "parameters": [{"name": "signature_mode", "in": "formData", "type": "integer", "required": true},
	                 {"name": "file", "in": "formData", "type": "file", "required": true}],
	  "responses": {"200": {"description": "ok"}}}}}}`
	c, err := connector.Load(context.Background(), testkit.Definition(t, def))
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		mode, file string
		err        error
	}
	ch := make(chan got, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := r.ParseMultipartForm(1 << 20)
		g := got{err: err}
		if err == nil {
			g.mode = r.FormValue("signature_mode")
			if f, _, ferr := r.FormFile("file"); ferr == nil {
				b, _ := io.ReadAll(f)
				g.file = string(b)
			}
		}
		ch <- g
	}))
	defer srv.Close()
	const boundary = "b0undary"
	body := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"signature_mode\"\r\n\r\n" + recordings.PlaceholderPrefix + "23a16ab27ee83f53\r\n" +
		"--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1\r\n" +
		"--" + boundary + "--\r\n"
	x := &recordings.Exchange{ID: 1, OperationID: "Upload", Request: recordings.Request{Method: "POST", URL: "/upload",
		Message: recordings.Message{Header: http.Header{"Content-Type": {"multipart/form-data; boundary=" + boundary}}, Body: []byte(body)}}}
	target, _ := url.Parse(srv.URL)
	if _, err := replay.New(c, replay.Options{Target: target}).Run(context.Background(), "s", []*recordings.Exchange{x}); err != nil {
		t.Fatal(err)
	}
	g := <-ch
	if g.err != nil {
		t.Fatalf("the target could not read the form: %v", g.err)
	}
	if _, err := strconv.Atoi(g.mode); err != nil {
		t.Errorf("signature_mode = %q, want an integer", g.mode)
	}
	if g.file != "%PDF-1" {
		t.Errorf("file part = %q, want it as recorded", g.file)
	}
}
