package recordings_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
)

// TestRedactsAgreesWithRedact pins the name predicate the mock seeds its
// answers by (Redactor.Redacts) to what Redact does: for every name and
// location, the value is replaced exactly when Redacts says so. A copy of
// the rule that drifted from Redact would make a replayed request seed a
// different answer than the recorded one (issue 12).
func TestRedactsAgreesWithRedact(t *testing.T) {
	t.Parallel()
	r := recordings.NewRedactor([]byte("k"), recordings.DefaultRules(),
		recordings.Rules{Headers: []string{"X-Tenant"}, Query: []string{"tenant"}, Fields: []string{"pin"}, Keep: []string{"code"}})
	cases := []struct {
		in, name string
		want     bool
	}{
		{recordings.InHeader, "Authorization", true},
		{recordings.InHeader, "API-Key", true},
		{recordings.InHeader, "X-Tenant", true},
		{recordings.InHeader, "Cookie", true},
		{recordings.InHeader, "Accept", false},
		{recordings.InHeader, "X-Idempotency-Key", false},
		{recordings.InQuery, "api_key", true},
		{recordings.InQuery, "SequenceKey", true},
		{recordings.InQuery, "tenant", true},
		{recordings.InQuery, "code", false}, // Keep beats the default list
		{recordings.InQuery, "page", false},
		{recordings.InQuery, "author", false},
		{recordings.InField, "expectedKeys", true},
		{recordings.InField, "flowKey", true},
		{recordings.InField, "pin", true},
		{recordings.InField, "title", false},
		{recordings.InField, "keyword", false},
		{recordings.InField, "signatureType", false}, // kind suffixes: see TestKindNamesAreNotSecrets
		{recordings.InQuery, "oauth_signature_method", false},
		{recordings.InHeader, "X-Auth-Scheme", false},
		{"path", "token", false},
	}
	for _, tc := range cases {
		t.Run(tc.in+"/"+tc.name, func(t *testing.T) {
			t.Parallel()
			if got := r.Redacts(tc.in, tc.name); got != tc.want {
				t.Errorf("Redacts(%q, %q) = %v, want %v", tc.in, tc.name, got, tc.want)
			}
			const v = "value-1234"
			x := &recordings.Exchange{Request: recordings.Request{Method: "POST", URL: "/p/" + v,
				Message: recordings.Message{Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{}`)}}}
			switch tc.in {
			case recordings.InHeader:
				x.Request.Header.Set(tc.name, v)
				x.Request.URL = "/p"
			case recordings.InQuery:
				x.Request.URL = "/p?" + url.Values{tc.name: {v}}.Encode()
			case recordings.InField:
				x.Request.URL = "/p"
				x.Request.Body = []byte(`{"` + tc.name + `":"` + v + `"}`)
			}
			r.Redact(x)
			all := x.Request.URL + string(x.Request.Body) + strings.Join(x.Request.Header.Values(tc.name), "")
			if redacted := !strings.Contains(all, v); redacted != tc.want {
				t.Errorf("Redact replaced the %s %q: %v, Redacts says %v (%s)", tc.in, tc.name, redacted, tc.want, all)
			}
		})
	}
	if r.NamesRedactedField([]byte(`{"title":"a","nested":{"x":1}}`)) {
		t.Error("NamesRedactedField: a body without a secret-named key")
	}
	if !r.NamesRedactedField([]byte(`{"title":"a","nested":{"flowKey":"f"}}`)) {
		t.Error("NamesRedactedField: missed a nested secret-named key")
	}
}

// TestKindNamesAreNotSecrets: Taktikal Core's signatureType ("secondary")
// was redacted by name, and the word was then scrubbed from every other
// field holding it (attachmentType), which a replay cannot send back: the
// mock answered the replay with another optional-field set (issue 12). A
// name ending in a kind word describes a secret and is kept; the secret
// itself still goes.
func TestKindNamesAreNotSecrets(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"signatureType": false, "tokenType": false, "oauth_signature_method": false, "keyFormat": false,
		"authenticationScheme": false, "signatureLocation": false, "passwordMode": false, "privateKeyAlgorithm": false,
		"signature": true, "signatureValue": true, "typeToken": true, "X-Auth-Token": true,
	} {
		if got := recordings.SecretName(name); got != want {
			t.Errorf("SecretName(%q) = %v, want %v", name, got, want)
		}
	}
	r := recordings.NewRedactor([]byte("k"), recordings.DefaultRules())
	x := &recordings.Exchange{Request: recordings.Request{Method: "POST", URL: "/signing", Message: recordings.Message{
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   []byte(`{"signatureType":"secondary","attachmentType":"secondary","signeeKey":"sk-12345678"}`)}}}
	r.Redact(x)
	if got := string(x.Request.Body); !strings.Contains(got, `"attachmentType":"secondary"`) || strings.Contains(got, "sk-12345678") {
		t.Errorf("redacted body %s: want attachmentType kept and signeeKey redacted", got)
	}
}
