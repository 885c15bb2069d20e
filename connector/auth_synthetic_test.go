package connector

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/internal/corpus"
	"github.com/getkin/kin-openapi/openapi3"
)

// TestAuthSchemeWithoutParameterGetsOne: a set whose security scheme
// demands a credential that no declared connection parameter holds
// (Vonage: basic and connectionParameters {}; Insiders Cloud: oauth2 and
// {}; HubPlanner: an API key and {}) had nowhere to keep it, so record
// added nothing, replay could not refill the redacted Authorization and
// the mock answered 401. The rule now gives every scheme it picks a
// parameter: a declared one when there is one (WPForms' string
// "secretKey", named like the scheme), else a synthetic one. Scrive's
// "basic-auth" set (username/password, no oauthSetting, only an oauth2
// scheme) connects with its parameters: basic, without a scheme.
func TestAuthSchemeWithoutParameterGetsOne(t *testing.T) {
	t.Parallel()
	root := corpus.Root(t)
	type want struct {
		set       int
		kind      AuthKind
		scheme    string
		cred      string // credential parameter(s), "user,pass" for basic
		synthetic string // synthetic parameters, "name:type" joined by ","
	}
	cases := []struct {
		dir  string
		want []want
	}{
		{"certified-connectors/Vonage", []want{{0, AuthBasic, "basic_auth", "username,password", "username:securestring,password:securestring"}}},
		{"certified-connectors/Insiders Cloud", []want{{0, AuthOAuth2, "oauth2-auth", "token", "token:oauthSetting"}}},
		{"certified-connectors/HubPlanner", []want{{0, AuthAPIKey, "API_Key", "api_key", "api_key:securestring"}}},
		{"certified-connectors/WPForms by reenhanced", []want{{0, AuthAPIKey, "secretKey", "secretKey", ""}}},
		{"certified-connectors/Scrive eSign", []want{
			{0, AuthBasic, "", "username,password", ""},
			{1, AuthOAuth2, "oauth2-auth", "token", ""},
		}},
	}
	for _, tc := range cases {
		t.Run(filepath.Base(tc.dir), func(t *testing.T) {
			t.Parallel()
			c, err := Load(context.Background(), filepath.Join(root, tc.dir))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if w.set >= len(c.Auth.Sets) {
					t.Fatalf("%d sets, want set %d", len(c.Auth.Sets), w.set)
				}
				s := c.Auth.Sets[w.set]
				var cred string
				switch {
				case s.Basic != nil:
					cred = s.Basic.UsernameParameter + "," + s.Basic.PasswordParameter
				case s.APIKey != nil:
					cred = s.APIKey.Parameter
				case s.OAuth2 != nil:
					cred = s.OAuth2.Parameter
				}
				var syn []string
				names := map[string]bool{}
				for _, p := range s.Parameters {
					names[p.Name] = true
					if p.Synthetic {
						syn = append(syn, p.Name+":"+p.Type)
						if !p.Required || !strings.Contains(p.Description, "securityDefinitions") {
							t.Errorf("set %d: synthetic %s: required %v, description %q", w.set, p.Name, p.Required, p.Description)
						}
					}
				}
				if s.Kind != w.kind || s.Scheme != w.scheme || cred != w.cred || strings.Join(syn, ",") != w.synthetic {
					t.Errorf("set %d: kind %s scheme %q credential %q synthetic %q; want %s %q %q %q", w.set, s.Kind, s.Scheme, cred, strings.Join(syn, ","), w.kind, w.scheme, w.cred, w.synthetic)
				}
				for _, n := range strings.Split(cred, ",") {
					if !names[n] {
						t.Errorf("set %d: credential parameter %q is not in the set's parameters", w.set, n)
					}
				}
				if len(s.Declared()) != len(s.Parameters)-len(syn) {
					t.Errorf("set %d: Declared() has %d of %d parameters (%d synthetic)", w.set, len(s.Declared()), len(s.Parameters), len(syn))
				}
			}
		})
	}
}

// TestAuthSyntheticParametersStillLinted: the definition is still what it
// is: the lint reports the scheme without a declared parameter, and
// Scrive's basic set that no basic scheme declares.
func TestAuthSyntheticParametersStillLinted(t *testing.T) {
	t.Parallel()
	root := corpus.Root(t)
	for dir, msg := range map[string]string{
		"certified-connectors/Vonage":         "no username/password parameters",
		"certified-connectors/Insiders Cloud": "no oauthSetting parameter",
		"certified-connectors/HubPlanner":     "no securestring parameter",
		"certified-connectors/Scrive eSign":   "declares no basic scheme",
	} {
		c, err := Load(context.Background(), filepath.Join(root, dir))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range Lint(context.Background(), c) {
			if f.ID == "auth-mismatch" && strings.Contains(f.Message, msg) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no auth-mismatch finding saying %q", dir, msg)
		}
	}
}

// TestAuthSyntheticParameterNameIsFree: a synthetic parameter never takes
// the name of a declared one (a string "token" beside an oauth2 scheme
// stays what it is; the access token goes to token_2), and a set beside
// an oauthSetting set does not take the oauth2 scheme.
func TestAuthSyntheticParameterNameIsFree(t *testing.T) {
	t.Parallel()
	doc := &openapi3.T{Components: &openapi3.Components{SecuritySchemes: openapi3.SecuritySchemes{
		"oauth": &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{Type: "oauth2"}},
	}}}
	props := map[string]any{"properties": map[string]any{"connectionParameters": map[string]any{
		"token": map[string]any{"type": "string"},
	}}}
	a := buildAuth(props, doc)
	if s := a.Sets[0]; s.Kind != AuthOAuth2 || s.OAuth2.Parameter != "token_2" || len(s.Parameters) != 2 || s.Parameters[0].Synthetic || !s.Parameters[1].Synthetic {
		t.Errorf("single set: %+v", s)
	}
	sets := map[string]any{"properties": map[string]any{"connectionParameterSets": map[string]any{"values": []any{
		map[string]any{"name": "key", "parameters": map[string]any{"region": map[string]any{"type": "string"}}},
		map[string]any{"name": "oauth", "parameters": map[string]any{"token": map[string]any{"type": "oauthSetting"}}},
	}}}}
	a = buildAuth(sets, doc)
	if s := a.Sets[0]; s.Kind != AuthConnectionParams || s.OAuth2 != nil || len(s.Parameters) != 1 {
		t.Errorf("set beside an oauthSetting set: %+v", s)
	}
	if s := a.Sets[1]; s.Kind != AuthOAuth2 || s.OAuth2.Parameter != "token" || s.Scheme != "oauth" {
		t.Errorf("oauthSetting set: %+v", s)
	}
}

// TestAuthSyntheticCorpusSets pins which dev-corpus sets get synthetic
// parameters (docs/RECORDINGS.md quotes the count): a rule change that
// synthesizes parameters for connectors that declare theirs shows here.
func TestAuthSyntheticCorpusSets(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus sweep skipped in -short mode")
	}
	root, dirs := corpusDirs(t)
	var got []string
	sets := 0
	for _, r := range loadAll(t, root, dirs) {
		if r.c == nil {
			continue
		}
		for _, s := range r.c.Auth.Sets {
			sets++
			var syn []string
			for _, p := range s.Parameters {
				if p.Synthetic {
					syn = append(syn, p.Name)
				}
			}
			if len(syn) > 0 {
				got = append(got, filepath.ToSlash(r.dir)+": "+strings.Join(syn, ","))
			}
		}
	}
	t.Logf("%d of %d sets get synthetic parameters", len(got), sets)
	want := []string{
		"certified-connectors/HubPlanner: api_key",
		"certified-connectors/Insiders Cloud: token",
		"certified-connectors/Vonage: username,password",
		"independent-publisher-connectors/DHL Shipment Tracking: api_key",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("sets with synthetic parameters:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
