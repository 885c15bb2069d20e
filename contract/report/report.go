package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/connectorlab/connectorlab/contract"
)

// Formatter writes a report in one format.
type Formatter interface {
	Format(w io.Writer, r *contract.Report) error
}

// Options tune formatters.
type Options struct {
	// Color turns on ANSI colours in text output.
	Color bool
	// Verbose lists info findings and passing cases in text output.
	Verbose bool
}

// Formats lists the names New accepts.
var Formats = []string{"text", "json", "junit", "html", "github"}

// New returns the formatter named name.
func New(name string, opts Options) (Formatter, error) {
	switch strings.ToLower(name) {
	case "text", "":
		return Text{Options: opts}, nil
	case "json":
		return JSON{}, nil
	case "junit", "xml":
		return JUnit{}, nil
	case "html":
		return HTML{}, nil
	case "github", "githubactions":
		return GitHub{}, nil
	}
	return nil, fmt.Errorf("unknown format %q (use %s)", name, strings.Join(Formats, ", "))
}

// caseName is how a case is titled everywhere: operation × exchange.
func caseName(c contract.Case) string {
	if c.Name != "" {
		return c.Name
	}
	s := c.Operation
	if s == "" {
		s = c.Method + " " + c.URL
	}
	if c.Exchange != 0 {
		s += fmt.Sprintf(" #%d", c.Exchange)
	}
	return s
}

// location renders file:line:col (or the pointer) of a finding.
func location(f contract.Finding) string {
	switch {
	case f.File != "" && f.Line > 0:
		return fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Col)
	case f.File != "" && f.Pointer != "":
		return f.File + " #" + f.Pointer
	case f.Pointer != "":
		return "#" + f.Pointer
	}
	return f.File
}

// summaryText lists a suite's summarised cases per operation, one line
// each: "  getOrder: 8900 cases (8000 passed, 900 failed); drift-x warning ×900".
func summaryText(sm *contract.Summary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d cases summarised, not listed (%s):\n", sm.Cases, tallyText(sm.Tally))
	for _, op := range sm.Operations {
		name := Printable(op.Operation)
		if name == "" {
			name = "(no operation matched)"
		}
		fmt.Fprintf(&b, "  %s: %d cases (%s)", name, op.Cases, tallyText(op.Tally))
		for i, f := range op.Findings {
			sep := ", "
			if i == 0 {
				sep = "; "
			}
			fmt.Fprintf(&b, "%s%s %s ×%d", sep, Printable(f.ID), f.Level, f.Count)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// tallyText is "8000 passed, 900 failed", naming only the outcomes seen.
func tallyText(t contract.Tally) string {
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{t.Passed, "passed"}, {t.Warnings, "with warnings"}, {t.Failed, "failed"}, {t.Errors, "errors"}, {t.Skipped, "skipped"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	return strings.Join(parts, ", ")
}
