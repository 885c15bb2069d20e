package authoring_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
)

// build loads file, builds its connector folder into a temp dir and loads
// that back.
func build(t *testing.T, file string, opts authoring.Options) (*authoring.Folder, *connector.Connector) {
	t.Helper()
	ctx := context.Background()
	c, err := connector.Load(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	src, err := authoring.FromConnector(c)
	if err != nil {
		t.Fatal(err)
	}
	f, err := authoring.Build(src, opts)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if err := f.Write(dir, false); err != nil {
		t.Fatal(err)
	}
	back, err := connector.Load(ctx, dir)
	if err != nil {
		t.Fatalf("the written folder does not load: %v", err)
	}
	if back.Format != connector.FormatSwagger2 {
		t.Fatalf("written definition is %s, want swagger2", back.Format)
	}
	for _, fd := range connector.Lint(ctx, back) {
		if fd.Level >= connector.LevelError {
			t.Errorf("validate: %s", fd)
		}
	}
	return f, back
}

func findingIDs(fs []connector.Finding) map[string]connector.Finding {
	m := map[string]connector.Finding{}
	for _, f := range fs {
		if _, ok := m[f.ID]; !ok {
			m[f.ID] = f
		}
	}
	return m
}

// TestLossesAreFindings: every construct Swagger 2.0 cannot say becomes a
// finding with its ID and a file:line:col in the OpenAPI 3 source, and the
// written folder validates.
func TestLossesAreFindings(t *testing.T) {
	t.Parallel()
	f, back := build(t, "testdata/losses.openapi3.json", authoring.Options{})
	got := findingIDs(f.Findings)
	for _, id := range []string{
		authoring.LossOneOf, authoring.LossAnyOf, authoring.LossNot, authoring.LossNullableUnion, authoring.LossKeyword,
		authoring.LossServers, authoring.LossServerVariables, authoring.LossOperationServers, authoring.LossCookieParam,
		authoring.LossParamStyle, authoring.LossCallback, authoring.LossWebhooks, authoring.LossLinks, authoring.LossGetBody,
		authoring.LossContentTypes, authoring.LossSecurityAlternates, authoring.LossAuthUnsupported, authoring.LossBearerAsAPIKey,
		authoring.FixOperationID, authoring.FixOperationIDRenamed, authoring.FixSummary,
	} {
		fd, ok := got[id]
		if !ok {
			t.Errorf("no %s finding", id)
			continue
		}
		if strings.HasPrefix(id, "create-") && !strings.HasPrefix(id, "create-operation-id-generated") && fd.Line == 0 {
			t.Errorf("%s has no line: %s", id, fd)
		}
	}
	raw, _ := os.ReadFile("testdata/losses.openapi3.json")
	wantLine := 1 + strings.Count(string(raw[:strings.Index(string(raw), `{"name": "session"`)]), "\n")
	if fd := got[authoring.LossCookieParam]; fd.Line != wantLine {
		t.Errorf("cookie parameter finding at line %d, want %d: %s", fd.Line, wantLine, fd)
	}
	// Approximations, as documented.
	if op := back.Operation("ListPets"); op == nil {
		t.Errorf("operationId 'list pets' was not made certification-safe (ops: %v)", opIDs(back))
	}
	if back.Host != "eu.pets.contoso.com" {
		t.Errorf("host %q, want the first server with its variable default", back.Host)
	}
	var dyn bool
	for _, p := range back.Policies {
		if p.Template == "dynamichosturl" {
			dyn = true
		}
	}
	if !dyn {
		t.Errorf("server variables did not become a dynamichosturl policy: %+v", back.Policies)
	}
	pet := back.Doc.Components.Schemas["Pet"]
	if pet == nil || pet.Value == nil || pet.Value.Properties["goodBoy"] == nil || pet.Value.Properties["lives"] == nil {
		t.Errorf("oneOf of two objects was not merged into one object")
	} else if len(pet.Value.Required) != 1 || pet.Value.Required[0] != "name" {
		t.Errorf("merged Pet requires %v, want only name (required by every variant)", pet.Value.Required)
	}
	nick := back.Doc.Components.Schemas["Owner"].Value.Properties["nickname"].Value
	if !nick.Type.Is("string") || !nick.Nullable {
		t.Errorf("type [string, null] became %v nullable=%v", nick.Type, nick.Nullable)
	}
	if back.Auth.Kind != connector.AuthAPIKey {
		t.Errorf("bearer became %s, want an API key in the Authorization header", back.Auth.Kind)
	}
}

func opIDs(c *connector.Connector) []string {
	var out []string
	for _, o := range c.Operations {
		out = append(out, o.ID)
	}
	return out
}

// TestAuthKinds: each --auth writes connection parameters and matching
// securityDefinitions; aad with the service-principal option writes two
// connection parameter sets.
func TestAuthKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		auth string
		sp   bool
		want connector.AuthKind
		sets int
	}{
		{authoring.AuthNone, false, connector.AuthNone, 1},
		{authoring.AuthAPIKey, false, connector.AuthAPIKey, 1},
		{authoring.AuthBasic, false, connector.AuthBasic, 1},
		{authoring.AuthOAuth2, false, connector.AuthOAuth2, 1},
		{authoring.AuthAAD, false, connector.AuthOAuth2, 1},
		{authoring.AuthAAD, true, connector.AuthOAuth2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.auth, func(t *testing.T) {
			t.Parallel()
			f, back := build(t, "testdata/petstore.openapi3.yaml", authoring.Options{Auth: tt.auth, ServicePrincipal: tt.sp})
			if back.Auth.Kind != tt.want || len(back.Auth.Sets) != tt.sets {
				t.Errorf("auth %s: kind %s with %d sets, want %s with %d", tt.auth, back.Auth.Kind, len(back.Auth.Sets), tt.want, tt.sets)
			}
			for _, fd := range back.Findings {
				if fd.ID == "auth-mismatch" {
					t.Errorf("apiProperties and securityDefinitions disagree: %s", fd)
				}
			}
			if tt.auth == authoring.AuthAAD {
				props := string(f.Files()[authoring.PropertiesFile])
				if !strings.Contains(props, `"identityProvider": "aad"`) {
					t.Errorf("aad: no Entra identity provider:\n%s", props)
				}
				if tt.sp != strings.Contains(props, "client_credentials") {
					t.Errorf("service principal option = %v but client_credentials present = %v", tt.sp, !tt.sp)
				}
			}
		})
	}
}

// TestYAMLKeepsAuthAndNullable: a YAML OpenAPI 3.0 source keeps its API
// key header and nullable fields.
func TestYAMLKeepsAuthAndNullable(t *testing.T) {
	t.Parallel()
	_, back := build(t, "testdata/petstore.openapi3.yaml", authoring.Options{})
	if back.Auth.Kind != connector.AuthAPIKey || back.Auth.Sets[0].APIKey == nil || back.Auth.Sets[0].APIKey.Name != "X-Pet-Key" {
		t.Fatalf("auth %+v, want the X-Pet-Key API key", back.Auth)
	}
	op := back.Operation("getPet")
	if op == nil {
		t.Fatal("getPet missing")
	}
	if op.Op.Parameters[0].Value.Extensions["x-ms-summary"] != "Pet ID" {
		t.Errorf("path parameter x-ms-summary = %v, want Pet ID", op.Op.Parameters[0].Value.Extensions["x-ms-summary"])
	}
	if back.Host != "petstore.contoso.com" || back.BasePath != "/api" {
		t.Errorf("host %q base %q", back.Host, back.BasePath)
	}
}

// TestWriteRefusesToOverwrite: an existing connector is never replaced
// without force.
func TestWriteRefusesToOverwrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, authoring.DefinitionFile), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := connector.Load(context.Background(), "testdata/petstore.openapi3.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src, _ := authoring.FromConnector(c)
	f, err := authoring.Build(src, authoring.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Write(dir, false); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("overwrote an existing connector: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, authoring.DefinitionFile)); string(b) != "{}" {
		t.Fatal("the existing definition was changed")
	}
}
