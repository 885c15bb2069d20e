package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

const sample = "../examples/contoso-orders"

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = Run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./cli -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s changed (run go test ./cli -run %s -update and review):\n--- want\n%s\n--- got\n%s", p, t.Name(), want, got)
	}
}

// TestExitCodes pins the exit-code contract of ARCHITECTURE.md §3.
func TestExitCodes(t *testing.T) {
	broken := filepath.Join(t.TempDir(), "broken.swagger.json")
	if err := os.WriteFile(broken, []byte(`{"swagger": "2.0", "paths": {`), 0o644); err != nil {
		t.Fatal(err)
	}
	envoy := "../../shared/corpus/connectors/certified-connectors/envoy" // one lint error, warnings
	cases := []struct {
		name string
		args []string
		want int
		in   string // substring of stderr or stdout
	}{
		{"no args", nil, ExitUsage, "Usage"},
		{"help", []string{"help"}, ExitOK, "Commands:"},
		{"unknown command", []string{"valdate"}, ExitUsage, `did you mean "validate"`},
		{"unknown flag", []string{"validate", "--nope", sample}, ExitUsage, "nope"},
		{"bad level", []string{"validate", "--fail-on", "bogus", sample}, ExitUsage, `unknown level "bogus"`},
		{"missing path", []string{"validate"}, ExitUsage, "PATH"},
		{"clean sample", []string{"validate", sample}, ExitOK, "0 errors"},
		{"sample fails on info", []string{"validate", "--fail-on", "info", sample}, ExitFindings, "1 info"},
		{"nonexistent", []string{"validate", "no/such/dir"}, ExitUsage, "no such file"},
		{"broken JSON names line:col", []string{"validate", broken}, ExitUsage, "broken.swagger.json:1:"},
		{"lint error fails", []string{"validate", "--quiet", envoy}, ExitFindings, "1 error"},
		{"flags after path", []string{"validate", envoy, "--quiet", "--fail-on", "error"}, ExitFindings, "1 error"},
		{"inspect sample", []string{"inspect", sample}, ExitOK, "12 operations"},
		{"inspect nonexistent", []string{"inspect", "no/such"}, ExitUsage, "no such file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if strings.Contains(strings.Join(tc.args, " "), "shared/corpus") {
				if _, err := os.Stat(envoy); err != nil {
					t.Skip("corpus not present")
				}
			}
			code, out, errOut := run(t, tc.args...)
			if code != tc.want {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.want, out, errOut)
			}
			if !strings.Contains(out+errOut, tc.in) {
				t.Errorf("output lacks %q\nstdout: %s\nstderr: %s", tc.in, out, errOut)
			}
		})
	}
}

func TestValidateJSON(t *testing.T) {
	code, out, _ := run(t, "validate", "--format", "json", sample)
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	var rep struct {
		SchemaVersion int  `json:"schemaVersion"`
		Passed        bool `json:"passed"`
		Results       []struct {
			Connector string `json:"connector"`
			Findings  []struct {
				ID   string `json:"id"`
				Line int    `json:"line"`
			} `json:"findings"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if rep.SchemaVersion != 1 || !rep.Passed || len(rep.Results) != 1 || rep.Results[0].Connector != "Contoso Orders" {
		t.Fatalf("report = %+v", rep)
	}
	if f := rep.Results[0].Findings; len(f) != 1 || f[0].ID != "security-scheme-renamed" || f[0].Line == 0 {
		t.Errorf("findings = %+v; want the one located security-scheme-renamed", f)
	}
}

func TestInspectGolden(t *testing.T) {
	code, out, errOut := run(t, "inspect", sample)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden(t, "inspect-sample.golden", out)
	code, out, _ = run(t, "inspect", "--format", "json", sample)
	if code != ExitOK {
		t.Fatalf("json: exit %d", code)
	}
	var v struct {
		Name       string `json:"name"`
		Operations []struct {
			ID string `json:"operationId"`
		} `json:"operations"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("inspect --format json is not JSON: %v", err)
	}
	if v.Name != "Contoso Orders" || len(v.Operations) != 12 {
		t.Errorf("inspect json: name %q, %d operations", v.Name, len(v.Operations))
	}
}
