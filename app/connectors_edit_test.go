package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copySampleTo copies the sample connector's files into a temp folder.
func copySampleTo(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "contoso")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"apiDefinition.swagger.json", "apiProperties.json"} {
		b, err := os.ReadFile(filepath.Join(sample, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestEditOperationSavesAndRefreshes: the Connectors screen's edit writes
// the words into the definition with a small diff and returns the
// connector opened again, its findings refreshed.
func TestEditOperationSavesAndRefreshes(t *testing.T) {
	t.Parallel()
	s := newTestConnectors(t)
	dir := copySampleTo(t)
	v, err := s.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	def := filepath.Join(dir, "apiDefinition.swagger.json")
	before, _ := os.ReadFile(def)
	v2, err := s.EditOperation(v.Path, OperationEditForm{OperationID: "GetOrder", Summary: "Get one order", Description: "Returns the order with its lines.", Visibility: "advanced"})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, g := range v2.Groups {
		for _, o := range g.Operations {
			if o.ID == "GetOrder" {
				found = o.Summary == "Get one order" && o.Description == "Returns the order with its lines." && o.Visibility == "advanced"
			}
		}
	}
	if !found {
		t.Errorf("the view returned does not show the edit")
	}
	after, _ := os.ReadFile(def)
	if n := len(strings.Split(string(after), "\n")) - len(strings.Split(string(before), "\n")); n < 0 || n > 1 {
		t.Errorf("the edit changed the line count by %d", n)
	}
	// Removing the summary is refused with a fix; lint sees an empty
	// description only after save.
	if _, err := s.EditOperation(v.Path, OperationEditForm{OperationID: "GetOrder", Summary: " "}); err == nil || describe(err).Fix == "" {
		t.Errorf("empty summary: %v", err)
	}
	v3, err := s.EditOperation(v.Path, OperationEditForm{OperationID: "GetOrder", Summary: "Get one order", Visibility: "advanced"})
	if err != nil {
		t.Fatal(err)
	}
	if v3.Counts["warning"]+v3.Counts["info"] <= v2.Counts["warning"]+v2.Counts["info"] {
		t.Errorf("removing the description did not add a finding: before %v after %v", v2.Counts, v3.Counts)
	}
	if _, err := s.EditOperation(filepath.Join(dir, "nope"), OperationEditForm{OperationID: "GetOrder"}); err == nil {
		t.Error("a connector that is not open was edited")
	}
}

// TestExportMockoonFromTheWindow writes the environment and lists the
// losses with locations.
func TestExportMockoonFromTheWindow(t *testing.T) {
	t.Parallel()
	s := newTestConnectors(t)
	v, err := s.Open(copySampleTo(t))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "env.json")
	x, err := s.ExportMockoon(v.Path, out)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	var env map[string]any
	if err != nil || json.Unmarshal(b, &env) != nil || env["lastMigration"] == nil {
		t.Fatalf("not a Mockoon environment: %v", err)
	}
	if x.File != out || x.Routes < 10 || len(x.Findings) == 0 || x.Findings[0].Location == "" {
		t.Errorf("export view %+v", x)
	}
	if got, err := s.ExportMockoon(v.Path, ""); err != nil || got.File != "" {
		t.Errorf("a cancelled dialog: %+v, %v", got, err)
	}
}
