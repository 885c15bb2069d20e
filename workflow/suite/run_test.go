package suite

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/drift"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
	"github.com/connectorlab/connectorlab/workflow"
)

func TestPlanChecksAndRunsGenerated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, err := (&connector.Loader{}).Load(ctx, "../../examples/contoso-orders")
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "r.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	empty := &recordings.Session{Name: "empty", Source: recordings.SourceProxy}
	if err := st.CreateSession(ctx, empty); err != nil {
		t.Fatal(err)
	}
	params := map[string]string{}
	for _, p := range c.Auth.Sets[0].Parameters {
		params[p.Name] = "k"
	}
	for _, tt := range []struct {
		name string
		cfg  RunConfig
	}{
		{"no target", RunConfig{Generate: true, Params: params}},
		{"no session", RunConfig{Target: "http://127.0.0.1:1", Params: params}},
		{"missing session", RunConfig{Target: "http://127.0.0.1:1", SessionID: 999, Params: params}},
		{"empty session", RunConfig{Target: "http://127.0.0.1:1", SessionID: empty.ID, Params: params}},
	} {
		if _, err := NewPlan(ctx, c, st, tt.cfg); workflow.KindOf(err) != workflow.KindUsage {
			t.Errorf("%s: err = %v, want a usage error", tt.name, err)
		}
	}
	m, err := mock.New(c, mock.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m)
	defer srv.Close()
	plan, err := NewPlan(ctx, c, nil, RunConfig{Generate: true, Target: srv.URL, Params: params, NoPolicies: true})
	if err != nil {
		t.Fatal(err)
	}
	rep, res, err := plan.Run(ctx, "test", contract.EmitterFuncs{})
	if err != nil || res == nil || len(rep.Suites) != 1 || len(rep.Suites[0].Cases) == 0 {
		t.Fatalf("generated run: %v %+v", err, rep)
	}
	if id, err := plan.Save(ctx, st, rep); err != nil || id == 0 {
		t.Errorf("save: %d %v", id, err)
	}
	srv.Close()
	if _, _, err := plan.Run(ctx, "test", contract.EmitterFuncs{}); workflow.KindOf(err) != workflow.KindInfra {
		t.Errorf("unreachable target: %v", err)
	}
}

// TestPlanOfSeveralInputsReportsOnce: `test` over every session of a file
// is one report (the CLI built it itself, a second copy of Plan.Run): one
// suite per input, an operation untested in every input reported once,
// the history row belonging to no single session.
func TestPlanOfSeveralInputsReportsOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, params, mockURL := sample(t)
	gen, err := NewPlan(ctx, c, nil, RunConfig{Generate: true, Target: mockURL, Params: params, NoPolicies: true, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Record one exchange of the first operation by replaying a generated run.
	_, res, err := gen.Run(ctx, "test", contract.EmitterFuncs{})
	if err != nil || len(res.Suite.Cases) < 2 {
		t.Fatalf("generated run: %v", err)
	}
	first := res.Suite.Cases[0]
	x := &recordings.Exchange{ID: 1, OperationID: first.Operation, Request: recordings.Request{Method: first.Method, URL: first.URL}}
	x.Response.Status = first.Status
	target, _ := ParseTarget(mockURL)
	conn, err := Connect(c, "", params, false)
	if err != nil {
		t.Fatal(err)
	}
	inputs := []Input{{Name: "session a", SessionID: 1, Exchanges: []*recordings.Exchange{x}}, {Name: "session b", SessionID: 2, Exchanges: []*recordings.Exchange{x}}}
	plan := Prepare(c, target, conn, RunConfig{NoPolicies: true, FailOn: contract.LevelWarning, Recordings: "r.db"}, inputs)
	rep, _, err := plan.Run(ctx, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Suites) != 2 || rep.Recordings != "r.db" || rep.FailOn != contract.LevelWarning || Cases(rep) != 2 {
		t.Fatalf("report: %d suites, recordings %q, fail-on %v, %d cases", len(rep.Suites), rep.Recordings, rep.FailOn, Cases(rep))
	}
	untested := map[string]int{}
	for _, f := range rep.Findings {
		if f.ID == drift.OperationUntested {
			untested[f.Operation]++
		}
	}
	if len(untested) == 0 {
		t.Fatal("no operation reported untested")
	}
	for op, n := range untested {
		if n != 1 {
			t.Errorf("%s untested reported %d times, want once", op, n)
		}
	}
	if untested[first.Operation] != 0 {
		t.Errorf("%s was replayed yet reported untested", first.Operation)
	}
}
