package connector

import (
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// AuthKind classifies how a client authenticates to the connector's API.
type AuthKind string

// Auth kinds. ConnectionParams means connection parameters exist (used by
// policies such as dynamichosturl) but no credential scheme is declared.
const (
	AuthNone             AuthKind = "none"
	AuthAPIKey           AuthKind = "apiKey"
	AuthBasic            AuthKind = "basic"
	AuthOAuth2           AuthKind = "oauth2"
	AuthConnectionParams AuthKind = "connectionParameters"
)

// Auth is the connector's authentication, reconciled from apiProperties.json
// and securityDefinitions. A connector with connectionParameterSets has one
// AuthSet per set; otherwise it has exactly one.
type Auth struct {
	Kind AuthKind  `json:"kind"` // kind of the first set
	Sets []AuthSet `json:"sets"`
}

// AuthSet is one way to connect.
type AuthSet struct {
	Name        string                `json:"name,omitempty"`
	DisplayName string                `json:"displayName,omitempty"`
	Kind        AuthKind              `json:"kind"`
	APIKey      *APIKeyAuth           `json:"apiKey,omitempty"`
	Basic       *BasicAuth            `json:"basic,omitempty"`
	OAuth2      *OAuth2Auth           `json:"oauth2,omitempty"`
	Parameters  []ConnectionParameter `json:"parameters,omitempty"`
	// Scheme is the securityDefinitions entry this set maps to, if any.
	Scheme string `json:"scheme,omitempty"`
}

// APIKeyAuth is an API key sent in a header or query parameter.
type APIKeyAuth struct {
	In        string `json:"in"` // header | query
	Name      string `json:"name"`
	Parameter string `json:"parameter,omitempty"` // connection parameter holding the key
}

// BasicAuth is HTTP basic authentication.
type BasicAuth struct {
	UsernameParameter string `json:"usernameParameter,omitempty"`
	PasswordParameter string `json:"passwordParameter,omitempty"`
}

// OAuth2Auth is OAuth 2.0 with an identity provider.
type OAuth2Auth struct {
	IdentityProvider string            `json:"identityProvider,omitempty"`
	ClientID         string            `json:"clientId,omitempty"`
	Flow             string            `json:"flow,omitempty"`
	AuthorizationURL string            `json:"authorizationUrl,omitempty"`
	TokenURL         string            `json:"tokenUrl,omitempty"`
	RefreshURL       string            `json:"refreshUrl,omitempty"`
	Scopes           []string          `json:"scopes,omitempty"`
	RedirectMode     string            `json:"redirectMode,omitempty"`
	RedirectURL      string            `json:"redirectUrl,omitempty"`
	CustomParameters map[string]string `json:"customParameters,omitempty"`
	Parameter        string            `json:"parameter,omitempty"`
}

// ConnectionParameter is one apiProperties connection parameter: what a
// maker types when creating a connection.
type ConnectionParameter struct {
	Name        string `json:"name"`
	Type        string `json:"type"` // string | securestring | oauthSetting | gatewaySetting | bool | int
	DisplayName string `json:"displayName,omitempty"`
	Description string `json:"description,omitempty"`
	Required    bool   `json:"required,omitempty"`
	Hidden      bool   `json:"hidden,omitempty"`
	Default     any    `json:"default,omitempty"`
	Allowed     []any  `json:"allowedValues,omitempty"`
}

// Secret reports whether the parameter holds a credential.
func (p ConnectionParameter) Secret() bool {
	t := strings.ToLower(p.Type)
	return t == "securestring" || t == "oauthsetting"
}

// secScheme is a securityDefinitions entry reduced to what reconciling needs.
type secScheme struct {
	name string
	s    *openapi3.SecurityScheme
}

// buildAuth reconciles apiProperties connection parameters with the
// document's security schemes. Disagreements become lint findings (see
// lintAuth); here we only build the best picture.
func buildAuth(props map[string]any, doc *openapi3.T) Auth {
	schemes := sortedSchemes(doc)
	var sets []AuthSet
	if ps, ok := dig(props, "properties", "connectionParameterSets").(map[string]any); ok {
		vals, _ := ps["values"].([]any)
		for _, v := range vals {
			m, _ := v.(map[string]any)
			if m == nil {
				continue
			}
			params := decodeConnectionParameters(asMap(m["parameters"]))
			set := classifySet(params, asMap(m["parameters"]), schemes)
			set.Name = str(m["name"])
			set.DisplayName = str(dig(m, "uiDefinition", "displayName"))
			if set.DisplayName == "" {
				set.DisplayName = str(dig(m, "uiDefinition", "displayname"))
			}
			sets = append(sets, set)
		}
	}
	if len(sets) == 0 {
		raw := asMap(dig(props, "properties", "connectionParameters"))
		params := decodeConnectionParameters(raw)
		sets = append(sets, classifySet(params, raw, schemes))
	}
	return Auth{Kind: sets[0].Kind, Sets: sets}
}

func sortedSchemes(doc *openapi3.T) []secScheme {
	if doc == nil || doc.Components == nil {
		return nil
	}
	var out []secScheme
	for name, ref := range doc.Components.SecuritySchemes {
		if ref != nil && ref.Value != nil {
			out = append(out, secScheme{name, ref.Value})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func decodeConnectionParameters(raw map[string]any) []ConnectionParameter {
	names := make([]string, 0, len(raw))
	for k := range raw {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []ConnectionParameter
	for _, name := range names {
		m := asMap(raw[name])
		if m == nil {
			continue
		}
		ui := asMap(m["uiDefinition"])
		c := asMap(ui["constraints"])
		p := ConnectionParameter{
			Name:        name,
			Type:        str(m["type"]),
			DisplayName: str(ui["displayName"]),
			Description: str(ui["description"]),
			Required:    truthy(c["required"]),
			Hidden:      truthy(c["hidden"]),
			Default:     m["defaultValue"],
		}
		if av, ok := c["allowedValues"].([]any); ok {
			p.Allowed = av
		}
		out = append(out, p)
	}
	return out
}

// classifySet applies the rule the corpus notes use: oauthSetting →
// apiKey scheme → basic scheme → parameters only → none.
func classifySet(params []ConnectionParameter, raw map[string]any, schemes []secScheme) AuthSet {
	set := AuthSet{Parameters: params}
	for _, p := range params {
		if strings.EqualFold(p.Type, "oauthSetting") {
			o := &OAuth2Auth{Parameter: p.Name}
			s := asMap(asMap(raw[p.Name])["oAuthSettings"])
			o.IdentityProvider = str(s["identityProvider"])
			o.ClientID = str(s["clientId"])
			o.RedirectMode = str(s["redirectMode"])
			o.RedirectURL = str(s["redirectUrl"])
			for _, sc := range asSlice(s["scopes"]) {
				if v := str(sc); v != "" {
					o.Scopes = append(o.Scopes, v)
				}
			}
			if cp := asMap(s["customParameters"]); len(cp) > 0 {
				o.CustomParameters = map[string]string{}
				for k, v := range cp {
					o.CustomParameters[k] = str(asMap(v)["value"])
				}
			}
			for _, sc := range schemes {
				if sc.s.Type == "oauth2" {
					set.Scheme = sc.name
					fillOAuthFromScheme(o, sc.s)
					break
				}
			}
			set.Kind, set.OAuth2 = AuthOAuth2, o
			return set
		}
	}
	for _, sc := range schemes {
		if sc.s.Type == "apiKey" {
			set.Kind, set.Scheme = AuthAPIKey, sc.name
			set.APIKey = &APIKeyAuth{In: sc.s.In, Name: sc.s.Name}
			for _, p := range params {
				if p.Secret() {
					set.APIKey.Parameter = p.Name
					break
				}
			}
			return set
		}
	}
	for _, sc := range schemes {
		if sc.s.Type == "http" && strings.EqualFold(sc.s.Scheme, "basic") {
			set.Kind, set.Scheme = AuthBasic, sc.name
			set.Basic = &BasicAuth{}
			// Names first ("username" may be a securestring too), then
			// the first secret as the password.
			for _, p := range params {
				ln := strings.ToLower(p.Name)
				switch {
				case set.Basic.UsernameParameter == "" && strings.Contains(ln, "user"):
					set.Basic.UsernameParameter = p.Name
				case set.Basic.PasswordParameter == "" && strings.Contains(ln, "pass"):
					set.Basic.PasswordParameter = p.Name
				}
			}
			for _, p := range params {
				if p.Secret() && set.Basic.PasswordParameter == "" && p.Name != set.Basic.UsernameParameter {
					set.Basic.PasswordParameter = p.Name
				}
			}
			return set
		}
	}
	for _, sc := range schemes {
		if sc.s.Type == "oauth2" {
			o := &OAuth2Auth{}
			fillOAuthFromScheme(o, sc.s)
			set.Kind, set.Scheme, set.OAuth2 = AuthOAuth2, sc.name, o
			return set
		}
	}
	if len(params) > 0 {
		set.Kind = AuthConnectionParams
		return set
	}
	set.Kind = AuthNone
	return set
}

func fillOAuthFromScheme(o *OAuth2Auth, s *openapi3.SecurityScheme) {
	if s.Flows == nil {
		return
	}
	var f *openapi3.OAuthFlow
	switch {
	case s.Flows.AuthorizationCode != nil:
		f, o.Flow = s.Flows.AuthorizationCode, "authorizationCode"
	case s.Flows.Implicit != nil:
		f, o.Flow = s.Flows.Implicit, "implicit"
	case s.Flows.ClientCredentials != nil:
		f, o.Flow = s.Flows.ClientCredentials, "clientCredentials"
	case s.Flows.Password != nil:
		f, o.Flow = s.Flows.Password, "password"
	}
	if f == nil {
		return
	}
	o.AuthorizationURL, o.TokenURL, o.RefreshURL = f.AuthorizationURL, f.TokenURL, f.RefreshURL
	if len(o.Scopes) == 0 {
		for k := range f.Scopes {
			o.Scopes = append(o.Scopes, k)
		}
		sort.Strings(o.Scopes)
	}
}

// Small helpers over decoded JSON. They never panic on unexpected shapes.

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }
func asSlice(v any) []any        { s, _ := v.([]any); return s }

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	}
	return ""
}

func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		return strings.EqualFold(strings.TrimSpace(x), "true")
	}
	return false
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
