package policy

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
)

// fixtureSwagger is a small connector with the shapes the policy tests
// need: path parameters, query and header parameters, a JSON body and a
// polling trigger.
const fixtureSwagger = `{
  "swagger": "2.0",
  "info": {"title": "Policy Fixture", "version": "1.0"},
  "host": "api.example.com",
  "basePath": "/v1",
  "schemes": ["https"],
  "paths": {
    "/items": {
      "get": {"operationId": "ListItems", "parameters": [
        {"name": "page", "in": "query", "type": "string"},
        {"name": "host", "in": "query", "type": "string"}],
        "responses": {"200": {"description": "ok"}}},
      "post": {"operationId": "CreateItem", "parameters": [
        {"name": "body", "in": "body", "schema": {"type": "object"}}],
        "responses": {"201": {"description": "created"}}}
    },
    "/items/{id}": {
      "get": {"operationId": "GetItem", "parameters": [
        {"name": "id", "in": "path", "required": true, "type": "string"},
        {"name": "Instance", "in": "header", "type": "string"}],
        "responses": {"200": {"description": "ok"}}}
    },
    "/v2/items/{id}": {
      "delete": {"operationId": "DeleteItemV2", "parameters": [
        {"name": "id", "in": "path", "required": true, "type": "string"}],
        "responses": {"204": {"description": "gone"}}}
    },
    "/me/tasks('{task_id}')": {
      "get": {"operationId": "GetTask", "parameters": [
        {"name": "task_id", "in": "path", "required": true, "type": "string"}],
        "responses": {"200": {"description": "ok"}}}
    },
    "/trigger/poll": {
      "get": {"operationId": "PollItems", "x-ms-trigger": "batch",
        "x-ms-trigger-metadata": {"kind": "query", "mode": "polling"},
        "parameters": [
          {"name": "after", "in": "query", "type": "string", "x-ms-visibility": "internal"},
          {"name": "per_page", "in": "query", "type": "string", "x-ms-visibility": "internal"}],
        "responses": {"200": {"description": "ok", "schema": {"type": "object", "properties": {"files": {"type": "array", "items": {"type": "object"}}}}}}}
    }
  }
}`

// fixtureParams are the connection parameters of the fixture.
const fixtureParams = `{
  "hostName": {"type": "string", "uiDefinition": {"displayName": "Host name"}},
  "apiKey": {"type": "securestring", "uiDefinition": {"displayName": "API key"}},
  "region": {"type": "string", "defaultValue": "eu", "uiDefinition": {"displayName": "Region"}},
  "token:customHost": {"type": "string", "uiDefinition": {"displayName": "Domain"}},
  "username": {"type": "string", "uiDefinition": {"displayName": "User"}}
}`

// loadFixture writes the fixture connector with the given
// policyTemplateInstances (a JSON array) and loads it.
func loadFixture(t testing.TB, policies string) *connector.Connector {
	t.Helper()
	dir := t.TempDir()
	props := `{"properties": {"connectionParameters": ` + fixtureParams + `, "policyTemplateInstances": ` + policies + `}}`
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("apiDefinition.swagger.json", fixtureSwagger)
	write("apiProperties.json", props)
	c, err := connector.Load(context.Background(), dir)
	if err != nil {
		t.Fatalf("load fixture: %v", err)
	}
	return c
}

// policyJSON builds one policyTemplateInstances entry. params uses the
// short names; "operations" and "section" map to the x-ms-apimTemplate
// keys.
func policyJSON(template, title string, params map[string]any) string {
	full := map[string]any{}
	for k, v := range params {
		switch k {
		case "operations":
			full["x-ms-apimTemplate-operationName"] = v
		case "section":
			full["x-ms-apimTemplate-policySection"] = v
		default:
			full["x-ms-apimTemplateParameter."+k] = v
		}
	}
	b, _ := json.Marshal(map[string]any{"templateId": template, "title": title, "parameters": full})
	return string(b)
}

func policies(items ...string) string { return "[" + strings.Join(items, ",") + "]" }

func findingIDs(fs []connector.Finding) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.ID)
	}
	return ids
}

// serverRequest builds a request as an http.Server hands it to a handler.
func serverRequest(method, target, body string, header map[string]string) *http.Request {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, target, rd)
	r.RequestURI = ""
	for k, v := range header {
		r.Header.Set(k, v)
	}
	return r
}

func readAll(t testing.TB, rc io.Reader) string {
	t.Helper()
	if rc == nil {
		return ""
	}
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// compactJSON normalises JSON text for comparison.
func compactJSON(t testing.TB, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return b.String()
}
