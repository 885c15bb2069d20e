package recordings_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
)

func TestRedactor(t *testing.T) {
	r := recordings.NewRedactor([]byte("0123456789abcdef"), recordings.DefaultRules(),
		recordings.Rules{Headers: []string{"X-Tenant-Secret"}, Patterns: []string{`sk_live_[0-9a-z]+`}, Keep: []string{"code"}, Secrets: []string{"param-secret-value"}})
	x := &recordings.Exchange{
		Request: recordings.Request{Method: "POST", URL: "https://bob:hunter2@api.example.com/p?api_key=AK1&q=ok&sig=S1G&code=FR",
			Message: recordings.Message{
				Header: http.Header{
					"Authorization":   {"Bearer tok-123"},
					"Cookie":          {"sid=abc123; theme=dark"},
					"X-Tenant-Secret": {"tenant-xyz"},
					"Content-Type":    {"application/json"},
					"Accept":          {"application/json"},
				},
				Body: []byte(`{"user":"u","password":"p@ss","nested":{"accessToken":"at-1","list":[{"client_secret":"cs-1"}]},"note":"key sk_live_abc9 and param-secret-value"}`),
			}},
		Response: recordings.Response{Status: 200, Message: recordings.Message{
			Header: http.Header{"Set-Cookie": {"sid=abc123; Path=/; HttpOnly"}, "Location": {"/next?token=T0K"}, "Content-Type": {"application/x-www-form-urlencoded"}},
			Body:   []byte("access_token=AT2&token_type=bearer&refresh_token=RT2"),
		}},
		Error: "Get https://api.example.com/p?api_key=AK1: refused",
	}
	r.Redact(x)
	all := x.Request.URL + x.Error + string(x.Request.Body) + string(x.Response.Body)
	for _, h := range []http.Header{x.Request.Header, x.Response.Header} {
		for _, vs := range h {
			all += strings.Join(vs, " ")
		}
	}
	for _, secret := range []string{"hunter2", "bob", "AK1", "S1G", "tok-123", "abc123", "tenant-xyz", "p@ss", "at-1", "cs-1", "sk_live_abc9", "param-secret-value", "T0K", "AT2", "RT2"} {
		if strings.Contains(all, secret) {
			t.Errorf("secret %q survived redaction", secret)
		}
	}
	for _, keep := range []string{"q=ok", "code=FR", `"user":"u"`, "theme=", "Path=/; HttpOnly", "token_type=bearer", "Bearer REDACTED-", "api.example.com"} {
		if !strings.Contains(all, keep) {
			t.Errorf("%q should have been kept", keep)
		}
	}
	if x.Request.Header.Get("Accept") != "application/json" {
		t.Error("an ordinary header was changed")
	}
	if len(x.Redactions) < 10 {
		t.Errorf("only %d redaction marks", len(x.Redactions))
	}
	// Stable: the same secret gives the same placeholder; redaction is idempotent.
	before := x.Request.URL
	n := len(x.Redactions)
	r.Redact(x)
	if x.Request.URL != before || len(x.Redactions) != n {
		t.Errorf("second redaction changed the exchange: %s (%d → %d marks)", x.Request.URL, n, len(x.Redactions))
	}
	if r.Placeholder("AK1") != recordings.NewRedactor([]byte("0123456789abcdef")).Placeholder("AK1") {
		t.Error("the placeholder is not stable for one key")
	}
	if r.Placeholder("AK1") == recordings.NewRedactor([]byte("another key.....")).Placeholder("AK1") {
		t.Error("the placeholder does not depend on the key")
	}
}

func TestRedactTruncatedJSON(t *testing.T) {
	r := recordings.NewRedactor([]byte("k"), recordings.DefaultRules())
	x := &recordings.Exchange{Response: recordings.Response{Message: recordings.Message{
		Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"items":[1,2],"refresh_token":"abcdefgh`), Truncated: true}}}
	r.Redact(x)
	if strings.Contains(string(x.Response.Body), "abcdefgh") {
		t.Fatalf("secret in a truncated JSON body survived: %s", x.Response.Body)
	}
}

func TestParseRules(t *testing.T) {
	good := `{"schemaVersion":1,"headers":["X-Secret"],"patterns":["ghp_[A-Za-z0-9]{36}"],"keep":["code"]}`
	if r, err := recordings.ParseRules("r.json", []byte(good)); err != nil || r.Headers[0] != "X-Secret" {
		t.Fatalf("good rules: %+v %v", r, err)
	}
	for name, bad := range map[string]string{
		"unknown field": `{"schemaVersion":1,"header":["X"]}`,
		"no version":    `{"headers":["X"]}`,
		"bad pattern":   `{"schemaVersion":1,"patterns":["(("]}`,
		"not json":      `headers: [X]`,
	} {
		if _, err := recordings.ParseRules("r.json", []byte(bad)); err == nil || !strings.Contains(err.Error(), "r.json") {
			t.Errorf("%s: err = %v, want an error naming the file", name, err)
		}
	}
}

func FuzzRedact(f *testing.F) {
	f.Add([]byte(`{"password":"x","a":[{"token":1}]}`), "a=1&password=2")
	f.Add([]byte(`{"a":`), "")
	r := recordings.NewRedactor([]byte("k"), recordings.DefaultRules())
	f.Fuzz(func(t *testing.T, body []byte, q string) {
		x := &recordings.Exchange{Request: recordings.Request{URL: "http://h/p?" + q, Message: recordings.Message{
			Header: http.Header{"Content-Type": {"application/json"}}, Body: body}}}
		r.Redact(x)
		r.Redact(x) // idempotent, never panics
	})
}
