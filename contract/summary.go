package contract

import (
	"sort"
)

// Default caps of Keep: a replay of a million exchanges keeps this many
// cases in full (bodies included, for the HTML side-by-side view) and
// tallies the rest in its suite's Summary, so its report and memory stay
// bounded while totals and the verdict stay exact.
const (
	DefaultKeepFailing = 1000
	DefaultKeepPassing = 100
)

// Keep bounds the cases a suite lists in full: the first Failing failing
// cases (an error running them, or a finding at or above the run's
// fail-on) and the first Passing others, "first" in input order. Zero is
// the default; a negative cap keeps every such case.
type Keep struct {
	Failing int
	Passing int
}

// Caps returns the effective caps (-1: unbounded).
func (k Keep) Caps() (failing, passing int) {
	failing, passing = k.Failing, k.Passing
	if failing == 0 {
		failing = DefaultKeepFailing
	}
	if passing == 0 {
		passing = DefaultKeepPassing
	}
	return max(failing, -1), max(passing, -1)
}

// Outcome is what a case came to, as the run history and the desktop
// count it: an error running it, skipped, failing at the threshold, a
// warning below it, or passed.
type Outcome string

// Outcomes of a case.
const (
	OutcomePassed  Outcome = "passed"
	OutcomeWarning Outcome = "warning"
	OutcomeFailed  Outcome = "failed"
	OutcomeError   Outcome = "error"
	OutcomeSkipped Outcome = "skipped"
)

// Outcome classifies c at threshold. A skipped case carries no findings
// (the runner skips before sending), so "skipped" before "failed" and the
// JUnit order (failure before skipped) agree.
func (c Case) Outcome(threshold Level) Outcome {
	switch {
	case c.Error != "":
		return OutcomeError
	case c.Skipped != "":
		return OutcomeSkipped
	case c.Failed(threshold):
		return OutcomeFailed
	case MaxLevel(c.Findings) == LevelWarning:
		return OutcomeWarning
	}
	return OutcomePassed
}

// Tally counts cases by outcome.
type Tally struct {
	Cases    int `json:"cases"`
	Passed   int `json:"passed"`
	Warnings int `json:"warnings"`
	Failed   int `json:"failed"`
	Errors   int `json:"errors"`
	Skipped  int `json:"skipped"`
	// Warned counts the cases whose highest finding is a warning, whatever
	// their outcome (the run history's warnings column).
	Warned int `json:"warned"`
}

func (t *Tally) add(c Case, o Outcome) {
	t.Cases++
	if MaxLevel(c.Findings) == LevelWarning {
		t.Warned++
	}
	switch o {
	case OutcomePassed:
		t.Passed++
	case OutcomeWarning:
		t.Warnings++
	case OutcomeFailed:
		t.Failed++
	case OutcomeError:
		t.Errors++
	case OutcomeSkipped:
		t.Skipped++
	}
}

// FindingTally is how many findings of one ID and level the summarised
// cases of an operation had.
type FindingTally struct {
	ID    string `json:"id"`
	Level Level  `json:"level"`
	Count int    `json:"count"`
}

// OperationTally is the summarised cases of one operation ("" for
// requests that matched none).
type OperationTally struct {
	Operation string `json:"operation"`
	Tally
	Findings []FindingTally `json:"findings,omitempty"`
}

// Summary tallies the cases of a suite that ran but are not listed in
// Suite.Cases (beyond the Keep caps): per operation, by outcome and by
// finding. Outcomes are counted at the run's fail-on (Report.FailOn).
// Operations and their findings are sorted, so a summary reads the same
// whichever order the cases finished in.
type Summary struct {
	Tally
	// Duration is the summarised cases' time, summed.
	Duration   Duration         `json:"duration"`
	Operations []OperationTally `json:"operations"`
}

// Add tallies c, classified at threshold.
func (s *Summary) Add(c Case, threshold Level) {
	o := c.Outcome(threshold)
	s.add(c, o)
	s.Duration += c.Duration
	i := sort.Search(len(s.Operations), func(i int) bool { return s.Operations[i].Operation >= c.Operation })
	if i == len(s.Operations) || s.Operations[i].Operation != c.Operation {
		s.Operations = append(s.Operations, OperationTally{})
		copy(s.Operations[i+1:], s.Operations[i:])
		s.Operations[i] = OperationTally{Operation: c.Operation}
	}
	op := &s.Operations[i]
	op.add(c, o)
	for _, f := range c.Findings {
		j := sort.Search(len(op.Findings), func(j int) bool {
			g := op.Findings[j]
			return g.ID > f.ID || g.ID == f.ID && g.Level <= f.Level
		})
		if j == len(op.Findings) || op.Findings[j].ID != f.ID || op.Findings[j].Level != f.Level {
			op.Findings = append(op.Findings, FindingTally{})
			copy(op.Findings[j+1:], op.Findings[j:])
			op.Findings[j] = FindingTally{ID: f.ID, Level: f.Level}
		}
		op.Findings[j].Count++
	}
}

// Levels counts the summarised findings per level name, as Counts does.
func (s *Summary) Levels() map[string]int {
	c := map[string]int{}
	if s == nil {
		return c
	}
	for _, op := range s.Operations {
		for _, f := range op.Findings {
			c[f.Level.String()] += f.Count
		}
	}
	return c
}

// Fails reports whether a summarised case errored or had a finding at or
// above threshold.
func (s *Summary) Fails(threshold Level) bool {
	if s == nil {
		return false
	}
	if s.Errors > 0 {
		return true
	}
	for _, op := range s.Operations {
		for _, f := range op.Findings {
			if f.Level >= threshold && f.Count > 0 {
				return true
			}
		}
	}
	return false
}

// Total is the suite's cases, listed and summarised.
func (s Suite) Total() int {
	if s.Summary == nil {
		return len(s.Cases)
	}
	return len(s.Cases) + s.Summary.Cases
}

// Tally counts the suite's cases, listed and summarised, by outcome at
// threshold.
func (s Suite) Tally(threshold Level) Tally {
	var t Tally
	for _, c := range s.Cases {
		t.add(c, c.Outcome(threshold))
	}
	if s.Summary != nil {
		t.Cases += s.Summary.Cases
		t.Passed += s.Summary.Passed
		t.Warnings += s.Summary.Warnings
		t.Failed += s.Summary.Failed
		t.Errors += s.Summary.Errors
		t.Skipped += s.Summary.Skipped
		t.Warned += s.Summary.Warned
	}
	return t
}

// Summarised is how many cases of r ran but are not listed (tallied in
// their suite's Summary).
func (r *Report) Summarised() int {
	n := 0
	for _, s := range r.Suites {
		if s.Summary != nil {
			n += s.Summary.Cases
		}
	}
	return n
}

// TotalCases is how many cases r ran, listed and summarised.
func (r *Report) TotalCases() int {
	n := 0
	for _, s := range r.Suites {
		n += s.Total()
	}
	return n
}
