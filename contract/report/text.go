package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/connectorlab/connectorlab/contract"
)

// Text is the default human format.
type Text struct{ Options }

func (t Text) paint(level contract.Level, s string) string {
	if !t.Color {
		return s
	}
	code := "36"
	switch level {
	case contract.LevelError:
		code = "31"
	case contract.LevelWarning:
		code = "33"
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (t Text) bold(s string) string {
	if !t.Color {
		return s
	}
	return "\x1b[1m" + s + "\x1b[0m"
}

func (t Text) finding(w io.Writer, indent string, f contract.Finding) {
	subject := f.Operation
	if subject == "" && f.Path != "" {
		subject = f.Path
	}
	if subject != "" {
		subject += ": "
	}
	fmt.Fprintf(w, "%s%s [%s] %s%s", indent, t.paint(f.Level, fmt.Sprintf("%-7s", f.Level)), f.ID, subject, f.Message)
	if f.Count > 1 {
		fmt.Fprintf(w, " (×%d)", f.Count)
	}
	if f.CustomCode {
		fmt.Fprint(w, " [custom code]")
	}
	fmt.Fprintln(w)
	if loc := location(f); loc != "" && f.Line > 0 {
		fmt.Fprintf(w, "%s        at %s\n", indent, loc)
	}
	if f.Fix != "" {
		fmt.Fprintf(w, "%s        fix: %s\n", indent, f.Fix)
	}
}

func (t Text) show(f contract.Finding) bool { return t.Verbose || f.Level > contract.LevelInfo }

// Format implements Formatter.
func (t Text) Format(w io.Writer, r *contract.Report) error {
	r = printableReport(r, false)
	title := r.Connector
	switch r.Kind {
	case contract.KindDiff:
		title = fmt.Sprintf("%s: %s → %s", r.Connector, r.Old, r.New)
	case contract.KindTest:
		title = fmt.Sprintf("%s against %s", r.Connector, r.Target)
	case contract.KindDrift:
		title = fmt.Sprintf("%s: recorded traffic vs definition", r.Connector)
	}
	fmt.Fprintln(w, t.bold(title))
	if r.CustomCode {
		fmt.Fprintln(w, "  note: this connector runs custom code (script.csx); differences on its script operations may come from the script, not the API")
	}
	hidden := 0
	for _, f := range r.Findings {
		if t.show(f) {
			t.finding(w, "  ", f)
		} else {
			hidden++
		}
	}
	cases, failed := 0, 0
	for _, s := range r.Suites {
		for _, c := range s.Cases {
			cases++
			bad := c.Failed(r.FailOn)
			if bad {
				failed++
			}
			var shown []contract.Finding
			for _, f := range c.Findings {
				if t.show(f) {
					shown = append(shown, f)
				} else {
					hidden++
				}
			}
			if len(shown) == 0 && c.Error == "" && !t.Verbose {
				continue
			}
			mark := t.paint(contract.LevelInfo, "PASS")
			if bad {
				mark = t.paint(contract.LevelError, "FAIL")
			} else if c.Skipped != "" {
				mark = "SKIP"
			}
			status := ""
			if c.Status > 0 {
				status = fmt.Sprintf(" → %d", c.Status)
			}
			fmt.Fprintf(w, "%s %s (%s %s%s)\n", mark, caseName(c), c.Method, c.URL, status)
			if c.Error != "" {
				fmt.Fprintf(w, "  %s %s\n", t.paint(contract.LevelError, "error  "), c.Error)
			}
			if c.Skipped != "" {
				fmt.Fprintf(w, "  skipped: %s\n", c.Skipped)
			}
			for _, f := range shown {
				t.finding(w, "  ", f)
			}
		}
		if sm := s.Summary; sm != nil {
			cases += sm.Cases
			failed += sm.Failed + sm.Errors
			fmt.Fprintf(w, "%s: %s", s.Name, summaryText(sm))
		}
	}
	if len(r.Noise) > 0 && (t.Verbose || cases > 0) {
		fmt.Fprintf(w, "ignored as volatile: %s\n", strings.Join(r.Noise, ", "))
	}
	verdict := t.paint(contract.LevelInfo, "passed")
	if !r.Passed {
		verdict = t.paint(contract.LevelError, "failed")
	}
	fmt.Fprintf(w, "%d errors, %d warnings, %d infos", r.Counts["error"], r.Counts["warning"], r.Counts["info"])
	if cases > 0 {
		fmt.Fprintf(w, "; %d cases, %d failed", cases, failed)
	}
	if r.Shard != "" {
		fmt.Fprintf(w, " (shard %s)", r.Shard)
	}
	fmt.Fprintf(w, " — %s (--fail-on %s)", verdict, r.FailOn)
	if hidden > 0 {
		fmt.Fprintf(w, "; %d info findings hidden (-v shows them)", hidden)
	}
	fmt.Fprintln(w)
	return nil
}
