package postman

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

type authKind int

const (
	authInherit     authKind = iota // absent or "inherit": use the parent's
	authNone                        // "noauth", or nothing declared anywhere
	authScheme                      // mapped to a security scheme
	authUnsupported                 // a type OpenAPI cannot express here
)

// authSpec is the resolved auth of a collection, folder or request.
type authSpec struct {
	kind   authKind
	scheme string   // components.securitySchemes key (authScheme)
	scopes []string // OAuth 2 scopes for the requirement
	in     string   // apiKey: "header" or "query"
	name   string   // apiKey: header or query parameter name
}

func (a authSpec) same(b authSpec) bool {
	return a.kind == b.kind && a.scheme == b.scheme && slices.Equal(a.scopes, b.scopes)
}

func (a authSpec) requirement() openapi3.SecurityRequirement {
	scopes := a.scopes
	if scopes == nil {
		scopes = []string{}
	}
	return openapi3.SecurityRequirement{a.scheme: scopes}
}

// authParams reads the parameters of one auth type: v2.1 writes them as
// [{key, value, type}], v2.0 as a plain object. Non-scalar values are
// ignored (Postman keeps some UI state there).
func authParams(v any, ptr string) (map[string]string, error) {
	out := map[string]string{}
	switch t := v.(type) {
	case nil:
	case []any:
		for i, e := range t {
			ep := ptrIdx(ptr, i)
			obj, err := asObject(e, ep)
			if err != nil {
				return nil, err
			}
			if obj == nil {
				continue
			}
			k, err := asString(obj["key"], ptrKey(ep, "key"))
			if err != nil {
				return nil, err
			}
			if s, err := asScalar(obj["value"], ptrKey(ep, "value")); err == nil {
				out[k] = s
			}
		}
	case map[string]any:
		for k, e := range t {
			if s, err := asScalar(e, ptrKey(ptr, k)); err == nil {
				out[k] = s
			}
		}
	default:
		return nil, shapeErr(ptr, "expected array or object, got %s", kind(v))
	}
	return out, nil
}

// readAuth reads an auth object and registers the security scheme it maps
// to. Unsupported types give a warning and authUnsupported.
func (c *converter) readAuth(v any, ptr string) (authSpec, error) {
	obj, err := asObject(v, ptr)
	if err != nil || obj == nil {
		return authSpec{kind: authInherit}, err
	}
	typ, err := asString(obj["type"], ptrKey(ptr, "type"))
	if err != nil {
		return authSpec{}, err
	}
	typ = strings.ToLower(strings.TrimSpace(typ))
	params, err := authParams(obj[typ], ptrKey(ptr, typ))
	if err != nil {
		return authSpec{}, err
	}
	switch typ {
	case "", "inherit":
		return authSpec{kind: authInherit}, nil
	case "noauth":
		return authSpec{kind: authNone}, nil
	case "apikey":
		name := c.resolve(params["key"])
		if name == "" {
			name = "X-API-Key"
			c.warn("postman-auth-incomplete", ptr, "apikey auth has no key name; assuming header %q", name)
		}
		in := strings.ToLower(params["in"])
		if in != "query" {
			in = "header"
		}
		ss := &openapi3.SecurityScheme{Type: "apiKey", In: in, Name: name}
		return authSpec{kind: authScheme, scheme: c.addScheme("apiKeyAuth", ss), in: in, name: name}, nil
	case "bearer":
		ss := &openapi3.SecurityScheme{Type: "http", Scheme: "bearer"}
		return authSpec{kind: authScheme, scheme: c.addScheme("bearerAuth", ss)}, nil
	case "jwt":
		if strings.EqualFold(params["addTokenTo"], "queryParam") {
			break
		}
		ss := &openapi3.SecurityScheme{Type: "http", Scheme: "bearer", BearerFormat: "JWT"}
		return authSpec{kind: authScheme, scheme: c.addScheme("bearerAuth", ss)}, nil
	case "basic":
		ss := &openapi3.SecurityScheme{Type: "http", Scheme: "basic"}
		return authSpec{kind: authScheme, scheme: c.addScheme("basicAuth", ss)}, nil
	case "digest":
		ss := &openapi3.SecurityScheme{Type: "http", Scheme: "digest"}
		return authSpec{kind: authScheme, scheme: c.addScheme("digestAuth", ss)}, nil
	case "oauth2":
		return c.oauth2(params, ptr), nil
	}
	c.warn("postman-auth-unsupported", ptrKey(ptr, "type"),
		"auth type %q has no OpenAPI 3.0 security scheme; requests using it are left without security", typ)
	return authSpec{kind: authUnsupported}, nil
}

const (
	placeholderAuthURL  = "https://example.invalid/oauth2/authorize"
	placeholderTokenURL = "https://example.invalid/oauth2/token"
)

func (c *converter) oauth2(params map[string]string, ptr string) authSpec {
	authURL := c.resolve(params["authUrl"])
	tokenURL := c.resolve(params["accessTokenUrl"])
	var scopes []string
	for s := range strings.FieldsFuncSeq(params["scope"], func(r rune) bool { return r == ' ' || r == ',' }) {
		if !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	scopeMap := map[string]string{}
	for _, s := range scopes {
		scopeMap[s] = ""
	}
	needAuth := func() string {
		if authURL == "" {
			c.warn("postman-auth-incomplete", ptr, "oauth2 auth has no authUrl; using placeholder %s", placeholderAuthURL)
			return placeholderAuthURL
		}
		return authURL
	}
	needToken := func() string {
		if tokenURL == "" {
			c.warn("postman-auth-incomplete", ptr, "oauth2 auth has no accessTokenUrl; using placeholder %s", placeholderTokenURL)
			return placeholderTokenURL
		}
		return tokenURL
	}
	flows := &openapi3.OAuthFlows{}
	switch strings.ToLower(params["grant_type"]) {
	case "implicit":
		flows.Implicit = &openapi3.OAuthFlow{AuthorizationURL: needAuth(), Scopes: scopeMap}
	case "password_credentials", "password":
		flows.Password = &openapi3.OAuthFlow{TokenURL: needToken(), Scopes: scopeMap}
	case "client_credentials":
		flows.ClientCredentials = &openapi3.OAuthFlow{TokenURL: needToken(), Scopes: scopeMap}
	default: // authorization_code, authorization_code_with_pkce, unset
		flows.AuthorizationCode = &openapi3.OAuthFlow{AuthorizationURL: needAuth(), TokenURL: needToken(), Scopes: scopeMap}
	}
	ss := &openapi3.SecurityScheme{Type: "oauth2", Flows: flows}
	return authSpec{kind: authScheme, scheme: c.addScheme("oauth2", ss), scopes: scopes}
}

// addScheme registers ss under base (or base_2, base_3 … when a different
// scheme already has that name) and returns its name; an identical scheme
// is registered once.
func (c *converter) addScheme(base string, ss *openapi3.SecurityScheme) string {
	sig, _ := json.Marshal(ss)
	if name, ok := c.schemeSigs[string(sig)]; ok {
		return name
	}
	name := base
	for n := 2; c.schemes[name] != nil; n++ {
		name = base + "_" + strconv.Itoa(n)
	}
	c.schemes[name] = ss
	c.schemeSigs[string(sig)] = name
	return name
}

// authFromHeader recognises a hand-written Authorization header
// ("Bearer {{token}}", "Basic …") on a request that declares no auth.
func (c *converter) authFromHeader(value string) (authSpec, bool) {
	scheme, _, _ := strings.Cut(strings.TrimSpace(value), " ")
	switch strings.ToLower(scheme) {
	case "bearer":
		ss := &openapi3.SecurityScheme{Type: "http", Scheme: "bearer"}
		return authSpec{kind: authScheme, scheme: c.addScheme("bearerAuth", ss)}, true
	case "basic":
		ss := &openapi3.SecurityScheme{Type: "http", Scheme: "basic"}
		return authSpec{kind: authScheme, scheme: c.addScheme("basicAuth", ss)}, true
	}
	return authSpec{}, false
}
