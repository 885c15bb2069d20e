package recordings_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode"

	"github.com/connectorlab/connectorlab/recordings"
)

// Fuzz targets for the redactor (issue 11): whatever the input, Redact
// never panics, is idempotent, and a value planted under a secret name
// never survives. `make test` runs each for a bounded time.

var fuzzRedactor = recordings.NewRedactor([]byte("0123456789abcdef"), recordings.DefaultRules())

// plantable reports whether v is a value a survival check can look for:
// long enough to be scrubbed, printable, no surrounding space, not a
// placeholder, no separators of the syntax it is planted in.
func plantable(v, seps string) bool {
	if len(v) < 6 || len(v) > 200 || strings.TrimSpace(v) != v || strings.ContainsAny(v, seps) || strings.Contains(v, recordings.PlaceholderPrefix) {
		return false
	}
	for _, r := range v {
		if !unicode.IsPrint(r) || r > unicode.MaxASCII {
			return false
		}
	}
	return true
}

func redactTwice(t *testing.T, x *recordings.Exchange) {
	t.Helper()
	fuzzRedactor.Redact(x)
	x.Redactions = nil
	before, _ := json.Marshal(x)
	fuzzRedactor.Redact(x)
	x.Redactions = nil
	after, _ := json.Marshal(x)
	if string(before) != string(after) {
		t.Fatalf("redaction is not idempotent:\n%s\n%s", before, after)
	}
}

func FuzzRedactHeaders(f *testing.F) {
	f.Add("X-Vault-Token", "s.abcdef123456", "Set-Cookie", "a=1; b=secretvalue; Path=/")
	f.Add("Authorization", "Bearer abc.def.ghi", "Cookie", "sid=xyz123456; theme=dark")
	f.Add("x_session_id", "sess-0001-abcd", "Refresh", "0; url=/n?token=abcdefgh")
	f.Add("Private-Token", "glpat-xxxxxxxx", "Location", "/cb#access_token=abcdefgh&state=1")
	f.Fuzz(func(t *testing.T, name, value, other, otherValue string) {
		if !plantable(value, ",;") || !recordings.SecretName(name) || name == "" || strings.ContainsAny(name, "\r\n:") {
			return
		}
		h := http.Header{name: {value}, other: {otherValue}}
		x := &recordings.Exchange{Request: recordings.Request{Method: "GET", URL: "https://h/p", Message: recordings.Message{Header: h}}}
		redactTwice(t, x)
		if got := strings.Join(x.Request.Header[name], ""); strings.Contains(got, value) && name != other {
			t.Fatalf("header %s: %q survived as %q", name, value, got)
		}
	})
}

func FuzzRedactURL(f *testing.F) {
	f.Add("https://u:p@h/p?a=1&auth[token]=abcdefgh#x=1", "api_key", "abcdefgh123")
	f.Add("/rel?x=%zz&token=", "X-Amz-Signature", "0123456789abcdef")
	f.Add("http://h/#access_token=abc&token_type=bearer", "refresh_token", "rt-123456")
	f.Fuzz(func(t *testing.T, raw, key, value string) {
		x := &recordings.Exchange{Request: recordings.Request{Method: "GET", URL: raw},
			Response: recordings.Response{Status: 302, Message: recordings.Message{Header: http.Header{"Location": {raw}}}}}
		redactTwice(t, x)
		if !plantable(value, "") || !recordings.SecretName(key) {
			return
		}
		for _, frag := range []bool{false, true} {
			sep := "?"
			if frag {
				sep = "#"
			}
			u := "https://h/p" + sep + "page=2&" + url.QueryEscape(key) + "=" + url.QueryEscape(value)
			y := &recordings.Exchange{Request: recordings.Request{Method: "GET", URL: u},
				Response: recordings.Response{Status: 302, Message: recordings.Message{Header: http.Header{"Location": {u}}}}}
			redactTwice(t, y)
			for _, got := range []string{y.Request.URL, y.Response.Header.Get("Location")} {
				if strings.Contains(got, url.QueryEscape(value)) && !strings.Contains("https://h/p"+sep+"page=2&"+url.QueryEscape(key)+"=", url.QueryEscape(value)) {
					t.Fatalf("%s=%s survived in %q", key, value, got)
				}
			}
		}
	})
}

func FuzzRedactJSON(f *testing.F) {
	f.Add([]byte(`{"password":"x","a":[{"token":1}],"s":"{\"apiKey\":\"k\"}"}`), "client_secret", "cs-123456")
	f.Add([]byte(`{"a":`), "vaultToken", "hvs.abcdefgh")
	f.Add([]byte(`[{"credentials":{"user":"u","pin":"1234"}},"x"]`), "x-api-key", "k-abcdef")
	f.Fuzz(func(t *testing.T, body []byte, key, value string) {
		x := &recordings.Exchange{Request: recordings.Request{Method: "POST", URL: "https://h/p", Message: recordings.Message{
			Header: http.Header{"Content-Type": {"application/json"}}, Body: body}}}
		redactTwice(t, x)
		if !plantable(value, `"\`) || !recordings.SecretName(key) {
			return
		}
		inner, _ := json.Marshal(map[string]string{key: value})
		doc, _ := json.Marshal(map[string]any{"a": []any{map[string]string{key: value}}, "s": string(inner), "ok": "fine"})
		y := &recordings.Exchange{Response: recordings.Response{Status: 200, Message: recordings.Message{
			Header: http.Header{"Content-Type": {"application/json"}}, Body: doc}}}
		redactTwice(t, y)
		vj, _ := json.Marshal(value)
		if esc := string(vj[1 : len(vj)-1]); strings.Contains(string(y.Response.Body), esc) && !strings.Contains(key, esc) && !strings.Contains(`{"a":[{"":""}],"ok":"fine","s":"{\"\":\"\"}"}`, esc) {
			t.Fatalf("%s: %s survived: %s", key, value, y.Response.Body)
		}
	})
}

func FuzzRedactForm(f *testing.F) {
	f.Add("user=bob&password=hunter22&user[api_key]=k", "client_secret", "cs-abcdef")
	f.Add("a=%zz&=&&token", "Session-Token", "st-123456")
	f.Fuzz(func(t *testing.T, body, key, value string) {
		x := &recordings.Exchange{Request: recordings.Request{Method: "POST", URL: "https://h/p", Message: recordings.Message{
			Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, Body: []byte(body)}}}
		redactTwice(t, x)
		if !plantable(value, "") || !recordings.SecretName(key) {
			return
		}
		form := "user=bob&" + url.QueryEscape(key) + "=" + url.QueryEscape(value) + "&x=1"
		y := &recordings.Exchange{Request: recordings.Request{Method: "POST", URL: "https://h/p", Message: recordings.Message{
			Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, Body: []byte(form)}}}
		redactTwice(t, y)
		if ev := url.QueryEscape(value); strings.Contains(string(y.Request.Body), ev) && !strings.Contains("user=bob&"+url.QueryEscape(key)+"=&x=1", ev) {
			t.Fatalf("form %s=%s survived: %s", key, value, y.Request.Body)
		}
	})
}
