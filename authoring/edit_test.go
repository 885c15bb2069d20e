package authoring_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/connector/jsontext"
	"github.com/connectorlab/connectorlab/internal/corpus"
)

func ptr(s string) *string { return &s }

// changedLines counts the lines only one of a and b has (as multisets:
// enough for edits that add, remove or replace a few lines).
func changedLines(a, b string) int {
	count := map[string]int{}
	for _, l := range strings.Split(a, "\n") {
		count[l]++
	}
	for _, l := range strings.Split(b, "\n") {
		count[l]--
	}
	n := 0
	for _, c := range count {
		n += max(c, -c)
	}
	return n
}

// TestEditOperationCorpus edits the first operation of a sample of real
// corpus connectors: the summary, description and x-ms-visibility change,
// the rest of the file keeps its bytes (a diff of a few lines), and the
// connector loads with the new words.
func TestEditOperationCorpus(t *testing.T) {
	t.Parallel()
	root, dirs := corpus.Dirs(t)
	step := 40
	if testing.Short() {
		step = 120
	}
	ctx := context.Background()
	tried := 0
	for i := 0; i < len(dirs); i += step {
		dir := filepath.Join(root, dirs[i])
		def := filepath.Join(dir, "apiDefinition.swagger.json")
		orig, err := os.ReadFile(def)
		if err != nil {
			continue
		}
		c, err := connector.Load(ctx, dir)
		if err != nil || len(c.Operations) == 0 || c.Format != connector.FormatSwagger2 {
			continue
		}
		if norm, _, err := jsontext.Normalize(orig, jsontext.Options{}); err != nil || string(norm) != string(orig) {
			continue // a file with repairs (comments, BOM) is rewritten normalised; covered below
		}
		op := c.Operations[0]
		tried++
		t.Run(dirs[i], func(t *testing.T) {
			out, changed, err := authoring.EditOperation(def, orig, authoring.OperationEdit{
				OperationID: op.ID, Summary: ptr("Edited summary of the action"), Description: ptr("What the action does, edited."), Visibility: ptr("advanced"),
			})
			if err != nil || !changed {
				t.Fatalf("edit %s: changed %v, %v", op.ID, changed, err)
			}
			if n := changedLines(string(orig), string(out)); n > 8 {
				t.Errorf("the edit changed %d lines; want at most 8: three members replaced or added, and the comma of the member before an appended one", n)
			}
			tmp := t.TempDir()
			for _, f := range []string{"apiDefinition.swagger.json", "apiProperties.json"} {
				b, err := os.ReadFile(filepath.Join(dir, f))
				if err != nil {
					continue
				}
				if f == "apiDefinition.swagger.json" {
					b = out
				}
				if err := os.WriteFile(filepath.Join(tmp, f), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			c2, err := connector.Load(ctx, tmp)
			if err != nil {
				t.Fatalf("the edited file does not load: %v", err)
			}
			o := c2.Operation(op.ID)
			if o == nil || o.Op.Summary != "Edited summary of the action" || o.Op.Description != "What the action does, edited." || o.Visibility != connector.VisibilityAdvanced {
				t.Fatalf("edited operation: %+v", o)
			}
			if len(c2.Operations) != len(c.Operations) {
				t.Errorf("%d operations after the edit, %d before", len(c2.Operations), len(c.Operations))
			}
			// Editing back gives the same words again (not necessarily
			// the same bytes: a member that was missing stays).
			back, _, err := authoring.EditOperation(def, out, authoring.OperationEdit{OperationID: op.ID, Summary: ptr(orOr(op.Op.Summary, "x"))})
			if err != nil || !strings.Contains(string(back), "What the action does, edited.") {
				t.Errorf("second edit: %v", err)
			}
		})
	}
	if tried == 0 {
		t.Fatal("no corpus connector was tried")
	}
}

func orOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestEditOperationKeepsKeyOrder: a member the operation has is replaced
// in place; a new one is appended after its siblings; removing one takes
// its line.
func TestEditOperationKeepsKeyOrder(t *testing.T) {
	t.Parallel()
	src := `{
    "swagger": "2.0",
    "info": {"title": "T", "version": "1"},
    "paths": {
        "/a/{id}": {
            "get": {
                "operationId": "GetA",
                "summary": "Old",
                "description": "Gone soon",
                "responses": {"200": {"description": "OK"}}
            }
        }
    }
}
`
	out, changed, err := authoring.EditOperation("api.json", []byte(src), authoring.OperationEdit{OperationID: "GetA", Summary: ptr("New"), Description: ptr(""), Visibility: ptr("important")})
	if err != nil || !changed {
		t.Fatalf("changed %v, %v", changed, err)
	}
	want := `{
    "swagger": "2.0",
    "info": {"title": "T", "version": "1"},
    "paths": {
        "/a/{id}": {
            "get": {
                "operationId": "GetA",
                "summary": "New",
                "responses": {"200": {"description": "OK"}},
                "x-ms-visibility": "important"
            }
        }
    }
}
`
	if string(out) != want {
		t.Fatalf("got\n%s\nwant\n%s", out, want)
	}
	same, changed, err := authoring.EditOperation("api.json", out, authoring.OperationEdit{OperationID: "GetA", Summary: ptr("New")})
	if err != nil || changed || string(same) != string(out) {
		t.Errorf("an edit to the same words changed the file: %v %v", changed, err)
	}
}

// TestEditOperationErrors: every bad edit says the field and the fix.
func TestEditOperationErrors(t *testing.T) {
	t.Parallel()
	good := `{"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {"/a": {"get": {"operationId": "GetA", "responses": {"200": {"description": "OK"}}}}}}`
	tests := []struct {
		name, src string
		edit      authoring.OperationEdit
		field     string
	}{
		{"unknown operation", good, authoring.OperationEdit{OperationID: "Nope", Summary: ptr("x")}, "operationId"},
		{"empty summary", good, authoring.OperationEdit{OperationID: "GetA", Summary: ptr("  ")}, "/paths/~1a/get/summary"},
		{"summary with a line break", good, authoring.OperationEdit{OperationID: "GetA", Summary: ptr("a\nb")}, "/paths/~1a/get/summary"},
		{"bad visibility", good, authoring.OperationEdit{OperationID: "GetA", Visibility: ptr("hidden")}, "/paths/~1a/get/x-ms-visibility"},
		{"not swagger 2", `{"openapi": "3.0.0", "paths": {}}`, authoring.OperationEdit{OperationID: "GetA"}, "swagger"},
		{"broken json", `{"swagger": "2.0", "paths": {`, authoring.OperationEdit{OperationID: "GetA"}, "(file)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := authoring.EditOperation("api.json", []byte(tt.src), tt.edit)
			var ee *authoring.EditError
			if !errors.As(err, &ee) {
				t.Fatalf("error %v, want an EditError", err)
			}
			if ee.Field != tt.field || ee.Fix == "" || ee.File != "api.json" {
				t.Errorf("error %+v, want field %s with a fix", ee, tt.field)
			}
		})
	}
}

// TestEditOperationFile writes in place and keeps the file's mode.
func TestEditOperationFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "apiDefinition.swagger.json")
	src := "{\n  \"swagger\": \"2.0\",\n  \"info\": {\"title\": \"T\", \"version\": \"1\"},\n  \"paths\": {\"/a\": {\"get\": {\"operationId\": \"GetA\", \"responses\": {\"200\": {\"description\": \"OK\"}}}}}\n}\n"
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	changed, err := authoring.EditOperationFile(p, authoring.OperationEdit{OperationID: "GetA", Summary: ptr("Get an A")})
	if err != nil || !changed {
		t.Fatalf("changed %v, %v", changed, err)
	}
	b, _ := os.ReadFile(p)
	if !strings.Contains(string(b), `"summary": "Get an A"`) {
		t.Errorf("not written: %s", b)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 kept", st.Mode().Perm())
	}
	es, _ := os.ReadDir(dir)
	if len(es) != 1 {
		t.Errorf("left %d files in the folder, want only the definition", len(es))
	}
}
