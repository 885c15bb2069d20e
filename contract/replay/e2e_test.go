package replay_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/drift"
	"github.com/connectorlab/connectorlab/contract/pairtruth"
	"github.com/connectorlab/connectorlab/contract/replay"
	"github.com/connectorlab/connectorlab/contract/specdiff"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/mock/trigger"
	"github.com/connectorlab/connectorlab/probe"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

const (
	pairsDir = "../../../shared/corpus/pairs"
	e2eSeed  = 20240601
)

// E2EMatcher says which replay findings name each kind of listed change.
// Deprecation and a removed internal header leave no trace on the wire, so
// replay cannot see them; `connectorlab diff` reports both.
var E2EMatcher = pairtruth.Matcher{
	"field-removed":        {drift.FieldRemoved, drift.FieldAbsent},
	"field-added":          {drift.FieldAdded},
	"field-renamed":        {drift.FieldRemoved},
	"type-changed":         {drift.TypeChanged, drift.ShapeChanged},
	"payload-type-changed": {"payload-type-mismatch"},
	"operations-added":     {drift.OperationUntested},
	"fields-added":         {drift.FieldAdded, "payload-field-undocumented"},
	"status-changed":       {drift.StatusChanged},
	"operation-renamed":    {drift.OperationRenamed},
	"operation-removed":    {drift.OperationMissing},
}

// record serves old with the mock, calls every operation once (webhook
// triggers subscribe to a local callback and get one event fired), and
// returns the session's exchanges as the SQLite store kept them.
func record(t *testing.T, store *sqlite.Store, name string, c *connector.Connector) []*recordings.Exchange {
	t.Helper()
	ctx := context.Background()
	sess := &recordings.Session{Name: name, Connector: c.Name, Source: recordings.SourceMock}
	if err := store.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	sink := recordings.SinkFunc(func(ctx context.Context, x *recordings.Exchange) error {
		x.SessionID = sess.ID
		return store.Record(ctx, x)
	})
	srv, err := mock.New(c, mock.Options{Seed: e2eSeed, Sink: sink, DisableAuth: true, PowerPlatform: mock.PowerPlatformOptions{AllowPrivateCallbacks: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hs := httptest.NewServer(srv)
	defer hs.Close()
	callback := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) }))
	defer callback.Close()
	b := probe.New(c, probe.Options{Seed: e2eSeed})
	for _, op := range c.Operations {
		req, err := b.Build(op)
		if err != nil {
			t.Logf("%s: probe: %v", op.ID, err)
			continue
		}
		if op.Trigger != nil && op.Trigger.NotificationURL != nil && op.Trigger.NotificationURL.In == "body" {
			req.Body = setBodyField(req.Body, op.Trigger.NotificationURL.Name, callback.URL+"/hook/"+op.ID)
		}
		hr, err := req.HTTP(ctx, hs.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if op.Trigger != nil && op.Trigger.Kind == connector.TriggerWebhook {
			if eng, _ := srv.PowerPlatform(); eng != nil {
				if _, err := eng.Fire(ctx, trigger.FireRequest{OperationID: op.ID}); err != nil {
					t.Logf("%s: fire: %v", op.ID, err)
				}
				eng.Wait()
			}
		}
	}
	if err := store.EndSession(ctx, sess.ID, recordings.SessionComplete, ""); err != nil {
		t.Fatal(err)
	}
	page, err := store.ListExchanges(ctx, recordings.ExchangeFilter{SessionID: sess.ID})
	if err != nil {
		t.Fatal(err)
	}
	return page.Exchanges
}

// setBodyField sets a slash-separated property of a JSON body.
func setBodyField(body []byte, path, value string) []byte {
	var v map[string]any
	if json.Unmarshal(body, &v) != nil {
		v = map[string]any{}
	}
	m := v
	parts := strings.Split(path, "/")
	for _, p := range parts[:len(parts)-1] {
		next, _ := m[p].(map[string]any)
		if next == nil {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	m[parts[len(parts)-1]] = value
	out, _ := json.Marshal(v)
	return out
}

type e2eRow struct {
	pair             string
	exchanges, cases int
	listed, found    int
	missed           []string
	unchangedErrors  []string
	ignored          int
}

// TestEndToEndDriftOnPairs: for each corpus version pair, record a session
// against the mock of old, replay it against the mock of new, and require
// the findings to name the listed changes (recall ≥ 95% overall) with no
// error-level finding on operations whose definition did not change.
func TestEndToEndDriftOnPairs(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end corpus run; skipped with -short")
	}
	truth, err := pairtruth.Load("../testdata/pairs-truth.json")
	if err != nil {
		t.Fatal(err)
	}
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "e2e.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var rows []e2eRow
	for _, pair := range truth.Pairs() {
		old, err := connector.Load(context.Background(), filepath.Join(pairsDir, pair, "old.swagger.json"))
		if err != nil {
			t.Fatal(err)
		}
		nw, err := connector.Load(context.Background(), filepath.Join(pairsDir, pair, "new.swagger.json"))
		if err != nil {
			t.Fatal(err)
		}
		xs := record(t, store, pair, old)
		// The mock of new answers every recorded request, also those its
		// request schema would now reject, so response drift stays visible
		// where the request side changed too (diff reports that side).
		srv, err := mock.New(nw, mock.Options{Seed: e2eSeed, DisableAuth: true, DisableValidation: true, PowerPlatform: mock.PowerPlatformOptions{AllowPrivateCallbacks: true}})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv)
		target, _ := url.Parse(hs.URL)
		res, err := replay.New(nw, replay.Options{Target: target, Concurrency: 4}).Run(context.Background(), pair, xs)
		hs.Close()
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		all := append([]contract.Finding(nil), res.Findings...)
		for _, c := range res.Suite.Cases {
			if c.Error != "" {
				t.Errorf("%s %s: %s", pair, c.Name, c.Error)
			}
			all = append(all, c.Findings...)
		}
		sc := pairtruth.Match(pair, truth[pair], all, E2EMatcher)
		row := e2eRow{pair: pair, exchanges: len(xs), cases: len(res.Suite.Cases), listed: sc.Listed, found: sc.Found, ignored: len(sc.Ignored)}
		for _, m := range sc.Missed {
			row.missed = append(row.missed, m.String())
		}
		changed := changedOps(old, nw)
		for _, f := range all {
			if f.Level == contract.LevelError && !changed[f.Operation] {
				row.unchangedErrors = append(row.unchangedErrors, fmt.Sprintf("%s %s %s", f.ID, f.Operation, f.Field))
			}
		}
		rows = append(rows, row)
	}
	listed, found := 0, 0
	var b strings.Builder
	fmt.Fprintf(&b, "| pair | exchanges | listed | named | recall | errors on unchanged ops | missed |\n|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		listed += r.listed
		found += r.found
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %.0f%% | %d | %s |\n", r.pair, r.exchanges, r.listed, r.found,
			100*float64(r.found)/float64(max(1, r.listed)), len(r.unchangedErrors), strings.Join(r.missed, "; "))
		for _, u := range r.unchangedErrors {
			t.Errorf("%s: error-level finding on an unchanged operation: %s", r.pair, u)
		}
	}
	recall := float64(found) / float64(listed)
	fmt.Fprintf(&b, "\nTotal: %d/%d listed changes named (recall %.1f%%).\n", found, listed, 100*recall)
	t.Log("\n" + b.String())
	if recall < 0.95 {
		t.Errorf("recall %.1f%% < 95%%", 100*recall)
	}
}

// changedOps are the operations (old and new names) the definition diff
// reports at warning or above: the only ones allowed error-level drift.
func changedOps(old, nw *connector.Connector) map[string]bool {
	out := map[string]bool{}
	for _, f := range specdiff.Run(old, nw) {
		if f.Level < contract.LevelWarning {
			continue
		}
		out[f.Operation] = true
		if f.ID == specdiff.OperationRenamed {
			out[f.Old] = true
		}
	}
	return out
}
