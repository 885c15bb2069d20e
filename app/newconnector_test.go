package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewConnectorPreviewAndSave: the desktop New connector flow shows the
// operations and losses of an OpenAPI 3 file, saves a folder that loads,
// and never replaces an existing connector unasked.
func TestNewConnectorPreviewAndSave(t *testing.T) {
	t.Parallel()
	s := newNewConnectorService(quietLog(), newStoreHolder(quietLog(), filepath.Join(t.TempDir(), "rec.db")), noDialogs{})
	v, err := s.Preview(NewConnectorRequest{From: "../authoring/testdata/losses.openapi3.json", Auth: "apikey"})
	if err != nil {
		t.Fatal(err)
	}
	if v.Source != "openapi3" || len(v.Operations) != 3 || v.Auth != "apiKey" {
		t.Errorf("preview: source %s, %d operations, auth %s", v.Source, len(v.Operations), v.Auth)
	}
	ids := map[string]bool{}
	for _, f := range v.Findings {
		ids[f.ID] = true
		if f.Location == "" {
			t.Errorf("finding %s has no location", f.ID)
		}
	}
	if !ids["create-oneof-approximated"] || !strings.Contains(v.Definition, `"swagger": "2.0"`) {
		t.Errorf("preview lacks the oneOf loss or the definition: %v", ids)
	}
	dir := filepath.Join(t.TempDir(), "pets")
	got, err := s.Save(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(got, "apiProperties.json")); err != nil {
		t.Errorf("no apiProperties.json written: %v", err)
	}
	if _, err := s.Save(dir, false); err == nil || describe(err).Fix == "" {
		t.Errorf("saving over a connector: %v (want an error with a fix)", err)
	}
	if _, err := s.Preview(NewConnectorRequest{}); err == nil {
		t.Error("no source accepted")
	}
	if _, err := s.Preview(NewConnectorRequest{From: "blank", Auth: "ldap"}); err == nil || !strings.Contains(describe(err).Fix, "apikey") {
		t.Errorf("bad auth: %v", err)
	}
}

// TestNewConnectorFromMockoon: the New connector flow accepts a Mockoon
// environment and lists its losses with their pointers.
func TestNewConnectorFromMockoon(t *testing.T) {
	t.Parallel()
	s := newNewConnectorService(quietLog(), newStoreHolder(quietLog(), filepath.Join(t.TempDir(), "rec.db")), noDialogs{})
	v, err := s.Preview(NewConnectorRequest{From: "../workflow/create/testdata/mockoon-environment.json"})
	if err != nil {
		t.Fatal(err)
	}
	if v.Source != "mockoon" || len(v.Operations) != 3 {
		t.Fatalf("source %s with %d operations, want mockoon with 3", v.Source, len(v.Operations))
	}
	var rules bool
	for _, f := range v.Findings {
		if f.ID == "create-mockoon-rules" && strings.Contains(f.Location, "#/routes/") {
			rules = true
		}
	}
	if !rules {
		t.Errorf("no create-mockoon-rules finding with its route pointer: %+v", v.Findings)
	}
}
