package contract

import (
	"time"
)

// SchemaVersion is the version of the JSON report layout. Bump it when a
// field changes meaning or disappears; adding fields does not bump it.
const SchemaVersion = 1

// Kind says what produced a report.
type Kind string

// Report kinds.
const (
	KindDiff  Kind = "diff"  // definition vs definition
	KindTest  Kind = "test"  // replay or generated requests against a target
	KindDrift Kind = "drift" // recorded traffic vs the definition, offline
)

// Report is the outcome of one contract run. Every formatter renders it.
type Report struct {
	SchemaVersion int       `json:"schemaVersion"`
	Tool          string    `json:"tool"`
	Kind          Kind      `json:"kind"`
	Connector     string    `json:"connector"`
	Started       time.Time `json:"started"`
	Duration      Duration  `json:"duration"`
	// Old and New name the two definitions of a diff; Target the URL a
	// test ran against; Recordings the file replayed.
	Old        string `json:"old,omitempty"`
	New        string `json:"new,omitempty"`
	Target     string `json:"target,omitempty"`
	Recordings string `json:"recordings,omitempty"`
	Shard      string `json:"shard,omitempty"`
	FailOn     Level  `json:"failOn"`
	// CustomCode is set when the connector runs a C# script: recorded
	// traffic is then script output and may differ from the definition
	// without the API having drifted.
	CustomCode bool `json:"customCode,omitempty"`
	// Noise lists what was ignored by default (volatile headers and
	// values) and by the user's ignore rules, so nothing is hidden.
	Noise []string `json:"noise,omitempty"`
	// Suites group test cases: one per connector or recording session.
	Suites []Suite `json:"suites,omitempty"`
	// Findings are those not tied to a test case (diff findings, and
	// connector-wide ones such as coverage).
	Findings []Finding      `json:"findings,omitempty"`
	Counts   map[string]int `json:"counts"`
	Passed   bool           `json:"passed"`
}

// Suite is a group of cases: a connector or a recording session.
type Suite struct {
	Name  string `json:"name"`
	Cases []Case `json:"cases"`
	// Summary tallies the cases that ran but are not in Cases (a replay
	// beyond the Keep caps); nil when every case is listed.
	Summary *Summary `json:"summary,omitempty"`
}

// Case is one operation × exchange: a replayed or generated request and
// the findings on its response.
type Case struct {
	Name      string    `json:"name"`
	Operation string    `json:"operation,omitempty"`
	Method    string    `json:"method,omitempty"`
	URL       string    `json:"url,omitempty"`
	Exchange  int64     `json:"exchange,omitempty"`
	Status    int       `json:"status,omitempty"`
	Duration  Duration  `json:"duration"`
	Skipped   string    `json:"skipped,omitempty"`
	Error     string    `json:"error,omitempty"`
	Findings  []Finding `json:"findings,omitempty"`
	// Recorded and Replayed are the two response bodies compared, kept
	// for the HTML report's side-by-side view (capped by the runner).
	Recorded string `json:"recorded,omitempty"`
	Replayed string `json:"replayed,omitempty"`
}

// Duration marshals as milliseconds so reports stay language-neutral.
type Duration time.Duration

// MarshalJSON writes milliseconds with microsecond precision.
func (d Duration) MarshalJSON() ([]byte, error) {
	ms := float64(time.Duration(d).Microseconds()) / 1000
	return []byte(formatFloat(ms)), nil
}

// UnmarshalJSON reads milliseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var ms float64
	if err := jsonUnmarshal(b, &ms); err != nil {
		return err
	}
	*d = Duration(time.Duration(ms * float64(time.Millisecond)))
	return nil
}

// AllFindings returns the report's findings and those of every listed
// case (a suite's Summary tallies those of the others).
func (r *Report) AllFindings() []Finding {
	out := append([]Finding(nil), r.Findings...)
	for _, s := range r.Suites {
		for _, c := range s.Cases {
			out = append(out, c.Findings...)
		}
	}
	return out
}

// Finish computes counts and the pass/fail verdict against r.FailOn,
// summarised cases included.
func (r *Report) Finish() {
	all := r.AllFindings()
	r.Counts = Counts(all)
	r.Passed = !Fails(all, r.FailOn)
	for _, s := range r.Suites {
		for _, c := range s.Cases {
			if c.Error != "" {
				r.Passed = false
			}
		}
		for lv, n := range s.Summary.Levels() {
			r.Counts[lv] += n
		}
		if s.Summary.Fails(r.FailOn) {
			r.Passed = false
		}
	}
	if r.SchemaVersion == 0 {
		r.SchemaVersion = SchemaVersion
	}
}

// CaseFailed reports whether a case fails at threshold: an error running
// it, or a finding at or above threshold. Warnings below it do not fail.
func (c Case) Failed(threshold Level) bool {
	return c.Error != "" || Fails(c.Findings, threshold)
}
