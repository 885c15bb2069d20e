package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/contract"
)

// TestFormatsCountSummarisedCases: every format counts the cases a suite
// tallied rather than listed and says it did.
func TestFormatsCountSummarisedCases(t *testing.T) {
	t.Parallel()
	bad := contract.Finding{ID: "status-undeclared", Level: contract.LevelError, Message: "418"}
	sm := &contract.Summary{}
	for range 40 {
		sm.Add(contract.Case{Operation: "GetOrder"}, contract.LevelError)
	}
	for range 2 {
		sm.Add(contract.Case{Operation: "GetOrder", Findings: []contract.Finding{bad}}, contract.LevelError)
	}
	r := &contract.Report{Kind: contract.KindTest, Connector: "Contoso", FailOn: contract.LevelError, Suites: []contract.Suite{{
		Name: "session big", Summary: sm, Cases: []contract.Case{{Name: "GetOrder #1", Operation: "GetOrder", Findings: []contract.Finding{bad}}},
	}}}
	r.Finish()
	if r.Passed || r.Counts["error"] != 3 {
		t.Fatalf("counts %v passed %v, want 3 errors, failed", r.Counts, r.Passed)
	}
	for _, tt := range []struct {
		format string
		want   []string
	}{
		{"text", []string{"42 cases summarised, not listed (40 passed, 2 failed)", "GetOrder: 42 cases (40 passed, 2 failed); status-undeclared error ×2", "43 cases, 3 failed"}},
		{"junit", []string{`tests="43" failures="3"`, `name="summarised" value="42"`, "42 cases summarised"}},
		{"html", []string{"cases: <b>43</b>, failed: <b>3</b>", "42 more cases of session big summarised, not listed", "<code>status-undeclared</code> error ×2"}},
		{"json", []string{`"summary": {`, `"cases": 42`, `"count": 2`}},
		{"github", []string{"::notice title=summarised session big::session big: 42 cases summarised"}},
	} {
		f, err := New(tt.format, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := f.Format(&b, r); err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: no %q in\n%s", tt.format, w, b.String())
			}
		}
	}
}
