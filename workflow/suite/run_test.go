package suite

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
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
