package replay_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract/replay"
	"github.com/connectorlab/connectorlab/recordings"
)

func TestRetryAfterAndCredentials(t *testing.T) {
	c, err := connector.Load(context.Background(), filepath.Join(pairsDir, "10-Tesseron-ASM-Basic-Data", "new.swagger.json"))
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	var gotKey, gotRedacted atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		gotKey.Store(r.Header.Get("X-Key"))
		gotRedacted.Store(r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	op := c.Operations[0]
	x := &recordings.Exchange{ID: 1, OperationID: op.ID, Request: recordings.Request{Method: op.Method, URL: "/api" + op.Path,
		Message: recordings.Message{Header: http.Header{"Authorization": {recordings.PlaceholderPrefix + "0123456789abcdef"}}}}}
	var waited time.Duration
	target, _ := url.Parse(srv.URL)
	r := replay.New(c, replay.Options{Target: target,
		Auth:  func(r *http.Request) error { r.Header.Set("X-Key", "from-env"); return nil },
		Sleep: func(_ context.Context, d time.Duration) error { waited += d; return nil }})
	res, err := r.Run(context.Background(), "s", []*recordings.Exchange{x})
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 || waited != 2*time.Second {
		t.Fatalf("calls=%d waited=%v, want a retry after 2s", calls.Load(), waited)
	}
	if gotKey.Load() != "from-env" || gotRedacted.Load() != "" {
		t.Fatalf("credentials: key=%v redacted header passed=%v", gotKey.Load(), gotRedacted.Load())
	}
	if res.Suite.Cases[0].Status != 200 {
		t.Fatalf("case = %+v", res.Suite.Cases[0])
	}
}

func TestUnreachableTarget(t *testing.T) {
	c, err := connector.Load(context.Background(), filepath.Join(pairsDir, "10-Tesseron-ASM-Basic-Data", "new.swagger.json"))
	if err != nil {
		t.Fatal(err)
	}
	l := httptest.NewServer(http.NotFoundHandler())
	target, _ := url.Parse(l.URL)
	l.Close()
	op := c.Operations[0]
	x := &recordings.Exchange{ID: 1, OperationID: op.ID, Request: recordings.Request{Method: op.Method, URL: op.Path}}
	res, err := replay.New(c, replay.Options{Target: target, Timeout: time.Second}).Run(context.Background(), "s", []*recordings.Exchange{x})
	if err != nil {
		t.Fatal(err)
	}
	if res.Unreachable == nil || res.Suite.Cases[0].Error == "" {
		t.Fatalf("unreachable target not reported: %+v", res)
	}
}
