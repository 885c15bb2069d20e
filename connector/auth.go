package connector

import (
	"sort"
	"strconv"
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
	// Synthetic marks a parameter apiProperties.json does not declare:
	// the set's security scheme demands a credential (basic, an API key,
	// an OAuth 2.0 token) and no declared parameter holds it, so one is
	// derived from securityDefinitions (named as the custom-connector
	// wizard names it: username/password, api_key, token). Without it a
	// connection has nothing to authenticate with: record adds nothing,
	// replay cannot refill the redacted Authorization and the mock
	// answers 401. The lint still reports the definition (auth-mismatch):
	// the real gateway would ask a maker for nothing.
	Synthetic bool `json:"synthetic,omitempty"`
}

// Declared returns the parameters apiProperties.json declares (without
// the synthetic ones).
func (s AuthSet) Declared() []ConnectionParameter {
	var out []ConnectionParameter
	for _, p := range s.Parameters {
		if !p.Synthetic {
			out = append(out, p)
		}
	}
	return out
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
		// An oauth2 scheme belongs to the sets with an oauthSetting
		// parameter: the gateway runs the OAuth dance only for one. A
		// set beside them without one was picked to connect another way.
		oauthSets := 0
		for _, v := range vals {
			if hasOAuthSetting(decodeConnectionParameters(asMap(asMap(v)["parameters"]))) {
				oauthSets++
			}
		}
		for _, v := range vals {
			m, _ := v.(map[string]any)
			if m == nil {
				continue
			}
			params := decodeConnectionParameters(asMap(m["parameters"]))
			set := classifySet(params, asMap(m["parameters"]), schemes, oauthSets > 0)
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
		sets = append(sets, classifySet(params, raw, schemes, false))
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
// apiKey scheme → basic scheme → oauth2 scheme → parameters only → none.
// oauthElsewhere says another set of the connector has the oauthSetting
// parameter the oauth2 scheme needs.
//
// Every scheme picked gets a parameter holding its credential (the
// connection parameters are what a connection has to authenticate with;
// record adds them, replay refills redacted credentials from them):
//   - apiKey: the parameter named like the scheme or its header/query
//     name, else the first secret, else a synthetic api_key;
//   - basic: the user-name and password parameters, else (neither
//     declared) synthetic username and password;
//   - oauth2 without an oauthSetting parameter: a set whose parameters
//     are a user name and a password connects with those (the gateway
//     asks a maker for exactly the connection parameters and cannot run
//     OAuth without an oauthSetting one): basic, with no scheme; a set
//     beside an oauthSetting set connects without the scheme; otherwise
//     a synthetic token (oauthSetting) parameter.
func classifySet(params []ConnectionParameter, raw map[string]any, schemes []secScheme, oauthElsewhere bool) AuthSet {
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
			set.APIKey = &APIKeyAuth{In: sc.s.In, Name: sc.s.Name, Parameter: apiKeyParameter(params, sc)}
			if set.APIKey.Parameter == "" {
				p := synthetic(params, "api_key", "securestring", "API Key", sc.name)
				set.Parameters = append(set.Parameters, p)
				set.APIKey.Parameter = p.Name
			}
			return set
		}
	}
	for _, sc := range schemes {
		if sc.s.Type == "http" && strings.EqualFold(sc.s.Scheme, "basic") {
			set.Kind, set.Scheme = AuthBasic, sc.name
			u, pw, _ := basicParameters(params)
			set.Basic = &BasicAuth{UsernameParameter: u, PasswordParameter: pw}
			if u == "" && pw == "" {
				up := synthetic(params, "username", "securestring", "Username", sc.name)
				pp := synthetic(append(params, up), "password", "securestring", "Password", sc.name)
				set.Parameters = append(set.Parameters, up, pp)
				set.Basic = &BasicAuth{UsernameParameter: up.Name, PasswordParameter: pp.Name}
			}
			return set
		}
	}
	for _, sc := range schemes {
		if sc.s.Type != "oauth2" {
			continue
		}
		if u, pw, byName := basicParameters(params); byName {
			set.Kind, set.Basic = AuthBasic, &BasicAuth{UsernameParameter: u, PasswordParameter: pw}
			return set
		}
		if oauthElsewhere {
			break
		}
		p := synthetic(params, "token", "oauthSetting", "OAuth 2.0 access token", sc.name)
		o := &OAuth2Auth{Parameter: p.Name}
		fillOAuthFromScheme(o, sc.s)
		set.Parameters = append(set.Parameters, p)
		set.Kind, set.Scheme, set.OAuth2 = AuthOAuth2, sc.name, o
		return set
	}
	if len(params) > 0 {
		set.Kind = AuthConnectionParams
		return set
	}
	set.Kind = AuthNone
	return set
}

func hasOAuthSetting(params []ConnectionParameter) bool {
	for _, p := range params {
		if strings.EqualFold(p.Type, "oauthSetting") {
			return true
		}
	}
	return false
}

// apiKeyParameter is the declared parameter holding sc's key: one named
// like the scheme or the header/query it is sent in (whatever its type:
// WPForms' "secretKey" is a string), else the first secret; "" if none.
func apiKeyParameter(params []ConnectionParameter, sc secScheme) string {
	for _, p := range params {
		if n := normName(p.Name); n != "" && (n == normName(sc.name) || n == normName(sc.s.Name)) {
			return p.Name
		}
	}
	for _, p := range params {
		if p.Secret() {
			return p.Name
		}
	}
	return ""
}

// basicParameters names the user-name and password parameters: names
// first ("username" may be a securestring too), then the first other
// secret as the password. byName says both were found by their names.
func basicParameters(params []ConnectionParameter) (user, pass string, byName bool) {
	for _, p := range params {
		ln := strings.ToLower(p.Name)
		switch {
		case user == "" && strings.Contains(ln, "user"):
			user = p.Name
		case pass == "" && strings.Contains(ln, "pass"):
			pass = p.Name
		}
	}
	byName = user != "" && pass != ""
	for _, p := range params {
		if p.Secret() && pass == "" && p.Name != user {
			pass = p.Name
		}
	}
	return user, pass, byName
}

// synthetic is a required parameter of type typ for the credential of
// scheme, named base unless a declared parameter already has that name.
func synthetic(params []ConnectionParameter, base, typ, display, scheme string) ConnectionParameter {
	name := base
	for n := 2; ; n++ {
		taken := false
		for _, p := range params {
			if strings.EqualFold(p.Name, name) {
				taken = true
				break
			}
		}
		if !taken {
			break
		}
		name = base + "_" + strconv.Itoa(n)
	}
	return ConnectionParameter{
		Name: name, Type: typ, DisplayName: display, Required: true, Synthetic: true,
		Description: "derived from securityDefinitions \"" + scheme + "\": apiProperties.json declares no connection parameter for this credential",
	}
}

// normName is a name lower-cased without its separators, for matching
// "API Key", "api_key" and "X-Api-Key" style spellings.
func normName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
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
