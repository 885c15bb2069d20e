package customcode

import (
	"context"
	"sync"
	"testing"

	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/recordings"
)

type captureSink struct {
	mu sync.Mutex
	xs []*recordings.Exchange
}

func (s *captureSink) Record(_ context.Context, x *recordings.Exchange) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.xs = append(s.xs, x)
	return nil
}

func (s *captureSink) all() []*recordings.Exchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*recordings.Exchange(nil), s.xs...)
}

// Regression: a request the script answered by itself (no SendAsync)
// never reached the mock's sink, so the traffic list showed nothing.
func TestScriptAnsweredRequestIsRecorded_HtmlToText(t *testing.T) {
	t.Parallel()
	c := load(t, "custom-connectors/HtmlToText")
	sink := &captureSink{}
	base := serveWithCode(t, c, mock.Options{Seed: 1, Sink: sink}, runner(t, c))
	status, body := do(t, "POST", base+"/HtmlToText", `{"html":"<p>a</p><p>b</p>"}`, map[string]string{"Content-Type": "application/json"})
	if status != 200 || body != "a\nb" {
		t.Fatalf("got %d %q", status, body)
	}
	xs := sink.all()
	if len(xs) != 1 {
		t.Fatalf("%d exchanges recorded, want the script-answered one", len(xs))
	}
	x := xs[0]
	if x.OperationID != "HtmlToText" || x.Response.Status != 200 || string(x.Response.Body) != "a\nb" || string(x.Request.Body) != `{"html":"<p>a</p><p>b</p>"}` || x.Request.URL != "/HtmlToText" {
		t.Fatalf("recorded %+v", x)
	}
}

// A script that calls the backend is recorded once: the simulated
// backend's exchange, not a second copy.
func TestScriptThatSendsIsRecordedOnce(t *testing.T) {
	t.Parallel()
	c := load(t, "independent-publisher-connectors/AI or Not")
	sink := &captureSink{}
	base := serveWithCode(t, c, mock.Options{Seed: 1, DisableAuth: true, Sink: sink}, runner(t, c))
	if status, body := do(t, "GET", base+"/v1/system/live", "", map[string]string{"api_key": "k"}); status != 200 {
		t.Fatalf("got %d %s", status, body)
	}
	if xs := sink.all(); len(xs) != 1 {
		t.Fatalf("%d exchanges recorded, want 1", len(xs))
	}
}
