package recordings

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
)

// RulesSchemaVersion is the schemaVersion of a redaction rules file.
const RulesSchemaVersion = 1

// RulesFileName is the per-connector rules file the CLI looks for in a
// connector folder.
const RulesFileName = "connectorlab.redact.json"

// Rules say which values are replaced before an exchange is stored or
// exported. Names compare case-insensitively and ignore '-', '_' and '.',
// so "access_token" also covers "accessToken" and "Access-Token".
type Rules struct {
	// Headers are request and response header names whose values are
	// redacted. Cookie and Set-Cookie keep cookie names and attributes;
	// Authorization keeps its scheme ("Bearer REDACTED-…").
	Headers []string `json:"headers,omitempty"`
	// Query are URL query keys (in the request URL and in Location-like
	// response headers).
	Query []string `json:"query,omitempty"`
	// Fields are JSON object keys (at any depth, both directions) and
	// form fields of application/x-www-form-urlencoded bodies.
	Fields []string `json:"fields,omitempty"`
	// FieldSubstrings redact any JSON/form field whose name contains one of
	// these (opt-in: "auth" would also hit "author").
	FieldSubstrings []string `json:"fieldSubstrings,omitempty"`
	// Patterns are RE2 regular expressions; every match in a URL, header
	// value, body or error message is redacted (e.g. "sk_live_[0-9A-Za-z]+").
	Patterns []string `json:"patterns,omitempty"`
	// Keep lists names the defaults would redact that this connector needs
	// in clear (e.g. a "code" query parameter that is a country code).
	Keep []string `json:"keep,omitempty"`
	// Secrets are literal secret values (connection parameter values) that
	// are scrubbed wherever they appear. Held in memory only.
	Secrets []string `json:"-"`
}

// IsZero reports whether r has no rules (for omitzero).
func (r Rules) IsZero() bool {
	return len(r.Headers) == 0 && len(r.Query) == 0 && len(r.Fields) == 0 && len(r.FieldSubstrings) == 0 &&
		len(r.Patterns) == 0 && len(r.Keep) == 0 && len(r.Secrets) == 0
}

// DefaultRules is the deny-list every store applies on top of the
// structural rule (SecretName): the union of what MockServer, Dev Proxy,
// Chrome's sanitized HAR, OpenTelemetry and Sentry redact, plus the key
// names most used by the connector corpus, plus a JWT pattern.
func DefaultRules() Rules {
	return Rules{
		Headers: []string{
			"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
			"X-API-Key", "API-Key", "apikey", "X-Auth-Token", "X-Session-Token",
			"X-CSRF-Token", "X-XSRF-Token", "Ocp-Apim-Subscription-Key", "X-RapidAPI-Key",
			"WWW-Authenticate", "Proxy-Authenticate", "X-Functions-Key", "X-Goog-Api-Key",
			"X-Amz-Security-Token", "X-Access-Token", "X-Refresh-Token", "X-Client-Secret",
		},
		Query: []string{
			"AWSAccessKeyId", "Signature", "sig", "X-Goog-Signature", "X-Amz-Signature",
			"X-Amz-Credential", "X-Amz-Security-Token", "api_key", "apikey", "key", "token",
			"access_token", "refresh_token", "id_token", "api_token", "code", "subscription-key",
			"secret", "client_secret", "password", "auth_token", "session_token",
		},
		Fields: []string{
			"password", "passwd", "secret", "client_secret", "api_key", "token",
			"access_token", "refresh_token", "id_token", "private_key", "credentials",
			"bearer", "client_assertion", "auth_token", "session_token", "apiSecret",
		},
		// A JSON Web Token is a credential wherever it travels.
		Patterns: []string{`eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`},
	}
}

// Merge returns r with o's rules added.
func (r Rules) Merge(o Rules) Rules {
	return Rules{
		Headers:         union(r.Headers, o.Headers),
		Query:           union(r.Query, o.Query),
		Fields:          union(r.Fields, o.Fields),
		FieldSubstrings: union(r.FieldSubstrings, o.FieldSubstrings),
		Patterns:        union(r.Patterns, o.Patterns),
		Keep:            union(r.Keep, o.Keep),
		Secrets:         union(r.Secrets, o.Secrets),
	}
}

// ConnectorRules are the names a connector declares as credentials: every
// apiKey header or query name, Authorization for basic and OAuth 2.0, and
// the token fields of OAuth 2.0 token responses.
func ConnectorRules(c *connector.Connector) Rules {
	var r Rules
	if c == nil {
		return r
	}
	for _, s := range c.Auth.Sets {
		switch {
		case s.APIKey != nil && s.APIKey.Name != "":
			if strings.EqualFold(s.APIKey.In, "query") {
				r.Query = append(r.Query, s.APIKey.Name)
			} else {
				r.Headers = append(r.Headers, s.APIKey.Name)
			}
		case s.Basic != nil:
			r.Headers = append(r.Headers, "Authorization")
		case s.OAuth2 != nil:
			r.Headers = append(r.Headers, "Authorization")
			r.Fields = append(r.Fields, "access_token", "refresh_token", "id_token", "client_secret", "code")
		}
	}
	if c.Doc != nil && c.Doc.Components != nil {
		for _, ref := range c.Doc.Components.SecuritySchemes {
			if ref == nil || ref.Value == nil || ref.Value.Type != "apiKey" || ref.Value.Name == "" {
				continue
			}
			if strings.EqualFold(ref.Value.In, "query") {
				r.Query = append(r.Query, ref.Value.Name)
			} else {
				r.Headers = append(r.Headers, ref.Value.Name)
			}
		}
	}
	return r.Merge(Rules{})
}

// rulesFile is the on-disk shape of a rules file.
type rulesFile struct {
	SchemaVersion int `json:"schemaVersion"`
	Rules
}

// ParseRules decodes a rules file and checks its patterns. name is used in
// errors.
func ParseRules(name string, data []byte) (Rules, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f rulesFile
	if err := dec.Decode(&f); err != nil {
		return Rules{}, fmt.Errorf("%s: %w (the file is JSON with schemaVersion, headers, query, fields, fieldSubstrings, patterns and keep; see docs/RECORDINGS.md)", name, err)
	}
	if f.SchemaVersion != RulesSchemaVersion {
		return Rules{}, fmt.Errorf("%s: schemaVersion is %d, want %d", name, f.SchemaVersion, RulesSchemaVersion)
	}
	for i, p := range f.Patterns {
		if _, err := regexp.Compile(p); err != nil {
			return Rules{}, fmt.Errorf("%s: patterns[%d] %q is not an RE2 regular expression: %w", name, i, p, err)
		}
	}
	return f.Rules, nil
}

// LoadRules reads a rules file.
func LoadRules(path string) (Rules, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Rules{}, fmt.Errorf("read redaction rules: %w", err)
	}
	return ParseRules(path, data)
}

func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, list := range [][]string{a, b} {
		for _, v := range list {
			if v == "" || seen[v] {
				continue
			}
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

// RulesFor is what a session of connector c should be recorded with: the
// names c declares as credentials (ConnectorRules) plus the rules file —
// path when given, else RulesFileName in the connector's folder when it
// exists. The defaults are added by the store itself.
func RulesFor(c *connector.Connector, path string) (Rules, error) {
	if path == "" && c != nil && c.Files.Dir != "" {
		cand := filepath.Join(c.Files.Dir, RulesFileName)
		if _, err := os.Stat(cand); err == nil {
			path = cand
		}
	}
	var r Rules
	if path != "" {
		var err error
		if r, err = LoadRules(path); err != nil {
			return Rules{}, err
		}
	}
	return r.Merge(ConnectorRules(c)), nil
}

// NameRedactor is the redactor a session of c is recorded with when no
// rules file is named — DefaultRules, the names c declares as credentials
// (ConnectorRules) and the rules file in c's folder — without a key or
// secret values: for asking which names a recording of c hides
// (Redactor.Redacts), not for redacting. A rules file that does not parse
// is left out and its error returned with the redactor of the rest (the
// recorder refuses to start on it and says so).
func NameRedactor(c *connector.Connector) (*Redactor, error) {
	rules, err := RulesFor(c, "")
	if err != nil {
		rules = ConnectorRules(c)
	}
	return NewRedactor(nil, DefaultRules(), rules), err
}
