package replay_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract/replay"
	"github.com/connectorlab/connectorlab/policy"
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

// TestTargetBasePathDoubledOrDropped: a --target with the basePath
// (https://api.example/v1, as record's --upstream) replayed to /v1/v1/...,
// one without it lost the basePath under the connector's policies, and a
// recorded path without the basePath (the proxy accepts both) was
// reported drift-operation-missing.
func TestTargetBasePathDoubledOrDropped(t *testing.T) {
	c, err := connector.Load(context.Background(), "../../examples/contoso-orders")
	if err != nil {
		t.Fatal(err)
	}
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.URL.Path + " " + r.Header.Get("X-Client"))
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	const id = "0a2f4449-110e-481a-a9bc-186493f702b5"
	for _, tgt := range []string{srv.URL, srv.URL + "/v1", srv.URL + "/v1/"} {
		for _, rec := range []string{"/v1/orders/" + id, "/orders/" + id} {
			for _, policies := range []bool{false, true} {
				target, _ := url.Parse(tgt)
				opts := replay.Options{Target: target}
				want := "/v1/orders/" + id + " "
				if policies {
					eng, _ := policy.New(c, policy.Options{Upstream: replay.TargetBase(c, target)})
					opts.Policies = eng
					want += "connectorlab-sample" // the sample's setheader policy ran
				}
				x := &recordings.Exchange{ID: 1, OperationID: "GetOrder", Request: recordings.Request{Method: "GET", URL: rec}}
				res, err := replay.New(c, opts).Run(context.Background(), "s", []*recordings.Exchange{x})
				if err != nil {
					t.Fatal(err)
				}
				cs := res.Suite.Cases[0]
				if got.Load() != want || cs.Operation != "GetOrder" {
					t.Errorf("target %s, recorded %s, policies %v: the target got %q, want %q (case %s)", tgt, rec, policies, got.Load(), want, cs.Name)
				}
				for _, f := range cs.Findings {
					if f.ID == "drift-operation-missing" {
						t.Errorf("target %s, recorded %s, policies %v: %s", tgt, rec, policies, f.Message)
					}
				}
			}
		}
	}
}

// TestUnsendableRecordedHeaderIsNotUnreachable is the regression test for
// a recorded header net/http refuses to send (a control character in its
// value) making `test` report the target unreachable (exit 3): the case
// fails with a message naming the header, and a reachable target stays
// reachable.
func TestUnsendableRecordedHeaderIsNotUnreachable(t *testing.T) {
	c, err := connector.Load(context.Background(), filepath.Join(pairsDir, "10-Tesseron-ASM-Basic-Data", "new.swagger.json"))
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	op := c.Operations[0]
	bad := &recordings.Exchange{ID: 1, OperationID: op.ID, Request: recordings.Request{Method: op.Method, URL: "/api" + op.Path,
		Message: recordings.Message{Header: http.Header{"X-Trace": {"a\x01b"}}}}}
	good := &recordings.Exchange{ID: 2, OperationID: op.ID, Request: recordings.Request{Method: op.Method, URL: "/api" + op.Path}}
	target, _ := url.Parse(srv.URL)
	res, err := replay.New(c, replay.Options{Target: target, Timeout: 5 * time.Second}).Run(context.Background(), "s", []*recordings.Exchange{bad, good})
	if err != nil {
		t.Fatal(err)
	}
	if res.Unreachable != nil {
		t.Fatalf("reported unreachable: %v", res.Unreachable)
	}
	if e := res.Suite.Cases[0].Error; !strings.Contains(e, `"X-Trace"`) {
		t.Errorf("case error %q does not name the header", e)
	}
	if calls.Load() != 1 || res.Suite.Cases[1].Status != 200 {
		t.Errorf("the good exchange was not replayed: calls=%d case=%+v", calls.Load(), res.Suite.Cases[1])
	}

	// Alone, the bad exchange must not read as an unreachable target either.
	res, err = replay.New(c, replay.Options{Target: target, Timeout: 5 * time.Second}).Run(context.Background(), "s", []*recordings.Exchange{bad})
	if err != nil {
		t.Fatal(err)
	}
	if res.Unreachable != nil {
		t.Fatalf("a lone unsendable exchange reported the target unreachable: %v", res.Unreachable)
	}
}

// TestRedactedCredentialWithoutValueStopsRun: a recorded credential
// placeholder (the key query parameter, redacted when recorded) that the
// connection cannot replace was sent as recorded, which an API refuses
// on every case. With Options.MissingCredentials the run stops with that
// error before sending; when Auth sets the header the run goes ahead.
func TestRedactedCredentialWithoutValueStopsRun(t *testing.T) {
	c, err := connector.Load(context.Background(), filepath.Join(pairsDir, "10-Tesseron-ASM-Basic-Data", "new.swagger.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Auth.Sets) != 1 || c.Auth.Sets[0].APIKey == nil || c.Auth.Sets[0].APIKey.In != "query" {
		t.Fatalf("auth = %+v, want an API key in the query", c.Auth)
	}
	key := c.Auth.Sets[0].APIKey.Name
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	target, _ := url.Parse(srv.URL)
	var xs []*recordings.Exchange
	for i, op := range c.Operations {
		xs = append(xs, &recordings.Exchange{ID: int64(i + 1), OperationID: op.ID, Request: recordings.Request{Method: op.Method,
			URL: "/api" + op.Path + "?" + key + "=" + recordings.PlaceholderPrefix + "0123456789abcdef"}})
	}
	missing := errors.New("set CONNECTORLAB_PARAM_API_KEY")
	_, err = replay.New(c, replay.Options{Target: target, Concurrency: 4, MissingCredentials: missing}).Run(context.Background(), "s", xs)
	if !errors.Is(err, missing) || calls.Load() != 0 {
		t.Fatalf("err = %v after %d requests; want the MissingCredentials error before any", err, calls.Load())
	}
	auth := func(r *http.Request) error {
		q := r.URL.Query()
		q.Set(key, "k")
		r.URL.RawQuery = q.Encode()
		return nil
	}
	res, err := replay.New(c, replay.Options{Target: target, Auth: auth, MissingCredentials: missing}).Run(context.Background(), "s", xs)
	if err != nil || len(res.Suite.Cases) != len(xs) {
		t.Fatalf("with the key set: err %v, %d cases", err, len(res.Suite.Cases))
	}
}
