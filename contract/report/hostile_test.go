package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/contract"
)

// hostile is what a recorded API (or a tampered recording) can put in a
// report: markup, script, an attribute break-out, a javascript: link,
// terminal escape sequences (OSC 52 writes the clipboard), a GitHub
// workflow command on its own line, and XML-invalid control bytes.
const hostile = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">x</a>" +
	"\x1b]52;c;cHduZWQ=\x07\x1b[2J\x1b[31mred\r\n::error::forged\n::add-mask::x\x00\x08\x0b\x7f\u009b"

func hostileReport() *contract.Report {
	f := contract.Finding{ID: "drift-type-changed", Level: contract.LevelError, Operation: hostile, Where: hostile, Field: hostile,
		Old: hostile, New: hostile, Path: hostile, Message: "changed: " + hostile, Fix: hostile}
	r := &contract.Report{Tool: "connectorlab test", Kind: contract.KindTest, Connector: hostile, Target: hostile, Recordings: hostile,
		Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), FailOn: contract.LevelError, Noise: []string{hostile},
		Findings: []contract.Finding{f},
		Suites: []contract.Suite{{Name: hostile, Cases: []contract.Case{
			{Name: hostile, Operation: hostile, Method: "GET", URL: hostile, Exchange: 1, Status: 200, Findings: []contract.Finding{f},
				Recorded: `{"a":"` + hostile + `"}`, Replayed: `{"a":"` + hostile + `","b":"` + hostile + `"}`},
			{Name: "failed", Operation: "x", Method: "POST", URL: "/x", Error: hostile, Skipped: hostile},
		}}}}
	r.Finish()
	return r
}

// TestHostileRecordedContent renders a report whose every string is
// hostile in every format and checks that nothing executes or escapes
// its place: HTML has no live tag or javascript: URL, text output has no
// control byte a terminal would act on, JUnit is well-formed XML, JSON
// round-trips, GitHub annotations carry no second command.
func TestHostileRecordedContent(t *testing.T) {
	for _, name := range Formats {
		t.Run(name, func(t *testing.T) {
			f, err := New(name, Options{Verbose: true})
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := f.Format(&b, hostileReport()); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			switch name {
			case "html":
				for _, bad := range []string{"<script>alert", "<img", "href=\"javascript:", "<a href"} {
					if strings.Contains(strings.ToLower(out), strings.ToLower(bad)) {
						t.Errorf("HTML report contains %q", bad)
					}
				}
			case "junit":
				dec := xml.NewDecoder(strings.NewReader(out))
				for {
					if _, err := dec.Token(); err == io.EOF {
						break
					} else if err != nil {
						t.Fatalf("JUnit report is not well-formed XML: %v", err)
					}
				}
			case "json":
				var v any
				if err := json.Unmarshal(b.Bytes(), &v); err != nil {
					t.Fatalf("JSON report does not parse: %v", err)
				}
			case "github":
				for _, line := range strings.Split(out, "\n") {
					if strings.HasPrefix(line, "::add-mask") || strings.HasPrefix(line, "::error::forged") {
						t.Errorf("a recorded value became a workflow command: %q", line)
					}
				}
			}
			if name == "text" || name == "github" {
				if i := strings.IndexFunc(out, func(r rune) bool {
					return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0
				}); i >= 0 {
					t.Errorf("%s output carries control character %q at %d: …%q…", name, out[i], i, out[max(0, i-20):min(len(out), i+20)])
				}
			}
		})
	}
}
