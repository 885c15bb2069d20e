package mock

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
)

// countSink counts the exchanges a server emits.
type countSink struct {
	mu sync.Mutex
	xs []*recordings.Exchange
}

func (c *countSink) Record(_ context.Context, x *recordings.Exchange) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.xs = append(c.xs, x)
	return nil
}

func (c *countSink) n() int { c.mu.Lock(); defer c.mu.Unlock(); return len(c.xs) }

// TestPreferInformationalCodeRefused (issue 11 item 12): Prefer: code=101
// (any 1xx) used to be honoured: Go's server sent it as an informational
// answer, then a 200 after it, and the exchange was stored twice. Now any
// code outside 200-599, a code that is not a number and an oversized
// example name are refused with a 400 that names the Prefer header, and
// the exchange is stored once.
func TestPreferInformationalCodeRefused(t *testing.T) {
	t.Parallel()
	for _, prefer := range []string{"code=101", "code=100", "code=103", "code=199", "code=99", "code=600", "code=-1", "code=abc", "code=404, example=" + strings.Repeat("x", 300)} {
		t.Run(prefer[:min(len(prefer), 20)], func(t *testing.T) {
			t.Parallel()
			sink := &countSink{}
			_, ts := newSample(t, Options{Seed: 1, DisableAuth: true, Sink: sink})
			a := do(t, "GET", ts.URL+"/v1/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6", "", map[string]string{"Prefer": prefer})
			if a.status != 400 || !strings.Contains(string(a.body), "prefer-invalid") || !strings.Contains(string(a.body), "Prefer") {
				t.Fatalf("Prefer %s: %d %s, want 400 prefer-invalid", prefer, a.status, a.body)
			}
			if n := sink.n(); n != 1 {
				t.Fatalf("Prefer %s: %d exchanges stored, want 1", prefer, n)
			}
		})
	}
	// The control: a final status is still honoured.
	_, ts := newSample(t, Options{Seed: 1, DisableAuth: true})
	if a := do(t, "GET", ts.URL+"/v1/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6", "", map[string]string{"Prefer": "code=404"}); a.status != 404 {
		t.Fatalf("Prefer code=404: %d", a.status)
	}
}

// TestCrossOriginPageCannotDriveTheMock (issue 11 item 3, mock side): the
// chain "a page on any origin → the mock's CORS grant → a webhook subscribe
// whose callback is a local service (the recording proxy) → the mock posts
// to it" is cut at every link. A page of another origin cannot make a
// state-changing request at all (403 before any operation, whatever the
// content type, and its preflight is not granted); it may still read
// generated data, never with credentials. Loopback pages and origins given
// with CORSOrigins may write. A callback on loopback is refused unless
// AllowPrivateCallbacks, and a callback to one of this process's own
// listeners is refused even then.
func TestCrossOriginPageCannotDriveTheMock(t *testing.T) {
	t.Parallel()
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer recv.Close()
	proxyLn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})) // stands for the recording proxy
	defer proxyLn.Close()
	hook := `{"callbackUrl":"` + recv.URL + `/cb"}`
	sink := &countSink{}
	_, ts := newSample(t, Options{Seed: 1, DisableAuth: true, Sink: sink, CORSOrigins: []string{"https://app.example"}})
	for _, tc := range []struct {
		name, origin, site, ctype string
		want                      int
	}{
		{"evil JSON", "https://evil.example", "", "application/json", 403},
		{"evil text/plain (no preflight)", "https://evil.example", "", "text/plain", 403},
		{"evil form", "https://evil.example", "", "application/x-www-form-urlencoded", 403},
		{"null origin", "null", "", "application/json", 403},
		{"cross-site without Origin", "", "cross-site", "application/json", 403},
		{"rebinding name", "http://localhost.evil.example:4010", "", "application/json", 403},
	} {
		a := do(t, "POST", ts.URL+"/v1/hooks", hook, map[string]string{"Origin": tc.origin, "Sec-Fetch-Site": tc.site, "Content-Type": tc.ctype})
		if a.status != tc.want || !strings.Contains(string(a.body), "cross-origin-refused") || !strings.Contains(string(a.body), "--cors-origin") {
			t.Errorf("%s: %d %s, want %d cross-origin-refused", tc.name, a.status, a.body, tc.want)
		}
		if a.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: refused but granted CORS", tc.name)
		}
	}
	// The preflight of a write from another origin is not granted.
	pre := do(t, "OPTIONS", ts.URL+"/v1/hooks", "", map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
	if pre.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("a write preflight from another origin was granted: %v", pre.header)
	}
	// Reads of generated data stay open, never with credentials.
	rd := do(t, "GET", ts.URL+"/v1/customers", "", map[string]string{"Origin": "https://evil.example"})
	if rd.status != 200 || rd.header.Get("Access-Control-Allow-Origin") != "https://evil.example" || rd.header.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("read from another origin: %d %v", rd.status, rd.header)
	}
	// Loopback pages and allow-listed origins may write, but a loopback
	// callback is refused without AllowPrivateCallbacks.
	for _, o := range []string{"http://localhost:3000", "https://app.example", ""} {
		a := do(t, "POST", ts.URL+"/v1/hooks", hook, map[string]string{"Origin": o, "Content-Type": "application/json"})
		if a.status != 400 || !strings.Contains(string(a.body), "--allow-private-callbacks") {
			t.Errorf("origin %q, loopback callback: %d %s, want 400 naming --allow-private-callbacks", o, a.status, a.body)
		}
	}
	hub := NewHub(nil)
	s2, err := New(loadSample(t), Options{Seed: 1, DisableAuth: true, Name: "contoso",
		PowerPlatform: PowerPlatformOptions{Hub: hub, AllowPrivateCallbacks: true, OwnAddrs: []string{strings.TrimPrefix(proxyLn.URL, "http://")}}})
	if err != nil {
		t.Fatal(err)
	}
	ts2 := httptest.NewServer(s2)
	defer ts2.Close()
	hub.SetURL("contoso", ts2.URL)
	hub.SetAdminURL("http://127.0.0.1:4999")
	for _, cb := range []string{ts2.URL + "/v1/orders", proxyLn.URL + "/v1/orders", "http://localhost:4999/v1/fire", strings.Replace(ts2.URL, "127.0.0.1", "[::ffff:127.0.0.1]", 1)} {
		a := do(t, "POST", ts2.URL+"/v1/hooks", `{"callbackUrl":"`+cb+`"}`, map[string]string{"Content-Type": "application/json"})
		if a.status != 400 || !strings.Contains(string(a.body), "listener of this mock process") {
			t.Errorf("callback %s (own listener): %d %s", cb, a.status, a.body)
		}
	}
	// The control: a local receiver with AllowPrivateCallbacks is fine.
	if a := do(t, "POST", ts2.URL+"/v1/hooks", hook, map[string]string{"Content-Type": "application/json"}); a.status >= 300 {
		t.Fatalf("a local receiver with AllowPrivateCallbacks: %d %s", a.status, a.body)
	}
}

// TestStatefulStoreIsBounded (issue 11 item 7): --stateful kept every
// 1 MiB POST forever (2.4 GB after a short loop) and listed the whole
// store in one answer. Now the store holds at most MaxStoreBytes of JSON
// and MaxItems per collection, evicting the oldest (and saying so), a
// resource larger than the store is refused with 413, and lists come in
// pages of ListPageSize with a next link.
func TestStatefulStoreIsBounded(t *testing.T) {
	t.Parallel()
	h := map[string]string{"Content-Type": "application/json"}
	big := `{"customerId":"3fa85f64-5717-4562-b3fc-2c963f66afa6","lines":[{"sku":"ABC123","quantity":2,"unitPrice":9.5}],"notes":"` + strings.Repeat("n", 1<<20) + `"}`
	t.Run("bytes", func(t *testing.T) {
		t.Parallel()
		s, ts := newSample(t, Options{Seed: 1, DisableAuth: true, Stateful: true, MaxStoreBytes: 8 << 20})
		evicted := 0
		for i := range 12 {
			a := do(t, "POST", ts.URL+"/v1/orders", big, h)
			if a.status != 201 {
				t.Fatalf("POST %d: %d %.300s", i, a.status, a.body)
			}
			if a.header.Get("Connectorlab-Evicted") != "" {
				evicted++
			}
		}
		if n := s.State().Bytes(); n > 8<<20 {
			t.Fatalf("the store holds %d bytes after 12 × 1 MiB, over its 8 MiB cap", n)
		}
		if evicted == 0 {
			t.Fatal("nothing was evicted, and no answer said so")
		}
		huge := `{"customerId":"3fa85f64-5717-4562-b3fc-2c963f66afa6","lines":[{"sku":"ABC123","quantity":2,"unitPrice":9.5}],"notes":"` + strings.Repeat("n", 9<<20) + `"}`
		if a := do(t, "POST", ts.URL+"/v1/orders", huge, h); a.status != 413 || !strings.Contains(string(a.body), "--max-store-mb") {
			t.Fatalf("a resource larger than the store: %d %.300s", a.status, a.body)
		}
	})
	t.Run("default cap", func(t *testing.T) {
		t.Parallel()
		s, _ := newSample(t, Options{Seed: 1, DisableAuth: true, Stateful: true})
		if o := s.Options(); o.MaxStoreBytes != DefaultMaxStoreBytes || o.MaxItems != DefaultMaxItems || o.ListPageSize != DefaultListPageSize {
			t.Fatalf("defaults not applied: %d bytes, %d items, pages of %d", o.MaxStoreBytes, o.MaxItems, o.ListPageSize)
		}
	})
	t.Run("items and pages", func(t *testing.T) {
		t.Parallel()
		_, ts := newSample(t, Options{Seed: 1, DisableAuth: true, Stateful: true, MaxItems: 150, ListPageSize: 100})
		small := `{"customerId":"3fa85f64-5717-4562-b3fc-2c963f66afa6","lines":[{"sku":"ABC123","quantity":2,"unitPrice":9.5}]}`
		for i := range 160 {
			if a := do(t, "POST", ts.URL+"/v1/orders", small, h); a.status != 201 {
				t.Fatalf("POST %d: %d %s", i, a.status, a.body)
			}
		}
		a := do(t, "GET", ts.URL+"/v1/orders", "", nil)
		var page struct {
			Value []any  `json:"value"`
			Next  string `json:"@odata.nextLink"`
		}
		if err := json.Unmarshal(a.body, &page); err != nil {
			t.Fatal(err)
		}
		if a.header.Get("Connectorlab-Total-Count") != "150" || len(page.Value) != 100 || page.Next == "" {
			t.Fatalf("first page: total %s, %d items, next %q", a.header.Get("Connectorlab-Total-Count"), len(page.Value), page.Next)
		}
		b := do(t, "GET", page.Next, "", nil)
		page.Value, page.Next = nil, ""
		_ = json.Unmarshal(b.body, &page)
		if b.status != 200 || len(page.Value) != 50 || page.Next != "" {
			t.Fatalf("second page: %d, %d items, next %q", b.status, len(page.Value), page.Next)
		}
	})
}

// TestStatePutCapped: the store refuses what no eviction in the bucket can
// make room for (other buckets hold the bytes).
func TestStatePutCapped(t *testing.T) {
	t.Parallel()
	s := NewState()
	l := Limits{MaxBytes: 100, MaxItems: 3}
	if _, err := s.PutCapped("a", "1", strings.Repeat("x", 80), l); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutCapped("b", "1", strings.Repeat("x", 40), l); !errors.Is(err, ErrStoreFull) {
		t.Fatalf("err = %v, want ErrStoreFull", err)
	}
	if _, err := s.PutCapped("b", "1", strings.Repeat("x", 200), l); !errors.Is(err, ErrItemTooLarge) {
		t.Fatalf("err = %v, want ErrItemTooLarge", err)
	}
	for i := range 5 {
		if _, err := s.PutCapped("c", string(rune('a'+i)), 1, Limits{MaxItems: 3}); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.Len("c"); n != 3 {
		t.Fatalf("%d items, want 3", n)
	}
	if es := s.List("c"); es[0].Key != "c" {
		t.Fatalf("the oldest were not the ones evicted: %v", es)
	}
	s.Reset("")
	if s.Bytes() != 0 {
		t.Fatalf("%d bytes after Reset", s.Bytes())
	}
}

// TestSubscriptionsAndCallbacksCapped (issue 11 item 7): subscriptions
// accepted 1 MiB callback URLs without limit. Now a callback URL over the
// cap is refused with 413 and subscriptions past MaxSubscriptions with 429,
// each with a body that says which limit.
func TestSubscriptionsAndCallbacksCapped(t *testing.T) {
	t.Parallel()
	s, err := New(loadSample(t), Options{Seed: 1, DisableAuth: true, PowerPlatform: PowerPlatformOptions{AllowPrivateCallbacks: true, MaxSubscriptions: 3}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	defer s.Close()
	h := map[string]string{"Content-Type": "application/json"}
	long := `{"callbackUrl":"http://127.0.0.1:9/` + strings.Repeat("a", 1<<20) + `"}`
	if a := do(t, "POST", ts.URL+"/v1/hooks", long, h); a.status != 413 || !strings.Contains(string(a.body), "2048-byte cap") {
		t.Fatalf("1 MiB callback URL: %d %.300s", a.status, a.body)
	}
	for i := range 4 {
		a := do(t, "POST", ts.URL+"/v1/hooks", `{"callbackUrl":"http://127.0.0.1:9/cb"}`, h)
		want := 201
		if i == 3 {
			want = 429
		}
		if a.status/100 != want/100 || want == 429 && !strings.Contains(string(a.body), "subscriptions-full") {
			t.Fatalf("subscription %d: %d %.300s", i+1, a.status, a.body)
		}
	}
	if e, _ := s.PowerPlatform(); len(e.Subscriptions()) != 3 {
		t.Fatalf("%d subscriptions kept", len(e.Subscriptions()))
	}
}
