package report

import (
	"fmt"
	"strings"

	"github.com/connectorlab/connectorlab/contract"
)

// Printable replaces every control character of s but tab — C0 (newline
// included), DEL and C1 — with a visible escape such as \x1b. Recorded
// traffic reaches reports (finding values, URLs, errors); printed raw, an
// escape sequence in it would drive the reader's terminal (OSC 52 writes
// the clipboard) and a newline could forge a report line.
func Printable(s string) string { return printable(s, nil) }

// PrintableLines is Printable but keeps newlines, for multi-line text
// such as a recorded body.
func PrintableLines(s string) string { return printable(s, func(r rune) bool { return r == '\n' }) }

func printable(s string, keep func(rune) bool) string {
	bad := func(r rune) bool { return isControl(r) && (keep == nil || !keep(r)) }
	if strings.IndexFunc(s, bad) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !bad(r):
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func isControl(r rune) bool {
	return r < 0x20 && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0
}

// printableReport is a copy of r with every string made printable, for
// the line-oriented formats. keepLines keeps CR and LF (GitHub workflow
// commands escape those themselves).
func printableReport(r *contract.Report, keepLines bool) *contract.Report {
	var keep func(rune) bool
	if keepLines {
		keep = func(r rune) bool { return r == '\n' || r == '\r' }
	}
	P := func(s string) string { return printable(s, keep) }
	c := *r
	c.Connector, c.Old, c.New = P(r.Connector), P(r.Old), P(r.New)
	c.Target, c.Recordings, c.Shard = P(r.Target), P(r.Recordings), P(r.Shard)
	c.Noise = make([]string, len(r.Noise))
	for i, n := range r.Noise {
		c.Noise[i] = P(n)
	}
	c.Findings = printableFindings(r.Findings, P)
	c.Suites = make([]contract.Suite, len(r.Suites))
	for i, s := range r.Suites {
		// Summary strings are printed through Printable where shown.
		cs := contract.Suite{Name: P(s.Name), Cases: make([]contract.Case, len(s.Cases)), Summary: s.Summary}
		for j, k := range s.Cases {
			k.Name, k.Operation, k.Method, k.URL = P(k.Name), P(k.Operation), P(k.Method), P(k.URL)
			k.Skipped, k.Error = P(k.Skipped), P(k.Error)
			k.Recorded, k.Replayed = P(k.Recorded), P(k.Replayed)
			k.Findings = printableFindings(k.Findings, P)
			cs.Cases[j] = k
		}
		c.Suites[i] = cs
	}
	return &c
}

func printableFindings(fs []contract.Finding, P func(string) string) []contract.Finding {
	if fs == nil {
		return nil
	}
	out := make([]contract.Finding, len(fs))
	for i, f := range fs {
		f.ID, f.Operation, f.Method, f.Path = P(f.ID), P(f.Operation), P(f.Method), P(f.Path)
		f.Where, f.Field, f.Message = P(f.Where), P(f.Field), P(f.Message)
		f.Old, f.New, f.Pointer, f.File, f.Fix = P(f.Old), P(f.New), P(f.Pointer), P(f.File), P(f.Fix)
		out[i] = f
	}
	return out
}
