package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/contract"
)

// JUnit writes Ant/Surefire-style XML. A case fails only on findings at or
// above the report's FailOn; lower ones go to system-out so CI shows them
// without turning the build red.
type JUnit struct{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
	// SystemOut tallies the cases summarised rather than listed.
	SystemOut string `xml:"system-out,omitempty"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

func seconds(d contract.Duration) string {
	return fmt.Sprintf("%.3f", time.Duration(d).Seconds())
}

func findingLines(fs []contract.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s [%s]", f.Level, f.ID)
		if f.Field != "" {
			fmt.Fprintf(&b, " %s", f.Field)
		}
		fmt.Fprintf(&b, ": %s", f.Message)
		if f.Old != "" || f.New != "" {
			fmt.Fprintf(&b, " (was %q, now %q)", f.Old, f.New)
		}
		if loc := location(f); loc != "" {
			fmt.Fprintf(&b, " at %s", loc)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func junitFor(c contract.Case, classname string, failOn contract.Level) junitCase {
	jc := junitCase{Name: caseName(c), Classname: classname, Time: seconds(c.Duration)}
	var failing, rest []contract.Finding
	for _, f := range c.Findings {
		if f.Level >= failOn {
			failing = append(failing, f)
		} else {
			rest = append(rest, f)
		}
	}
	switch {
	case c.Error != "":
		jc.Error = &junitMessage{Message: c.Error, Type: "infrastructure", Text: c.Error}
	case len(failing) > 0:
		jc.Failure = &junitMessage{Message: failing[0].Message, Type: failing[0].ID, Text: findingLines(failing)}
	case c.Skipped != "":
		jc.Skipped = &junitMessage{Message: c.Skipped}
	case len(c.Findings) > 0 && allUntested(c.Findings):
		// Nothing exercised it: skipped, not passed.
		jc.Skipped = &junitMessage{Message: c.Findings[0].Message}
	}
	jc.SystemOut = findingLines(rest)
	return jc
}

func allUntested(fs []contract.Finding) bool {
	for _, f := range fs {
		if !f.Untested() {
			return false
		}
	}
	return true
}

// diffSuite turns a diff's top-level findings into one case per operation
// (and one for connector-wide findings), so CI lists what broke where.
func diffCases(r *contract.Report) []contract.Case {
	var order []string
	byOp := map[string][]contract.Finding{}
	for _, f := range r.Findings {
		k := f.Operation
		if k == "" {
			k = "(connector)"
		}
		if _, ok := byOp[k]; !ok {
			order = append(order, k)
		}
		byOp[k] = append(byOp[k], f)
	}
	var cases []contract.Case
	for _, k := range order {
		cases = append(cases, contract.Case{Name: k, Operation: k, Findings: byOp[k]})
	}
	return cases
}

// Format implements Formatter.
func (JUnit) Format(w io.Writer, r *contract.Report) error {
	out := junitSuites{Name: "connectorlab " + string(r.Kind), Time: seconds(r.Duration)}
	suites := r.Suites
	if len(r.Findings) > 0 {
		suites = append([]contract.Suite{{Name: r.Connector, Cases: diffCases(r)}}, suites...)
	}
	for _, s := range suites {
		js := junitSuite{Name: s.Name, Timestamp: r.Started.UTC().Format(time.RFC3339)}
		js.Properties = []junitProperty{{"connector", r.Connector}, {"kind", string(r.Kind)}, {"failOn", r.FailOn.String()}}
		if r.Target != "" {
			js.Properties = append(js.Properties, junitProperty{"target", r.Target})
		}
		if r.CustomCode {
			js.Properties = append(js.Properties, junitProperty{"customCode", "true"})
		}
		var total time.Duration
		for _, c := range s.Cases {
			jc := junitFor(c, r.Connector, r.FailOn)
			js.Tests++
			switch {
			case jc.Error != nil:
				js.Errors++
			case jc.Failure != nil:
				js.Failures++
			case jc.Skipped != nil:
				js.Skipped++
			}
			total += time.Duration(c.Duration)
			js.Cases = append(js.Cases, jc)
		}
		if sm := s.Summary; sm != nil {
			// Counted in the totals, not listed: a testcase element each
			// would be the unbounded report the summary avoids.
			js.Properties = append(js.Properties, junitProperty{"summarised", fmt.Sprint(sm.Cases)})
			js.Tests += sm.Cases
			js.Errors += sm.Errors
			js.Failures += sm.Failed
			js.Skipped += sm.Skipped
			total += time.Duration(sm.Duration)
			js.SystemOut = summaryText(sm)
		}
		js.Time = seconds(contract.Duration(total))
		out.Tests += js.Tests
		out.Failures += js.Failures
		out.Errors += js.Errors
		out.Skipped += js.Skipped
		out.Suites = append(out.Suites, js)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
