package app

import (
	"testing"

	"github.com/connectorlab/connectorlab/contract"
)

// TestReportViewCountsSummarisedCases: a run beyond the report's caps
// lists some cases and tallies the rest; the Contract screen's totals are
// both, per operation and for the run.
func TestReportViewCountsSummarisedCases(t *testing.T) {
	t.Parallel()
	fail := contract.Finding{ID: "operation-missing", Level: contract.LevelError, Message: "x"}
	sm := &contract.Summary{}
	for range 7 {
		sm.Add(contract.Case{Operation: "GetOrder"}, contract.LevelError)
	}
	for range 3 {
		sm.Add(contract.Case{Operation: "", Findings: []contract.Finding{fail}}, contract.LevelError)
	}
	r := &contract.Report{FailOn: contract.LevelError, Suites: []contract.Suite{{Name: "s", Summary: sm, Cases: []contract.Case{
		{Name: "GetOrder #1", Operation: "GetOrder"},
		{Name: "GET /x #2", Findings: []contract.Finding{fail}},
	}}}}
	r.Finish()
	v := reportView(r)
	if v.Done != 12 || v.Total != 12 {
		t.Errorf("done %d total %d, want 12 cases", v.Done, v.Total)
	}
	got := map[string]OperationResult{}
	for _, o := range v.Operations {
		got[o.Operation] = o
	}
	for _, tt := range []struct {
		op                         string
		passed, failed, summarised int
		listed                     int
		verdict                    string
	}{
		{"GetOrder", 8, 0, 7, 1, "passed"},
		{"(no operation matched)", 0, 4, 3, 1, "failed"},
	} {
		o := got[tt.op]
		if o.Passed != tt.passed || o.Failed != tt.failed || o.Summarised != tt.summarised || len(o.Cases) != tt.listed || o.Verdict != tt.verdict {
			t.Errorf("%s: %+v, want passed %d failed %d summarised %d listed %d %s", tt.op, o, tt.passed, tt.failed, tt.summarised, tt.listed, tt.verdict)
		}
	}
	if r.Counts["error"] != 4 || r.Passed {
		t.Errorf("report counts %v passed %v, want 4 errors and failed", r.Counts, r.Passed)
	}
}
