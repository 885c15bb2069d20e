package suite

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/report"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

// TestSummarisedSuiteKeepsExactTotals: a session of 2,500 exchanges
// (1,500 failing: calls no operation serves; 1,000 passing) replayed from
// a real store against the real mock lists only the first 1,000 failing
// and 100 passing cases, in input order, and tallies the rest — yet its
// counts, verdict, JUnit totals, text totals and history row are those of
// the same run listing every case.
func TestSummarisedSuiteKeepsExactTotals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, params, target := sample(t)
	gen, err := NewPlan(ctx, c, nil, RunConfig{Generate: true, Target: target, Params: params, NoPolicies: true, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, res, err := gen.Run(ctx, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	var good *contract.Case
	for i, cs := range res.Suite.Cases {
		if cs.Method == "GET" && cs.Status > 0 && cs.Status < 400 {
			good = &res.Suite.Cases[i]
			break
		}
	}
	if good == nil {
		t.Fatal("no passing GET among the generated cases")
	}

	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "r.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var xs []*recordings.Exchange
	const total, failing = 2500, 1500
	for i := range total {
		x := &recordings.Exchange{Connector: c.Name, StartedAt: time.Unix(1700000000, 0).Add(time.Duration(i) * time.Millisecond)}
		if i%5 < 3 { // 3 of 5 fail: 1,500
			x.Request = recordings.Request{Method: "GET", URL: fmt.Sprintf("/nowhere/%d", i)}
			x.Response.Status = 200
		} else {
			x.OperationID = good.Operation
			x.Request = recordings.Request{Method: good.Method, URL: good.URL}
			x.Response.Status = good.Status
		}
		xs = append(xs, x)
	}
	sess := &recordings.Session{Name: "big", Source: recordings.SourceImport}
	if _, err := recordings.Import(ctx, st, sess, xs); err != nil {
		t.Fatal(err)
	}

	run := func(keep contract.Keep) (*contract.Report, *Plan) {
		t.Helper()
		p, err := NewPlan(ctx, c, st, RunConfig{SessionID: sess.ID, Target: target, Params: params, NoPolicies: true, Keep: keep})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total() != total {
			t.Errorf("plan total %d, want %d", p.Total(), total)
		}
		rep, _, err := p.Run(ctx, "test", nil)
		if err != nil {
			t.Fatal(err)
		}
		return rep, p
	}
	all, _ := run(contract.Keep{Failing: -1, Passing: -1})
	bounded, plan := run(contract.Keep{})

	if len(all.Suites) != 1 || len(all.Suites[0].Cases) != total || all.Suites[0].Summary != nil {
		t.Fatalf("unbounded run: %d suites, want every one of %d cases listed", len(all.Suites), total)
	}
	s := bounded.Suites[0]
	if len(s.Cases) != contract.DefaultKeepFailing+contract.DefaultKeepPassing || s.Summary == nil || s.Summary.Cases != total-len(s.Cases) {
		t.Fatalf("bounded run lists %d cases (summary %+v), want %d listed", len(s.Cases), s.Summary, contract.DefaultKeepFailing+contract.DefaultKeepPassing)
	}
	// The listed ones are the first failing and the first passing, in
	// input order.
	var want []int64
	nf, np := 0, 0
	for _, cs := range all.Suites[0].Cases {
		if cs.Failed(contract.LevelError) && nf < contract.DefaultKeepFailing {
			nf++
			want = append(want, cs.Exchange)
		} else if !cs.Failed(contract.LevelError) && np < contract.DefaultKeepPassing {
			np++
			want = append(want, cs.Exchange)
		}
	}
	if nf != contract.DefaultKeepFailing || np != contract.DefaultKeepPassing {
		t.Fatalf("the fixture has %d failing, %d passing to list; want both caps reached", nf, np)
	}
	for i, cs := range s.Cases {
		if cs.Exchange != want[i] {
			t.Fatalf("listed case %d is exchange %d, want %d", i, cs.Exchange, want[i])
		}
	}

	if fmt.Sprint(bounded.Counts) != fmt.Sprint(all.Counts) || bounded.Passed != all.Passed || bounded.Passed {
		t.Errorf("counts %v passed %v, want %v passed %v (and failed)", bounded.Counts, bounded.Passed, all.Counts, all.Passed)
	}
	if Cases(bounded) != total || bounded.Summarised() != total-len(s.Cases) {
		t.Errorf("Cases = %d, Summarised = %d", Cases(bounded), bounded.Summarised())
	}
	if ta, tb := all.Suites[0].Tally(all.FailOn), s.Tally(bounded.FailOn); ta != tb || ta.Failed != failing {
		t.Errorf("tally %+v, want %+v with %d failed", tb, ta, failing)
	}

	junit := func(r *contract.Report) string {
		var b bytes.Buffer
		if err := (report.JUnit{}).Format(&b, r); err != nil {
			t.Fatal(err)
		}
		var v struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Errors   int `xml:"errors,attr"`
			Skipped  int `xml:"skipped,attr"`
		}
		if err := xml.Unmarshal(b.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%+v", v)
	}
	if a, b := junit(all), junit(bounded); a != b || !strings.Contains(a, fmt.Sprintf("Failures:%d Errors:0", failing)) {
		t.Errorf("junit totals %s, want %s (%d failures)", b, a, failing)
	}
	last := func(r *contract.Report) string {
		var b bytes.Buffer
		if err := (report.Text{}).Format(&b, r); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(b.String()), "\n")
		return lines[len(lines)-1]
	}
	if a, b := last(all), last(bounded); a != b || !strings.Contains(a, fmt.Sprintf("%d cases, %d failed", total, failing)) {
		t.Errorf("text totals %q, want %q", b, a)
	}
	var txt bytes.Buffer
	if err := (report.Text{}).Format(&txt, bounded); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(txt.String(), fmt.Sprintf("%d cases summarised, not listed", total-len(s.Cases))) {
		t.Errorf("the text report does not say how many cases it summarised")
	}

	id, err := plan.Save(ctx, st, bounded)
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.Run(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Total != total || got.Failed != failing || got.Passed != total-failing || got.Status != "failed" {
		t.Errorf("history row: total %d failed %d passed %d status %s", got.Total, got.Failed, got.Passed, got.Status)
	}
}
