package catalog

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/workflow/customcode"
)

const sample = "../../examples/contoso-orders"

func TestValidateReport(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"swagger": "2.0", "paths": {`), 0o600)
	var seen []string
	rep := Validate(context.Background(), &connector.Loader{}, []string{sample, bad}, connector.LevelError, "test", customcode.Off, func(i, n int, p string) { seen = append(seen, p) })
	if len(rep.Results) != 2 || len(seen) != 2 || rep.Passed {
		t.Fatalf("report %+v", rep)
	}
	if rep.Results[0].Connector != "Contoso Orders" || rep.Results[1].Err == nil || rep.Results[1].Error == "" {
		t.Errorf("results %+v", rep.Results)
	}
	var b bytes.Buffer
	WriteValidate(&b, rep, false, true)
	if !strings.Contains(b.String(), "cannot load") || !strings.Contains(b.String(), "2 connectors checked, failed (--fail-on error)") {
		t.Errorf("text:\n%s", b.String())
	}
	// Warnings fail only at --fail-on warning.
	lax := Validate(context.Background(), &connector.Loader{}, []string{sample}, connector.LevelError, "test", customcode.Off, nil)
	strict := Validate(context.Background(), &connector.Loader{}, []string{sample}, connector.LevelInfo, "test", customcode.Off, nil)
	if lax.Findings && !strict.Findings {
		t.Errorf("a lower threshold found less: lax %v strict %v", lax.Findings, strict.Findings)
	}
}

func TestWriteInspect(t *testing.T) {
	t.Parallel()
	c, err := (&connector.Loader{}).Load(context.Background(), sample)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	WriteInspect(&b, c, sample)
	for _, want := range []string{"Contoso Orders", "auth:", "operations", "GetOrder"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("inspect lacks %q:\n%s", want, b.String())
		}
	}
}
