package authoring

import (
	"strings"

	"github.com/connectorlab/connectorlab/connector"
)

// DefaultBrandColor is the iconBrandColor of a new connector.
const DefaultBrandColor = "#007ee5"

// buildProperties writes apiProperties.json: the source's own when it had
// one and no --auth override, otherwise connection parameters for the
// auth kind (and securityDefinitions to match), plus what the conversion
// implied (dynamichosturl for a varying host).
func buildProperties(def map[string]any, orig map[string]any, cv *converter, opts Options) map[string]any {
	var props map[string]any
	if orig != nil {
		g, _ := toGeneric(orig)
		props, _ = g.(map[string]any)
	}
	if props == nil {
		props = map[string]any{}
	}
	inner := asMap(props["properties"])
	if inner == nil {
		inner = map[string]any{}
		props["properties"] = inner
	}
	auth := opts.Auth
	if auth == "" && orig == nil {
		auth = authOfDefinition(def)
	}
	if auth != "" {
		applyAuth(def, inner, auth, opts)
	}
	if _, ok := inner["connectionParameters"]; !ok && inner["connectionParameterSets"] == nil {
		inner["connectionParameters"] = map[string]any{}
	}
	if cv != nil && cv.hostTemplate != "" {
		cps := asMap(inner["connectionParameters"])
		if cps == nil {
			cps = map[string]any{}
			inner["connectionParameters"] = cps
		}
		for _, p := range cv.hostParams {
			cps[p.Name] = connectionParameter(p)
		}
		policies, _ := inner["policyTemplateInstances"].([]any)
		policies = append(policies, map[string]any{
			"templateId": "dynamichosturl",
			"title":      "Set the host URL",
			"parameters": map[string]any{"x-ms-apimTemplateParameter.urlTemplate": cv.hostTemplate},
		})
		inner["policyTemplateInstances"] = policies
	}
	if c, _ := inner["iconBrandColor"].(string); c == "" || opts.IconBrandColor != "" {
		c = opts.IconBrandColor
		if c == "" {
			c = DefaultBrandColor
		}
		inner["iconBrandColor"] = c
	}
	if _, ok := inner["capabilities"]; !ok {
		inner["capabilities"] = []any{"actions"}
	}
	if opts.Publisher != "" {
		inner["publisher"] = opts.Publisher
	}
	if opts.StackOwner != "" {
		inner["stackOwner"] = opts.StackOwner
	}
	return props
}

func connectionParameter(p connector.ConnectionParameter) map[string]any {
	ui := map[string]any{"displayName": p.DisplayName, "description": p.Description, "tooltip": p.Description,
		"constraints": map[string]any{"required": boolText(p.Required)}}
	if p.Description == "" {
		ui["description"] = "The " + strings.ToLower(p.DisplayName) + "."
		ui["tooltip"] = ui["description"]
	}
	m := map[string]any{"type": p.Type, "uiDefinition": ui}
	if p.Default != nil {
		m["defaultValue"] = p.Default
	}
	if len(p.Allowed) > 0 {
		var av []any
		for _, a := range p.Allowed {
			av = append(av, map[string]any{"value": a})
		}
		m["allowedValues"] = av
	}
	return m
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// authOfDefinition reads the auth kind from securityDefinitions.
func authOfDefinition(def map[string]any) string {
	sd := asMap(def["securityDefinitions"])
	for _, name := range sortedKeys(sd) {
		s := asMap(sd[name])
		switch s["type"] {
		case "apiKey":
			return AuthAPIKey
		case "basic":
			return AuthBasic
		case "oauth2":
			u, _ := s["authorizationUrl"].(string)
			t, _ := s["tokenUrl"].(string)
			if isEntra(u) || isEntra(t) {
				return AuthAAD
			}
			return AuthOAuth2
		}
	}
	return AuthNone
}

func isEntra(u string) bool {
	l := strings.ToLower(u)
	return strings.Contains(l, "login.microsoftonline.com") || strings.Contains(l, "login.windows.net")
}

const (
	entraAuthorize = "https://login.microsoftonline.com/common/oauth2/authorize"
	redirectURL    = "https://global.consent.azure-apim.net/redirect"
	clientIDHint   = "[[REPLACE with the application (client) ID]]"
)

// applyAuth writes connection parameters for the auth kind and makes the
// definition's securityDefinitions agree.
func applyAuth(def, inner map[string]any, auth string, opts Options) {
	sd := asMap(def["securityDefinitions"])
	var existing map[string]any
	for _, name := range sortedKeys(sd) {
		existing = asMap(sd[name])
		break
	}
	delete(inner, "connectionParameterSets")
	cps := map[string]any{}
	newSD := map[string]any{}
	switch auth {
	case AuthNone:
	case AuthAPIKey:
		name, in := opts.APIKeyName, opts.APIKeyIn
		if existing != nil && existing["type"] == "apiKey" {
			if name == "" {
				name, _ = existing["name"].(string)
			}
			if in == "" {
				in, _ = existing["in"].(string)
			}
		}
		if name == "" {
			name = "X-API-Key"
		}
		if in == "" {
			in = "header"
		}
		cps["api_key"] = map[string]any{"type": "securestring", "uiDefinition": map[string]any{
			"displayName": "API Key", "description": "The API key for this API", "tooltip": "Provide your API key",
			"constraints": map[string]any{"tabIndex": 2, "clearText": false, "required": "true"}}}
		newSD["api_key"] = map[string]any{"type": "apiKey", "in": in, "name": name}
	case AuthBasic:
		cps["username"] = map[string]any{"type": "securestring", "uiDefinition": map[string]any{
			"displayName": "Username", "description": "The username for this API", "tooltip": "Provide the username",
			"constraints": map[string]any{"tabIndex": 2, "clearText": true, "required": "true"}}}
		cps["password"] = map[string]any{"type": "securestring", "uiDefinition": map[string]any{
			"displayName": "Password", "description": "The password for this API", "tooltip": "Provide the password",
			"constraints": map[string]any{"tabIndex": 3, "clearText": false, "required": "true"}}}
		newSD["basic_auth"] = map[string]any{"type": "basic"}
	case AuthOAuth2:
		authURL, tokenURL := "https://auth.contoso.com/oauth2/authorize", "https://auth.contoso.com/oauth2/token"
		scopes := map[string]any{}
		if existing != nil && existing["type"] == "oauth2" {
			if u, _ := existing["authorizationUrl"].(string); u != "" {
				authURL = u
			}
			if u, _ := existing["tokenUrl"].(string); u != "" {
				tokenURL = u
			}
			if s := asMap(existing["scopes"]); s != nil {
				scopes = s
			}
		}
		var scopeList []any
		for _, s := range sortedKeys(scopes) {
			scopeList = append(scopeList, s)
		}
		if scopeList == nil {
			scopeList = []any{}
		}
		cps["token"] = map[string]any{"type": "oauthSetting", "oAuthSettings": map[string]any{
			"identityProvider": "oauth2", "clientId": clientIDHint, "scopes": scopeList,
			"redirectMode": "GlobalPerConnector", "redirectUrl": redirectURL,
			"properties": map[string]any{"IsFirstParty": "False"},
			"customParameters": map[string]any{
				"authorizationUrl": map[string]any{"value": authURL},
				"tokenUrl":         map[string]any{"value": tokenURL},
				"refreshUrl":       map[string]any{"value": tokenURL},
			}}}
		newSD["oauth2_auth"] = map[string]any{"type": "oauth2", "flow": "accessCode", "authorizationUrl": authURL, "tokenUrl": tokenURL, "scopes": scopes}
	case AuthAAD:
		resource := "[[REPLACE with the resource (application ID URI) of the API]]"
		user := map[string]any{"type": "oauthSetting", "oAuthSettings": map[string]any{
			"identityProvider": "aad", "clientId": clientIDHint, "scopes": []any{},
			"redirectMode": "GlobalPerConnector", "redirectUrl": redirectURL,
			"properties": map[string]any{"IsFirstParty": "False", "AzureActiveDirectoryResourceId": resource, "IsOnbehalfofLoginSupported": true},
			"customParameters": map[string]any{
				"loginUri":              map[string]any{"value": "https://login.microsoftonline.com"},
				"tenantId":              map[string]any{"value": "common"},
				"resourceUri":           map[string]any{"value": resource},
				"enableOnbehalfOfLogin": map[string]any{"value": "false"},
			}}}
		newSD["oauth2-auth"] = map[string]any{"type": "oauth2", "flow": "accessCode", "authorizationUrl": entraAuthorize,
			"tokenUrl": entraAuthorize, "scopes": map[string]any{}}
		if !opts.ServicePrincipal {
			cps["token"] = user
			break
		}
		sp := map[string]any{
			"token": user,
			"token:clientId": map[string]any{"type": "string", "uiDefinition": map[string]any{
				"displayName": "Client ID", "description": "The application (client) ID of the service principal",
				"constraints": map[string]any{"required": "true"}}},
			"token:clientSecret": map[string]any{"type": "securestring", "uiDefinition": map[string]any{
				"displayName": "Client secret", "description": "A client secret of the service principal",
				"constraints": map[string]any{"required": "true"}}},
			"token:TenantId": map[string]any{"type": "string", "metadata": map[string]any{"sourceType": "AzureActiveDirectoryTenant"},
				"uiDefinition": map[string]any{"displayName": "Tenant", "description": "The Microsoft Entra tenant ID",
					"constraints": map[string]any{"required": "true"}}},
			"token:grantType": map[string]any{"type": "string", "allowedValues": []any{map[string]any{"value": "client_credentials"}},
				"uiDefinition": map[string]any{"displayName": "Grant type", "constraints": map[string]any{"required": "true", "hidden": "true"}}},
		}
		delete(inner, "connectionParameters")
		inner["connectionParameterSets"] = map[string]any{
			"uiDefinition": map[string]any{"displayName": "Authentication type", "description": "How to sign in"},
			"values": []any{
				map[string]any{"name": "oauthDefault", "uiDefinition": map[string]any{"displayName": "Sign in with Microsoft Entra ID",
					"description": "A user signs in"}, "parameters": map[string]any{"token": user}},
				map[string]any{"name": "oauthClientCredentials", "uiDefinition": map[string]any{"displayName": "Service principal (client credentials)",
					"description": "An app registration signs in with its client ID and secret"}, "parameters": sp},
			},
		}
	}
	if _, sets := inner["connectionParameterSets"]; !sets {
		inner["connectionParameters"] = cps
	}
	if len(newSD) == 0 {
		delete(def, "securityDefinitions")
		delete(def, "security")
		return
	}
	def["securityDefinitions"] = newSD
	for name := range newSD {
		def["security"] = []any{map[string]any{name: []any{}}}
	}
	// Operation-level security naming schemes that no longer exist would
	// fail validation; the connector authenticates one way.
	for _, item := range asMap(def["paths"]) {
		for _, op := range asMap(item) {
			delete(asMap(op), "security")
		}
	}
}
