package catalog

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/workflow/customcode"
)

// Result is one validated definition.
type Result struct {
	Path      string              `json:"path"`
	Connector string              `json:"connector,omitempty"`
	Error     string              `json:"error,omitempty"`
	Findings  []connector.Finding `json:"findings"`
	Counts    map[string]int      `json:"counts"`
	// Err is the load error behind Error.
	Err error `json:"-"`
}

// Report is a validate run.
type Report struct {
	SchemaVersion int      `json:"schemaVersion"`
	Tool          string   `json:"tool"`
	FailOn        string   `json:"failOn"`
	Results       []Result `json:"results"`
	Passed        bool     `json:"passed"`
	// Findings is set when a finding is at or above the threshold.
	Findings bool `json:"-"`
}

// Validate loads and lints every path; a finding at or above failOn, or a
// definition that does not load, fails the report. progress, when set,
// is told before each path. code is the --custom-code mode: the script's
// compile findings join the lint findings unless it is off.
func Validate(ctx context.Context, l *connector.Loader, paths []string, failOn connector.Level, tool string, code customcode.Mode, progress func(i, n int, path string)) Report {
	rep := Report{SchemaVersion: 1, Tool: tool, FailOn: failOn.String(), Passed: true}
	for i, p := range paths {
		if progress != nil {
			progress(i, len(paths), p)
		}
		r := Result{Path: p, Counts: map[string]int{}}
		c, err := l.Load(ctx, p)
		if err != nil {
			r.Error, r.Err = err.Error(), err
			rep.Passed = false
			rep.Results = append(rep.Results, r)
			continue
		}
		r.Connector = c.Name
		r.Findings = connector.Lint(ctx, c)
		r.Findings = append(r.Findings, customcode.Findings(ctx, c, customcode.Options{Mode: code})...)
		for _, f := range r.Findings {
			r.Counts[f.Level.String()]++
			if f.Level >= failOn {
				rep.Passed, rep.Findings = false, true
			}
		}
		rep.Results = append(rep.Results, r)
	}
	return rep
}

// Colorize wraps s in the ANSI colour of level when on (a terminal).
func Colorize(on bool, level connector.Level, s string) string {
	if !on {
		return s
	}
	code := "36"
	switch level {
	case connector.LevelError:
		code = "31"
	case connector.LevelWarning:
		code = "33"
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// WriteValidate writes rep as text: each finding with its location and
// fix (unless quiet), a count line per connector, and the verdict.
func WriteValidate(w io.Writer, rep Report, color, quiet bool) {
	for _, r := range rep.Results {
		if r.Error != "" {
			fmt.Fprintf(w, "%s: %s\n", Colorize(color, connector.LevelError, "cannot load"), r.Error)
			continue
		}
		if !quiet {
			for _, f := range r.Findings {
				fmt.Fprintf(w, "%s: %s [%s] %s\n", f.Location(), Colorize(color, f.Level, f.Level.String()), f.ID, f.Message)
				if f.Fix != "" {
					fmt.Fprintf(w, "    fix: %s\n", f.Fix)
				}
			}
		}
		fmt.Fprintf(w, "%s (%s): %s\n", r.Connector, r.Path, CountLine(r.Counts))
	}
	if len(rep.Results) > 1 {
		status := "passed"
		if !rep.Passed {
			status = "failed"
		}
		fmt.Fprintf(w, "%d connectors checked, %s (--fail-on %s)\n", len(rep.Results), status, rep.FailOn)
	}
}

// CountLine says "N errors, N warnings, N infos" for a count map.
func CountLine(c map[string]int) string {
	parts := []string{}
	for _, l := range []string{"error", "warning", "info"} {
		n := c[l]
		word := l
		if n != 1 {
			word += "s"
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, word))
	}
	return strings.Join(parts, ", ")
}
