package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewValidatePackExport: the CLI path a maker follows — new from an
// OpenAPI 3 file, validate, pack, export and new again from the export.
func TestNewValidatePackExport(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "pets")
	code, stdout, stderr := run(t, "new", out, "--from", "../authoring/testdata/losses.openapi3.json", "--auth", "apikey")
	if code != ExitOK {
		t.Fatalf("new: exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"create-oneof-approximated", "create-cookie-parameter", "losses.openapi3.json:", "wrote " + out} {
		if !strings.Contains(stdout, want) {
			t.Errorf("new output lacks %q:\n%s", want, stdout)
		}
	}
	if code, stdout, _ := run(t, "validate", out); code != ExitOK {
		t.Fatalf("validate the new folder: exit %d\n%s", code, stdout)
	}
	// A second new into the same folder must not overwrite it.
	if code, _, stderr := run(t, "new", out, "--from", "blank"); code != ExitUsage || !strings.Contains(stderr, "--force") {
		t.Errorf("new over an existing connector: exit %d, %s", code, stderr)
	}
	zip := filepath.Join(dir, "pets.zip")
	if code, stdout, stderr := run(t, "pack", out, "--output", zip); code != ExitOK {
		t.Fatalf("pack: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if st, err := os.Stat(zip); err != nil || st.Size() == 0 {
		t.Fatalf("no zip written: %v", err)
	}
	if code, _, _ := run(t, "pack", out, "--certification", "--check"); code != ExitFindings {
		t.Errorf("pack --certification without publisher: exit %d, want 1", code)
	}
	oa3 := filepath.Join(dir, "pets.openapi3.json")
	if code, _, stderr := run(t, "export", out, "--to", "openapi3", "--output", oa3); code != ExitOK {
		t.Fatalf("export: exit %d %s", code, stderr)
	}
	again := filepath.Join(dir, "again")
	if code, stdout, stderr := run(t, "new", again, "--from", oa3); code != ExitOK {
		t.Fatalf("new from export: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, stdout, _ := run(t, "diff", out, again); code != ExitOK {
		t.Errorf("diff after export → new: exit %d\n%s", code, stdout)
	}
}

func TestNewUsageErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"new", filepath.Join(dir, "a")}, ExitUsage, "--from"},
		{[]string{"new", "--from", "blank"}, ExitUsage, "DIR"},
		{[]string{"new", filepath.Join(dir, "b"), "--from", "blank", "--auth", "ntlm"}, ExitUsage, "--auth"},
		{[]string{"new", filepath.Join(dir, "c"), "--from", filepath.Join(dir, "missing.json")}, ExitUsage, "missing.json"},
		{[]string{"new", filepath.Join(dir, "d"), "--from", "s1", "--db", filepath.Join(dir, "none.db")}, ExitUsage, "none.db"},
		{[]string{"pack", filepath.Join(dir, "nothing")}, ExitUsage, "nothing"},
		{[]string{"export", sampleDir, "--to", "raml"}, ExitUsage, "openapi3"},
		{[]string{"export", sampleDir, "--to", "mockoon", "--overrides", filepath.Join(dir, "missing", "overrides.json")}, ExitOK, "export-mockoon-operation-id"},
	}
	for _, tc := range cases {
		code, _, stderr := run(t, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d (want %d), stderr %q lacks %q", tc.args, code, tc.code, stderr, tc.msg)
		}
	}
}

// TestNewFromSessionAndMerge: a recorded session becomes a connector, and
// --merge adds to the example connector without reformatting it.
func TestNewFromSessionAndMerge(t *testing.T) {
	db, _ := recordPair(t, "10-Tesseron-ASM-Basic-Data")
	dir := t.TempDir()
	session := "smoke"
	out := filepath.Join(dir, "learnt")
	if code, stdout, stderr := run(t, "new", out, "--from", session, "--db", db); code != ExitOK {
		t.Fatalf("new --from session: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, stdout, _ := run(t, "validate", out); code != ExitOK {
		t.Errorf("validate learnt: exit %d\n%s", code, stdout)
	}
	def := filepath.Join(dir, "apiDefinition.swagger.json")
	b, _ := os.ReadFile(filepath.Join(pairs, "10-Tesseron-ASM-Basic-Data", "new.swagger.json"))
	os.WriteFile(def, b, 0o644)
	if code, _, stderr := run(t, "new", "--merge", def, "--from", session, "--db", db); code != ExitOK || !strings.Contains(stderr, "merged into") {
		t.Fatalf("merge: exit %d %s", code, stderr)
	}
	if code, _, _ := run(t, "validate", def); code != ExitOK {
		t.Errorf("validate merged: exit %d", code)
	}
}

// TestExportMockoonAndBack: export --to mockoon writes an environment
// that new --from reads back into a folder validate accepts.
func TestExportMockoonAndBack(t *testing.T) {
	dir := t.TempDir()
	env := filepath.Join(dir, "contoso.mockoon.json")
	code, _, stderr := run(t, "export", sampleDir, "--to", "mockoon", "--output", env)
	if code != ExitOK || !strings.Contains(stderr, "export-mockoon-auth") {
		t.Fatalf("export --to mockoon: exit %d\n%s", code, stderr)
	}
	back := filepath.Join(dir, "back")
	if code, stdout, stderr := run(t, "new", back, "--from", env); code != ExitOK || !strings.Contains(stdout, "(mockoon)") {
		t.Fatalf("new --from the export: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, stdout, _ := run(t, "validate", back); code != ExitOK || !strings.Contains(stdout, "0 errors") {
		t.Errorf("validate the reimported folder: exit %d\n%s", code, stdout)
	}
}
