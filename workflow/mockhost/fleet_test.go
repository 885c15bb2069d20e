package mockhost

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/internal/testkit"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

func get(t *testing.T, u string) (int, string) { t.Helper(); return testkit.Get(t, u) }

// TestFleetPrefixRecordThenReplay serves two copies of the sample under
// one port (unique slugs), records the traffic of one, then replays that
// session with Modes and gets the recorded bytes back.
func TestFleetPrefixRecordThenReplay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := loadSample(t)
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "r.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rec := &Modes{Record: st}
	f := &Fleet{Host: "127.0.0.1", Prefix: true}
	for i := 0; i < 2; i++ {
		o, a, err := rec.Apply(ctx, c, mock.Options{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Add(sample, c, o, a); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Listen(); err != nil {
		t.Fatal(err)
	}
	if f.Served[0].Slug != "contoso-orders" || f.Served[1].Slug != "contoso-orders-2" {
		t.Fatalf("slugs %q %q", f.Served[0].Slug, f.Served[1].Slug)
	}
	if b := strings.Join(f.Served[0].Banner(), "\n"); !strings.Contains(b, "try: curl") || !strings.Contains(b, f.Served[0].URL) {
		t.Errorf("banner: %s", b)
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- f.Serve(sctx) }()
	code, recorded := get(t, f.Served[0].URL+"/v1/orders/o-1")
	if code != 200 {
		t.Fatalf("GET: %d %s", code, recorded)
	}
	if code, body := get(t, strings.TrimSuffix(f.Served[0].URL, "/contoso-orders")+"/nope"); code != 404 || !strings.Contains(body, "/contoso-orders-2/") {
		t.Errorf("unknown prefix: %d %s", code, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	sess := f.Served[0].Attached.Recording
	got, err := st.Session(ctx, sess.ID)
	if err != nil || got.Status != recordings.SessionComplete || got.Exchanges != 1 {
		t.Fatalf("recorded session = %+v, %v", got, err)
	}

	rp := &Modes{Replay: st, Session: sess.Name}
	o, a, err := rp.Apply(ctx, c, mock.Options{Seed: 99})
	if err != nil || a.Exchanges != 1 {
		t.Fatalf("replay: %+v %v", a, err)
	}
	h := NewHost(nil)
	m, err := h.Start(c, o, "k", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer h.StopAll()
	if code, body := get(t, m.URL()+"/orders/o-1"); code != 200 || body != recorded {
		t.Errorf("replayed %d %s, want the recorded %s", code, body, recorded)
	}
	if _, _, err := (&Modes{Replay: st, Session: "no-such"}).Apply(ctx, c, mock.Options{}); err == nil {
		t.Error("replaying a missing session worked")
	}
}

// TestWatchReloadsAndKeepsTheLastGoodVersion: an edit is served, a broken
// edit is reported and the last good version keeps answering.
func TestWatchReloadsAndKeepsTheLastGoodVersion(t *testing.T) {
	t.Parallel()
	dir := testkit.CopyConnector(t, sample)
	l := &connector.Loader{}
	c, err := l.Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	h := NewHost(nil)
	defer h.StopAll()
	m, err := h.Start(c, mock.Options{}, dir, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	reports := make(chan error, 10)
	m.Watch(dir, l.Load, func(_ *connector.Connector, err error) { reports <- err })
	testkit.AddWidgets(t, dir)
	select {
	case err := <-reports:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no reload")
	}
	if code, _ := get(t, m.URL()+"/widgets"); code != 200 {
		t.Fatalf("widgets after the edit: %d", code)
	}
	testkit.BreakDefinition(t, dir)
	select {
	case err := <-reports:
		if err == nil || !strings.Contains(err.Error(), "still serving the last good version") {
			t.Fatalf("broken edit: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the broken edit was not reported")
	}
	if code, _ := get(t, m.URL()+"/widgets"); code != 200 {
		t.Errorf("after a broken edit: %d", code)
	}
}
