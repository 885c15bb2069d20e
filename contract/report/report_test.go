package report

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/contract"
)

var update = flag.Bool("update", false, "rewrite golden files")

func sample() *contract.Report {
	r := &contract.Report{
		Tool: "connectorlab test", Kind: contract.KindTest, Connector: "Contoso", Target: "http://127.0.0.1:1",
		Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Duration: contract.Duration(1500 * time.Millisecond),
		FailOn: contract.LevelError, Noise: []string{"header Date", "header ETag"},
		Findings: []contract.Finding{{ID: "operation-untested", Level: contract.LevelInfo, Operation: "DeleteOrder", Message: "no recorded exchange calls DeleteOrder"}},
		Suites: []contract.Suite{{Name: "session smoke", Cases: []contract.Case{
			{Operation: "GetOrder", Method: "GET", URL: "/orders/1", Exchange: 7, Status: 200, Duration: contract.Duration(3 * time.Millisecond),
				Recorded: `{"id":"1","total":3,"state":"open"}`, Replayed: `{"id":"1","total":"3","state":"open","extra":true}`,
				Findings: []contract.Finding{
					{ID: "drift-type-changed", Level: contract.LevelError, Operation: "GetOrder", Where: "response.body", Field: "total", Old: "integer", New: "string", Message: "total changed type from integer to string"},
					{ID: "drift-field-added", Level: contract.LevelInfo, Operation: "GetOrder", Where: "response.body", Field: "extra", Message: "new field extra"},
				}},
			{Operation: "ListOrders", Method: "GET", URL: "/orders", Exchange: 8, Status: 200,
				Findings: []contract.Finding{{ID: "drift-field-absent", Level: contract.LevelWarning, Operation: "ListOrders", Field: "[].note", Message: "optional field [].note absent"}}},
			{Operation: "CreateOrder", Method: "POST", URL: "/orders", Exchange: 9, Error: "connection refused"},
		}}},
	}
	r.Finish()
	return r
}

func TestFormatsGolden(t *testing.T) {
	for _, name := range Formats {
		t.Run(name, func(t *testing.T) {
			f, err := New(name, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := f.Format(&b, sample()); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "sample."+name+".golden")
			if *update {
				os.MkdirAll("testdata", 0o755)
				os.WriteFile(golden, b.Bytes(), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test -update)", err)
			}
			if b.String() != string(want) {
				t.Errorf("%s output changed (go test -update to accept):\n%s", name, b.String())
			}
		})
	}
}

func TestJUnitWarningsDoNotFail(t *testing.T) {
	var b bytes.Buffer
	if err := (JUnit{}).Format(&b, sample()); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	// Suite 0 holds the connector-wide finding (info only), suite 1 the cases.
	if doc.Tests != 4 || doc.Failures != 1 || doc.Errors != 1 {
		t.Fatalf("tests=%d failures=%d errors=%d, want 4/1/1", doc.Tests, doc.Failures, doc.Errors)
	}
	cases := doc.Suites[1].Cases
	if cases[1].Failure != nil || !strings.Contains(cases[1].SystemOut, "drift-field-absent") {
		t.Fatalf("warning case must pass with the warning in system-out: %+v", cases[1])
	}
	if cases[0].Failure == nil || cases[0].Failure.Type != "drift-type-changed" || cases[0].Name != "GetOrder #7" {
		t.Fatalf("error case: %+v", cases[0])
	}
}

func TestHTMLIsSelfContained(t *testing.T) {
	var b bytes.Buffer
	if err := (HTML{}).Format(&b, sample()); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, bad := range []string{"<script src", "<link ", "http://", "https://"} {
		if strings.Contains(s, bad) && !strings.Contains(s, "http://127.0.0.1:1") {
			t.Errorf("HTML references an external resource: %q", bad)
		}
	}
	if !strings.Contains(s, `class="chg"`) || !strings.Contains(s, `&#34;total&#34;: &#34;3&#34;`) {
		t.Errorf("side-by-side diff missing the changed line")
	}
}

func TestGitHubEscapes(t *testing.T) {
	r := &contract.Report{Findings: []contract.Finding{{ID: "x", Level: contract.LevelWarning, File: "a,b:c.json", Line: 3, Col: 4, Message: "50% done\nnext"}}}
	var b bytes.Buffer
	(GitHub{}).Format(&b, r)
	want := "::warning file=a%2Cb%3Ac.json,line=3,col=4,title=x::50%25 done%0Anext\n"
	if b.String() != want {
		t.Fatalf("got %q want %q", b.String(), want)
	}
}

func TestSideBySide(t *testing.T) {
	rows := sideBySide([]string{"a", "b", "c"}, []string{"a", "B", "c", "d"})
	var ops []string
	for _, r := range rows {
		ops = append(ops, r.Op)
	}
	if strings.Join(ops, ",") != "same,chg,same,add" {
		t.Fatalf("ops = %v", ops)
	}
}

func TestUnknownFormat(t *testing.T) {
	if _, err := New("sarif", Options{}); err == nil || !strings.Contains(err.Error(), "junit") {
		t.Fatalf("err = %v", err)
	}
}
