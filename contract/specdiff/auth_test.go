package specdiff

import "testing"

func TestCheckAuth(t *testing.T) {
	def := func(scheme map[string]any) map[string]any {
		return doc(map[string]any{"/a": map[string]any{"get": op("A", nil)}}, map[string]any{"securityDefinitions": map[string]any{"k": scheme}})
	}
	apiKey := func(name string) map[string]any {
		return map[string]any{"type": "apiKey", "in": "header", "name": name}
	}
	props := func(params map[string]any) map[string]any {
		return map[string]any{"properties": map[string]any{"connectionParameters": params}}
	}
	secure := map[string]any{"type": "securestring", "uiDefinition": map[string]any{"displayName": "Key", "constraints": map[string]any{"required": "true"}}}
	region := map[string]any{"type": "string", "uiDefinition": map[string]any{"displayName": "Region", "constraints": map[string]any{"required": "true"}}}
	oauth := func(scopes ...any) map[string]any {
		return props(map[string]any{"token": map[string]any{"type": "oauthSetting", "oAuthSettings": map[string]any{"identityProvider": "aad", "scopes": scopes}}})
	}
	oauthDef := def(map[string]any{"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://login/a", "tokenUrl": "https://login/t", "scopes": map[string]any{}})
	cases := []struct {
		name   string
		od, nd map[string]any
		op, np map[string]any
		want   []string
	}{
		{"api key renamed", def(apiKey("X-Key")), def(apiKey("X-Api-Key")), props(map[string]any{"api_key": secure}), props(map[string]any{"api_key": secure}), []string{"auth-changed@error"}},
		{"required connection parameter added", def(apiKey("X-Key")), def(apiKey("X-Key")), props(map[string]any{"api_key": secure}), props(map[string]any{"api_key": secure, "region": region}), []string{"connection-parameter-added@error"}},
		{"api key to oauth", def(apiKey("X-Key")), oauthDef, props(map[string]any{"api_key": secure}), oauth("read"), []string{"auth-changed@error", "connection-parameter-added@warning", "connection-parameter-removed@warning"}},
		{"scopes changed", oauthDef, oauthDef, oauth("read"), oauth("read", "write"), []string{"auth-scopes-changed@warning"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expect(t, load(t, tc.od, tc.op), load(t, tc.nd, tc.np), tc.want...)
		})
	}
}
