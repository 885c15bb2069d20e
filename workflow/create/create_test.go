package create_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/workflow"
	"github.com/connectorlab/connectorlab/workflow/create"
)

// newFolder runs create.New, writes the folder and loads it back; the
// folder must validate with no error.
func newFolder(t *testing.T, r create.Request) (*create.Result, *connector.Connector, string) {
	t.Helper()
	ctx := context.Background()
	res, err := create.New(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "c")
	if err := res.Folder.Write(dir, false); err != nil {
		t.Fatal(err)
	}
	c, err := connector.Load(ctx, dir)
	if err != nil {
		t.Fatalf("written folder does not load: %v", err)
	}
	for _, f := range connector.Lint(ctx, c) {
		if f.Level >= connector.LevelError {
			t.Errorf("validate: %s", f)
		}
	}
	return res, c, dir
}

func TestNewFromPostman(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file, source string
		auth         connector.AuthKind
		ops          int
	}{
		{"testdata/orders.postman_v2.json", "postman", connector.AuthAPIKey, 3},
		{"testdata/orders.postman_v1.json", "postman-v1", connector.AuthBasic, 3},
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			t.Parallel()
			res, c, dir := newFolder(t, create.Request{From: tt.file})
			if res.Source != tt.source {
				t.Errorf("source %q, want %q", res.Source, tt.source)
			}
			if len(c.Operations) != tt.ops {
				t.Errorf("%d operations, want %d: %v", len(c.Operations), tt.ops, c.Operations)
			}
			if c.Auth.Kind != tt.auth {
				t.Errorf("auth %s, want %s (Postman auth → connection parameters)", c.Auth.Kind, tt.auth)
			}
			if c.Host != "orders.contoso.com" {
				t.Errorf("host %q: the base URL variable did not become the host", c.Host)
			}
			var list *connector.Operation
			for _, o := range c.Operations {
				if o.Method == "GET" && strings.HasSuffix(o.Path, "/orders") {
					list = o
				}
			}
			if list == nil {
				t.Fatalf("no GET /orders in %v", c.Operations)
			}
			if len(list.Tags) == 0 || list.Tags[0] != "Orders" {
				t.Errorf("folder did not become a tag: %v", list.Tags)
			}
			def, _ := os.ReadFile(filepath.Join(dir, authoring.DefinitionFile))
			if !strings.Contains(string(def), `"status": "open"`) {
				t.Errorf("the saved example did not become a response example")
			}
			if tt.source == "postman-v1" {
				if _, ok := findingIDs(res.Folder.Findings)[authoring.FixPostmanV1]; !ok {
					t.Errorf("no %s finding", authoring.FixPostmanV1)
				}
			}
		})
	}
}

func findingIDs(fs []connector.Finding) map[string]bool {
	m := map[string]bool{}
	for _, f := range fs {
		m[f.ID] = true
	}
	return m
}

func TestNewBlank(t *testing.T) {
	t.Parallel()
	res, c, dir := newFolder(t, create.Request{From: create.Blank, Options: authoring.Options{Name: "Fabrikam Tickets", Auth: authoring.AuthOAuth2}})
	if c.Name != "Fabrikam Tickets" || res.Operations != 1 || c.Auth.Kind != connector.AuthOAuth2 {
		t.Errorf("blank: name %q, %d ops, auth %s", c.Name, res.Operations, c.Auth.Kind)
	}
	var settings map[string]any
	b, _ := os.ReadFile(filepath.Join(dir, authoring.SettingsFile))
	if err := json.Unmarshal(b, &settings); err != nil || settings["apiDefinition"] != authoring.DefinitionFile || settings["apiProperties"] != authoring.PropertiesFile {
		t.Errorf("settings.json is not what paconn reads: %s", b)
	}
	if _, err := os.Stat(filepath.Join(dir, authoring.ReadmeFile)); err != nil {
		t.Error("no README stub")
	}
}

func TestNewBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notConnector := filepath.Join(dir, "x.json")
	if err := os.WriteFile(notConnector, []byte(`{"hello": "world"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		r    create.Request
		want string
	}{
		{"missing file", create.Request{From: filepath.Join(dir, "nope.json")}, "no such file"},
		{"not a connector", create.Request{From: notConnector}, "not a connector definition"},
		{"bad auth", create.Request{From: create.Blank, Options: authoring.Options{Auth: "kerberos"}}, "--auth"},
		{"service principal without aad", create.Request{From: create.Blank, Options: authoring.Options{Auth: "basic", ServicePrincipal: true}}, "--auth aad"},
		{"nothing", create.Request{}, "--from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := create.New(context.Background(), tt.r)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tt.want)
			}
			if workflow.KindOf(err) != workflow.KindUsage {
				t.Errorf("kind %v, want usage (exit 2)", workflow.KindOf(err))
			}
		})
	}
}

// TestNewFromMockoon: a Mockoon environment's routes become operations
// (folders → tags, :params → path parameters), its responses declared
// statuses with examples, and the names its rules test parameters.
func TestNewFromMockoon(t *testing.T) {
	t.Parallel()
	res, c, _ := newFolder(t, create.Request{From: "testdata/mockoon-environment.json"})
	if res.Source != "mockoon" || len(c.Operations) != 3 {
		t.Fatalf("source %s, %d operations (%v); want mockoon with 3", res.Source, len(c.Operations), c.Operations)
	}
	if c.BasePath != "/api/v2" {
		t.Errorf("basePath %q, want the endpointPrefix", c.BasePath)
	}
	var get *connector.Operation
	for _, o := range c.Operations {
		if o.Path == "/products/{productId}" {
			get = o
		}
		if o.Path == "/products" {
			if len(o.Tags) == 0 || o.Tags[0] != "Products" {
				t.Errorf("folder did not become a tag: %v", o.Tags)
			}
			if o.Op.Responses.Value("400") == nil {
				t.Error("the rule-chosen 400 response was not declared")
			}
			if o.Op.Parameters.GetByInAndName("query", "category") == nil {
				t.Error("the query name a rule tests did not become a parameter")
			}
		}
	}
	if get == nil || get.Op.Parameters.GetByInAndName("path", "productId") == nil || get.Op.Parameters.GetByInAndName("header", "X-Tenant") == nil {
		t.Fatalf("GET /products/{productId} with its path and header parameters missing")
	}
	ids := findingIDs(res.Folder.Findings)
	for _, id := range []string{authoring.LossMockoonRules, authoring.LossMockoonTemplating, authoring.LossMockoonRoute} {
		if !ids[id] {
			t.Errorf("no %s finding", id)
		}
	}
}
