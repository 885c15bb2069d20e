package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/internal/testkit"
)

func TestDiffPairPutsBreakingChangesFirstAndExports(t *testing.T) {
	dir := testkit.Pair(t, "05-SignatureAPI")
	s := newDiffService(quietLog(), noDialogs{})
	v, err := s.Compare(filepath.Join(dir, "old.swagger.json"), filepath.Join(dir, "new.swagger.json"))
	if err != nil {
		t.Fatal(err)
	}
	if v.Passed || v.Counts["error"] == 0 || len(v.Findings) == 0 {
		t.Fatalf("diff = %+v", v)
	}
	seenLower := false
	for _, f := range v.Findings {
		if f.Level != "error" {
			seenLower = true
		} else if seenLower {
			t.Fatalf("an error comes after a lower level: %+v", v.Findings)
		}
	}
	if v.Findings[0].Location == "" || !strings.Contains(v.Findings[0].Location, "new.swagger.json") {
		t.Errorf("first finding has no location: %+v", v.Findings[0])
	}
	for _, format := range []string{"html", "junit", "json"} {
		out := filepath.Join(t.TempDir(), "r."+format)
		p, err := s.Export(format, out)
		if err != nil || p != out {
			t.Fatalf("export %s: %q %v", format, p, err)
		}
		if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
			t.Fatalf("export %s wrote nothing", format)
		}
	}
	if _, err := s.Export("pdf", filepath.Join(t.TempDir(), "x")); err == nil {
		t.Error("pdf export accepted")
	}
}

func TestDiffMissingSideSaysWhich(t *testing.T) {
	s := newDiffService(quietLog(), noDialogs{})
	_, err := s.Compare(sample, filepath.Join(t.TempDir(), "nope.json"))
	if d := describe(err); !strings.Contains(d.Message, "new definition") {
		t.Fatalf("err = %+v", d)
	}
	if _, err := s.Export("html", ""); err == nil {
		t.Error("export before any diff accepted")
	}
}
