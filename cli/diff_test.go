package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const pairs = "../../shared/corpus/pairs"

func TestDiffExitCodes(t *testing.T) {
	p15 := filepath.Join(pairs, "15-Cognito-Forms")
	cases := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"breaking change fails", []string{"diff", p15 + "/old.swagger.json", p15 + "/new.swagger.json"}, ExitFindings, "response-status-changed"},
		{"same file passes", []string{"diff", p15 + "/old.swagger.json", p15 + "/old.swagger.json"}, ExitOK, "0 errors"},
		{"info threshold on compatible pair", []string{"diff", "--fail-on", "info", filepath.Join(pairs, "14-CivicPlus/old.swagger.json"), filepath.Join(pairs, "14-CivicPlus/new.swagger.json")}, ExitFindings, ""},
		{"error threshold on compatible pair", []string{"diff", filepath.Join(pairs, "14-CivicPlus/old.swagger.json"), filepath.Join(pairs, "14-CivicPlus/new.swagger.json")}, ExitOK, ""},
		{"one argument", []string{"diff", p15 + "/old.swagger.json"}, ExitUsage, ""},
		{"missing file", []string{"diff", "nope.json", p15 + "/old.swagger.json"}, ExitUsage, ""},
		{"bad format", []string{"diff", "--format", "yaml", p15 + "/old.swagger.json", p15 + "/new.swagger.json"}, ExitUsage, ""},
		{"bad fail-on", []string{"diff", "--fail-on", "fatal", p15 + "/old.swagger.json", p15 + "/new.swagger.json"}, ExitUsage, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out, errOut)
			}
			if !strings.Contains(out, tc.out) {
				t.Fatalf("stdout lacks %q:\n%s", tc.out, out)
			}
		})
	}
}

func TestDiffJSONAndOutputFile(t *testing.T) {
	p := filepath.Join(pairs, "17-secplugs")
	dest := filepath.Join(t.TempDir(), "r.json")
	code, _, errOut := run(t, "diff", "--format", "json", "--output", dest, p+"/old.swagger.json", p+"/new.swagger.json")
	if code != ExitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(dest)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		SchemaVersion int `json:"schemaVersion"`
		Findings      []struct {
			ID, Old, New string
			Line         int
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	// The rename, then two info findings: the x-api-key / x-client-id
	// defaults ("") were dropped on the renamed operation.
	if r.SchemaVersion != 1 || len(r.Findings) != 3 || r.Findings[0].ID != "operation-renamed" || r.Findings[0].Old != "emailscan" || r.Findings[0].Line == 0 {
		t.Fatalf("report = %+v", r)
	}
}
