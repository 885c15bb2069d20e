package recordings_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
)

// TestIssue11RedactionGapsStructural is issue 11 item 9: each place a
// secret survived the name-list redactor, now covered by the structural
// rule (a name containing token/secret/key/password/auth/session/
// signature/cookie, any case and separator).
func TestIssue11RedactionGapsStructural(t *testing.T) {
	t.Parallel()
	r := recordings.NewRedactor([]byte("0123456789abcdef"), recordings.DefaultRules())
	cases := []struct {
		name   string
		x      recordings.Exchange
		secret string
	}{
		{"location fragment access_token", rs(http.Header{"Location": {"https://app.example.com/cb#access_token=LOCFRAG1secret&token_type=bearer&state=s1"}}, ""), "LOCFRAG1secret"},
		{"relative location fragment", rs(http.Header{"Location": {"/cb#id_token=LOCFRAG2secret"}}, ""), "LOCFRAG2secret"},
		{"Private-Token header", rq(http.Header{"Private-Token": {"PRIVTOKsecret"}}, "", ""), "PRIVTOKsecret"},
		{"X-Api-Token header", rq(http.Header{"X-Api-Token": {"XAPITOKsecret"}}, "", ""), "XAPITOKsecret"},
		{"Api-Token header", rq(http.Header{"Api-Token": {"APITOKsecret"}}, "", ""), "APITOKsecret"},
		{"X-Auth-Key header", rq(http.Header{"X-Auth-Key": {"AUTHKEYsecret"}}, "", ""), "AUTHKEYsecret"},
		{"X-Vault-Token header", rq(http.Header{"X-Vault-Token": {"VAULTsecret"}}, "", ""), "VAULTsecret"},
		{"Authentication header", rq(http.Header{"Authentication": {"Bearer AUTHENTsecret"}}, "", ""), "AUTHENTsecret"},
		{"X-Authorization header", rq(http.Header{"X-Authorization": {"XAUTHZsecret"}}, "", ""), "XAUTHZsecret"},
		{"x_session_id underscore header", rq(http.Header{"X_session_id": {"SESSIDsecret"}}, "", ""), "SESSIDsecret"},
		{"X-Hub-Signature header", rs(http.Header{"X-Hub-Signature-256": {"sha256=HUBSIGsecret"}}, ""), "HUBSIGsecret"},
		{"JSON inside a JSON string", rq(http.Header{"Content-Type": {"application/json"}}, "", `{"payload":"{\"client_secret\":\"NESTEDJSONsecret\",\"n\":1}"}`), "NESTEDJSONsecret"},
		{"JSON inside JSON inside JSON", rq(http.Header{"Content-Type": {"application/json"}}, "", `{"a":"{\"b\":\"{\\\"apiKey\\\":\\\"DEEPJSONsecret\\\"}\"}"}`), "DEEPJSONsecret"},
		{"JSON key by structure", rq(http.Header{"Content-Type": {"application/json"}}, "", `{"vaultToken":"JSONSTRUCTsecret","x":{"my-api-key":"JSONSTRUCT2secret"}}`), "JSONSTRUCTsecret"},
		{"JSON object under a secret key", rq(http.Header{"Content-Type": {"application/json"}}, "", `{"credentials":{"user":"u","pin":"JSONOBJsecret"}}`), "JSONOBJsecret"},
		{"URL in a JSON string", rs(http.Header{"Content-Type": {"application/json"}}, `{"next":"https://api.example.com/p?page=2&access_token=JSONURLsecret"}`), "JSONURLsecret"},
		{"bracketed query key", rq(nil, "https://api.example.com/p?auth[token]=BRACKETsecret&page=1", ""), "BRACKETsecret"},
		{"bracketed escaped query key", rq(nil, "https://api.example.com/p?auth%5Btoken%5D=BRACKET2secret", ""), "BRACKET2secret"},
		{"structural query key", rq(nil, "https://api.example.com/p?x-api-key=QKEYsecret", ""), "QKEYsecret"},
		{"second Set-Cookie pair", rs(http.Header{"Set-Cookie": {"a=1; b=SETCOOKIE2secret; Path=/"}}, ""), "SETCOOKIE2secret"},
		{"nameless Set-Cookie", rs(http.Header{"Set-Cookie": {"NAMELESSCOOKIEsecret; Path=/; HttpOnly"}}, ""), "NAMELESSCOOKIEsecret"},
		{"folded Set-Cookie", rs(http.Header{"Set-Cookie": {"a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT, sid=FOLDEDCOOKIEsecret; Path=/"}}, ""), "FOLDEDCOOKIEsecret"},
		{"Refresh header URL", rs(http.Header{"Refresh": {"0; url=https://app.example.com/next?token=REFRESHsecret"}}, ""), "REFRESHsecret"},
		{"relative Refresh header URL", rs(http.Header{"Refresh": {"5;URL='/next?session=REFRESH2secret'"}}, ""), "REFRESH2secret"},
		{"Link header URL", rs(http.Header{"Link": {`<https://api.example.com/p?page=2&sig=LINKSIGsecret>; rel="next"`}}, ""), "LINKSIGsecret"},
		{"form field by structure", rq(http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, "", "user=bob&user[password]=FORMBRsecret"), "FORMBRsecret"},
		{"form in a text body", rs(http.Header{"Content-Type": {"text/plain"}}, "access_token=TEXTFORMsecret&scope=repo"), "TEXTFORMsecret"},
		{"JWT in an ordinary header", rq(http.Header{"X-Forwarded-Claims": {"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJKV1RzZWNyZXQifQ.c2lnbmF0dXJlc2VjcmV0"}}, "", ""), "eyJzdWIiOiJKV1RzZWNyZXQifQ"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := c.x
			r.Redact(&x)
			if all := dump(&x); strings.Contains(all, c.secret) {
				t.Errorf("secret %q survived: %s", c.secret, all)
			}
		})
	}
}

// TestIssue11RedactionKeepsHarmlessNames: the allow-list keeps names that
// contain a secret-ish word but are not secrets.
func TestIssue11RedactionKeepsHarmlessNames(t *testing.T) {
	t.Parallel()
	r := recordings.NewRedactor([]byte("0123456789abcdef"), recordings.DefaultRules())
	x := rq(http.Header{
		"X-Ms-Client-Request-Id": {"c2b0-rid"}, "Content-Length": {"42"}, "Idempotency-Key": {"idem-1"},
		"Content-Type": {"application/json"}, "Keep-Alive": {"timeout=5"},
	}, "https://api.example.com/p?keyword=shoes&page=2", `{"keyboard":"us","keywords":["a"],"token_type":"Bearer","author":"ann","monkey":"george","authors":["bo"]}`)
	r.Redact(&x)
	all := dump(&x)
	for _, keep := range []string{"c2b0-rid", "42", "idem-1", "timeout=5", "keyword=shoes", `"keyboard":"us"`, `"token_type":"Bearer"`, `"author":"ann"`, `"monkey":"george"`, `"authors":["bo"]`} {
		if !strings.Contains(all, keep) {
			t.Errorf("%q was redacted: %s", keep, all)
		}
	}
}

// TestIssue11RedactionBase64OfSecrets is issue 11 item 1 at the redactor:
// a configured secret (a connection parameter) is scrubbed in its base64
// spellings too, at every alignment inside a longer base64 text.
func TestIssue11RedactionBase64OfSecrets(t *testing.T) {
	t.Parallel()
	pass := "B64pass-Canary-77"
	r := recordings.NewRedactor([]byte("0123456789abcdef"), recordings.DefaultRules(), recordings.Rules{Secrets: []string{pass}})
	for _, prefix := range []string{"", "u:", "us:", "usr:"} {
		echo := base64.StdEncoding.EncodeToString([]byte(prefix + pass))
		x := rs(http.Header{"Content-Type": {"application/json"}}, `{"headers":{"X-Echo":"Basic `+echo+`"}}`)
		r.Redact(&x)
		if all := dump(&x); strings.Contains(all, echo) || containsB64(all, pass) {
			t.Errorf("prefix %q: base64 of the secret survived: %s", prefix, all)
		}
	}
}

// containsB64 reports whether s holds base64 (std or URL alphabet) of
// secret at any of the three alignments.
func containsB64(s, secret string) bool {
	for _, v := range recordings.Base64Spellings(secret) {
		if strings.Contains(s, v) {
			return true
		}
	}
	return false
}

func rq(h http.Header, u, body string) recordings.Exchange {
	if u == "" {
		u = "https://api.example.com/p"
	}
	return recordings.Exchange{Request: recordings.Request{Method: "POST", URL: u, Message: recordings.Message{Header: h, Body: []byte(body)}}}
}

func rs(h http.Header, body string) recordings.Exchange {
	return recordings.Exchange{Request: recordings.Request{Method: "GET", URL: "https://api.example.com/p"},
		Response: recordings.Response{Status: 200, Message: recordings.Message{Header: h, Body: []byte(body)}}}
}

func dump(x *recordings.Exchange) string {
	var b strings.Builder
	b.WriteString(x.Request.URL + "\n" + string(x.Request.Body) + "\n" + string(x.Response.Body) + "\n" + x.Error + "\n")
	for _, h := range []http.Header{x.Request.Header, x.Response.Header} {
		for k, vs := range h {
			b.WriteString(k + ": " + strings.Join(vs, " | ") + "\n")
		}
	}
	for _, n := range x.Notes {
		b.WriteString(n.Message + "\n")
	}
	return b.String()
}

// TestIssue11FurtherRedactionIsLinear (issue 11, further): a body with
// thousands of secret values (a hostile upstream, or a big token list)
// must not make redaction quadratic: the second pass searched for every
// value's spellings one by one (16,000 tokens in a 576 KB body: 2 min 9 s
// of CPU per exchange, and the proxy holds the response until stored).
// Four times the tokens must cost well under sixteen times the time.
func TestIssue11FurtherRedactionIsLinear(t *testing.T) {
	r := recordings.NewRedactor([]byte("0123456789abcdef"), recordings.DefaultRules())
	run := func(n int) time.Duration {
		var b strings.Builder
		b.WriteString("[")
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"token":"value-%08d-abcdefgh","echo":"value-%08d-abcdefgh"}`, i, i)
		}
		b.WriteString("]")
		x := rs(http.Header{"Content-Type": {"application/json"}}, b.String())
		start := time.Now()
		r.Redact(&x)
		d := time.Since(start)
		if strings.Contains(string(x.Response.Body), "value-00000001-abcdefgh") {
			t.Fatalf("an echoed token survived")
		}
		return d
	}
	run(500) // warm up
	small, large := run(2000), run(8000)
	t.Logf("2,000 tokens: %s; 8,000 tokens: %s (ratio %.1f; linear 4, quadratic 16)", small, large, float64(large)/float64(small))
	if large > 10*small && large > 2*time.Second {
		t.Errorf("redaction grows quadratically: %s for 2,000 tokens, %s for 8,000", small, large)
	}
}
