package create_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract/replay"
	"github.com/connectorlab/connectorlab/contract/specdiff"
	"github.com/connectorlab/connectorlab/internal/corpus"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/probe"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
	"github.com/connectorlab/connectorlab/workflow/create"
)

// trafficRoundTrip serves c from the mock on 127.0.0.1, records the
// requests `test --generate` sends (and the mock's answers) into a real
// SQLite session, infers a connector from that session the way
// `new --from SESSION --db FILE` does, and returns the operations diff
// reports as removed, and how many operations were exercised.
func trafficRoundTrip(t *testing.T, ctx context.Context, c *connector.Connector, tmp string) (removed []string, sent int, err error) {
	removed, sent, _, err = trafficRoundTripShapes(t, ctx, c, tmp)
	return removed, sent, err
}

// shapeKey is method and path with every parameter written {}: what an
// inferred operation must reproduce when the traffic does not name it.
func shapeKey(method, path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") {
			segs[i] = "{}"
		}
	}
	return strings.ToUpper(method) + " /" + strings.Join(segs, "/")
}

// trafficRoundTripShapes also infers from the same traffic with the
// recorded operationIds removed (a HAR from another tool) and returns the
// operations whose method and path shape were not found.
func trafficRoundTripShapes(t *testing.T, ctx context.Context, c *connector.Connector, tmp string) (removed []string, sent int, missingShapes []string, err error) {
	store, err := sqlite.Open(ctx, filepath.Join(tmp, "rec.db"), sqlite.Options{})
	if err != nil {
		return nil, 0, nil, err
	}
	defer store.Close()
	sess := &recordings.Session{Name: "generated", Connector: c.Name}
	if err := store.CreateSession(ctx, sess); err != nil {
		return nil, 0, nil, err
	}
	m, err := mock.New(c, mock.Options{Seed: 1, DisableAuth: true, Sink: mock.SessionSink(store, sess.ID)})
	if err != nil {
		return nil, 0, nil, fmt.Errorf("mock: %w", err)
	}
	srv := httptest.NewServer(m)
	defer srv.Close()
	target, _ := url.Parse(srv.URL)
	runner := replay.New(c, replay.Options{Target: replay.TargetBase(c, target), Timeout: 10 * time.Second, Concurrency: 2})
	res, _, err := runner.RunGenerated(ctx, probe.Options{Seed: 1})
	if err != nil {
		return nil, 0, nil, fmt.Errorf("generate: %w", err)
	}
	if res.Unreachable != nil {
		return nil, 0, nil, fmt.Errorf("mock unreachable: %v", res.Unreachable)
	}
	if err := store.EndSession(ctx, sess.ID, recordings.SessionComplete, ""); err != nil {
		return nil, 0, nil, err
	}
	out, err := create.New(ctx, create.Request{From: "generated", Store: store, StoreFile: "rec.db"})
	if err != nil {
		return nil, 0, nil, fmt.Errorf("infer: %w", err)
	}
	dir := filepath.Join(tmp, "inferred")
	if err := out.Folder.Write(dir, true); err != nil {
		return nil, 0, nil, err
	}
	back, err := connector.Load(ctx, dir)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("load inferred: %w", err)
	}
	// The same traffic without operationIds.
	xs, err := store.ListExchanges(ctx, recordings.ExchangeFilter{SessionID: sess.ID})
	if err != nil {
		return nil, 0, nil, err
	}
	var anon []*recordings.Exchange
	for _, x := range xs.Exchanges {
		y := *x
		y.OperationID = ""
		anon = append(anon, &y)
	}
	shapes := map[string]bool{}
	if inf, err := create.Infer(anon, create.InferOptions{}); err == nil {
		base := ""
		if len(inf.Doc.Servers) > 0 {
			if u, err := url.Parse(inf.Doc.Servers[0].URL); err == nil {
				base = strings.TrimSuffix(u.Path, "/")
			}
		}
		for p, item := range inf.Doc.Paths.Map() {
			for m := range item.Operations() {
				shapes[shapeKey(m, base+p)] = true
			}
		}
	}
	// Operations generated traffic cannot reach (webhook subscriptions are
	// never sent) are not expected back.
	skipped := map[string]bool{}
	_, skips := replay.Generated(c, probe.Options{Seed: 1})
	for _, s := range skips {
		id, _, _ := strings.Cut(s, ":")
		skipped[id] = true
	}
	for _, f := range specdiff.Run(c, back) {
		if f.ID == specdiff.OperationRemoved && !skipped[f.Operation] {
			removed = append(removed, f.Operation)
		}
	}
	base := strings.TrimSuffix(c.BasePath, "/")
	for _, o := range c.Operations {
		if !skipped[o.ID] && !shapes[shapeKey(o.Method, base+o.Path)] {
			missingShapes = append(missingShapes, o.ID)
		}
	}
	return removed, len(c.Operations) - len(skipped), missingShapes, nil
}

// TestTrafficRoundTripCorpus: for a sample of 50 corpus connectors (10
// with -short), traffic generated against the mock infers a connector
// from which diff reports no removed operation. The pass rate is logged;
// the test fails when it drops below 80%.
func TestTrafficRoundTripCorpus(t *testing.T) {
	root, dirs := corpus.Dirs(t)
	ctx := context.Background()
	n := 50
	if testing.Short() {
		n = 10
	}
	step := max(len(dirs)/n, 1)
	tried, passed, shapesOK := 0, 0, 0
	var failures []string
	for i := 0; i < len(dirs) && tried < n; i += step {
		c, err := connector.Load(ctx, filepath.Join(root, dirs[i]))
		if err != nil || len(c.Operations) == 0 {
			continue
		}
		tried++
		removed, _, missing, err := trafficRoundTripShapes(t, ctx, c, t.TempDir())
		if err == nil && len(missing) == 0 {
			shapesOK++
		} else if err == nil {
			t.Logf("%s: without operationIds, %d operations not found by method and path (e.g. %s)", dirs[i], len(missing), missing[0])
		}
		switch {
		case err != nil:
			failures = append(failures, fmt.Sprintf("%s: %v", dirs[i], err))
		case len(removed) > 0:
			if len(removed) > 3 {
				removed = append(removed[:3], fmt.Sprintf("… %d more", len(removed)-3))
			}
			failures = append(failures, fmt.Sprintf("%s: removed %s", dirs[i], strings.Join(removed, ", ")))
		default:
			passed++
		}
	}
	for _, f := range failures {
		t.Log(f)
	}
	rate := 100 * float64(passed) / float64(max(tried, 1))
	t.Logf("traffic round trip: %d/%d connectors with no removed operation (%.1f%%); without recorded operationIds %d/%d find every operation by method and path",
		passed, tried, rate, shapesOK, tried)
	if rate < 80 {
		t.Errorf("pass rate %.1f%% is below 80%%", rate)
	}
}

// TestTrafficRoundTripSample: the contoso-orders example keeps every
// operation through generated traffic.
func TestTrafficRoundTripSample(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, err := connector.Load(ctx, filepath.Join("..", "..", "examples", "contoso-orders"))
	if err != nil {
		t.Fatal(err)
	}
	removed, _, err := trafficRoundTrip(t, ctx, c, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) > 0 {
		t.Errorf("inferred connector lacks %v", removed)
	}
	_ = authoring.DefinitionFile
}
