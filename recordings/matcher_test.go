package recordings_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
)

func rec(id int64, op, method, url, ct, body string, status int, respBody string) *recordings.Exchange {
	x := &recordings.Exchange{ID: id, OperationID: op,
		Request:  recordings.Request{Method: method, URL: url, Message: recordings.Message{Body: []byte(body)}},
		Response: recordings.Response{Status: status, Message: recordings.Message{Body: []byte(respBody), Header: http.Header{"Content-Type": {"application/json"}}}}}
	if ct != "" {
		x.Request.Header = http.Header{"Content-Type": {ct}}
	}
	return x
}

func req(method, url, ct, body string) recordings.Request {
	r := recordings.Request{Method: method, URL: url, Message: recordings.Message{Body: []byte(body)}}
	if ct != "" {
		r.Header = http.Header{"Content-Type": {ct}}
	}
	return r
}

func TestMatcher(t *testing.T) {
	xs := []*recordings.Exchange{
		rec(1, "GetOrder", "GET", "http://127.0.0.1:4020/orders/o-1?expand=lines", "", "", 200, `{"id":"o-1"}`),
		rec(2, "GetOrder", "GET", "http://127.0.0.1:4020/orders/o-2", "", "", 200, `{"id":"o-2"}`),
		rec(3, "CreateOrder", "POST", "http://127.0.0.1:4020/orders", "application/json", `{"customer":"c1","lines":[{"sku":"pen","qty":1}],"requestId":"r-1"}`, 201, `{"id":"o-3"}`),
		rec(4, "GetStatus", "GET", "/jobs/j1", "", "", 202, `{"state":"running"}`),
		rec(5, "GetStatus", "GET", "/jobs/j1", "", "", 200, `{"state":"done"}`),
		{ID: 6, OperationID: "GetOrder", Request: recordings.Request{Method: "GET", URL: "/orders/o-9"}, Error: "upstream unreachable"},
		rec(7, "Login", "POST", "/token", "application/x-www-form-urlencoded", "grant_type=password&username=bob", 200, `{}`),
	}
	m := recordings.NewMatcher(xs, recordings.MatchOptions{IgnoreBody: []string{"/requestId"}, IgnoreQuery: []string{"cachebust"}})
	for _, tc := range []struct {
		name      string
		op        string
		r         recordings.Request
		want      int64    // matched exchange, 0 for a miss
		closest   int64    // on a miss
		diffField []string // on a miss
	}{
		{"exact with another host", "GetOrder", req("GET", "http://localhost:4010/orders/o-1?expand=lines", "", ""), 1, 0, nil},
		{"ignored query key", "GetOrder", req("GET", "/orders/o-1?cachebust=9&expand=lines", "", ""), 1, 0, nil},
		{"query differs", "GetOrder", req("GET", "/orders/o-1?expand=none", "", ""), 0, 1, []string{"query.expand"}},
		{"path differs", "GetOrder", req("GET", "/orders/o-7", "", ""), 0, 2, []string{"path"}},
		{"json body equal modulo ignored pointer and key order", "CreateOrder",
			req("POST", "/orders", "application/json", `{"lines":[{"qty":1,"sku":"pen"}],"requestId":"r-999","customer":"c1"}`), 3, 0, nil},
		{"json body differs", "CreateOrder",
			req("POST", "/orders", "application/json", `{"customer":"c2","lines":[{"sku":"pen","qty":2}]}`), 0, 3, []string{"body/customer", "body/lines/0/qty"}},
		{"form body equal in another order", "Login", req("POST", "/token", "application/x-www-form-urlencoded", "username=bob&grant_type=password"), 7, 0, nil},
		{"method differs", "", req("DELETE", "/orders/o-2", "", ""), 0, 2, []string{"method"}},
		{"failed exchanges never answer", "GetOrder", req("GET", "/orders/o-9", "", ""), 0, 2, []string{"path"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := m.Match(tc.op, tc.r)
			if tc.want != 0 {
				if !res.Matched() || res.Exchange.ID != tc.want {
					t.Fatalf("want exchange %d, got %+v (diffs %v)", tc.want, res.Exchange, res.Diffs)
				}
				return
			}
			if res.Matched() {
				t.Fatalf("want a miss, matched %d", res.Exchange.ID)
			}
			if res.Closest == nil || res.Closest.ID != tc.closest {
				t.Fatalf("closest = %+v, want %d (diffs %v)", res.Closest, tc.closest, res.Diffs)
			}
			var fields []string
			for _, d := range res.Diffs {
				fields = append(fields, d.Field)
			}
			if strings.Join(fields, ",") != strings.Join(tc.diffField, ",") {
				t.Fatalf("diff fields %v, want %v", fields, tc.diffField)
			}
			p := res.Problem()
			if p.Error != "no-recording-matched" || p.Closest == nil || p.Closest.ExchangeID != tc.closest {
				t.Fatalf("problem %+v", p)
			}
		})
	}
	// A polled status answers in recorded order, then repeats the last.
	var states []string
	for range 3 {
		states = append(states, string(m.Match("GetStatus", req("GET", "/jobs/j1", "", "")).Exchange.Response.Body))
	}
	if strings.Join(states, " ") != `{"state":"running"} {"state":"done"} {"state":"done"}` {
		t.Fatalf("sequence: %v", states)
	}
	m.Reset()
	if string(m.Match("GetStatus", req("GET", "/jobs/j1", "", "")).Exchange.Response.Body) != `{"state":"running"}` {
		t.Fatal("Reset did not restart the sequence")
	}
	if res := recordings.NewMatcher(nil, recordings.MatchOptions{}).Match("", req("GET", "/", "", "")); res.Matched() || res.Closest != nil || res.Problem().Message == "" {
		t.Fatalf("empty matcher: %+v", res)
	}
}

func TestMatcherComparesSecretsByKeyedHash(t *testing.T) {
	red := recordings.NewRedactor([]byte("store key......."), recordings.DefaultRules())
	recorded := rec(1, "GetOrder", "GET", "/orders/o-1?api_key=live-key-1", "", "", 200, `{}`)
	red.Redact(recorded)
	m := recordings.NewMatcher([]*recordings.Exchange{recorded}, recordings.MatchOptions{Redact: red.Redact})
	if !m.Match("GetOrder", req("GET", "/orders/o-1?api_key=live-key-1", "", "")).Matched() {
		t.Fatal("the same secret must match its redacted recording")
	}
	res := m.Match("GetOrder", req("GET", "/orders/o-1?api_key=other-key", "", ""))
	if res.Matched() || len(res.Diffs) != 1 || res.Diffs[0].Field != "query.api_key" || strings.Contains(res.Diffs[0].Request, "other-key") {
		t.Fatalf("another secret: %+v", res)
	}
}

func TestWriteReplay(t *testing.T) {
	x := rec(9, "GetOrder", "GET", "/o", "", "", 200, `{"id":"o-1"}`)
	x.Response.Header.Set("Content-Encoding", "gzip")
	x.Response.Header.Set("Content-Length", "999")
	x.Response.Encoding = "gzip"
	w := httptest.NewRecorder()
	recordings.WriteReplay(w, x)
	if w.Code != 200 || w.Body.String() != `{"id":"o-1"}` || w.Header().Get("Content-Encoding") != "" || w.Header().Get("Content-Length") != "12" || w.Header().Get(recordings.ExchangeHeader) != "9" {
		t.Fatalf("replay: %d %q %v", w.Code, w.Body, w.Header())
	}
}

// BenchmarkMatch10k: one request against 10,000 recordings (hit and miss).
func BenchmarkMatch10k(b *testing.B) {
	var xs []*recordings.Exchange
	for i := range 10000 {
		xs = append(xs, rec(int64(i+1), "GetOrder", "GET", fmt.Sprintf("/orders/o-%d?expand=lines", i), "", "", 200, `{}`))
		if i%10 == 0 {
			xs = append(xs, rec(int64(100000+i), "CreateOrder", "POST", "/orders", "application/json", fmt.Sprintf(`{"customer":"c%d","lines":[{"sku":"pen","qty":%d}]}`, i, i), 201, `{}`))
		}
	}
	m := recordings.NewMatcher(xs, recordings.MatchOptions{})
	b.Run("hit", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if !m.Match("GetOrder", req("GET", "/orders/o-5000?expand=lines", "", "")).Matched() {
				b.Fatal("miss")
			}
		}
	})
	b.Run("body-hit", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if !m.Match("CreateOrder", req("POST", "/orders", "application/json", `{"customer":"c500","lines":[{"sku":"pen","qty":500}]}`)).Matched() {
				b.Fatal("miss")
			}
		}
	})
	b.Run("miss", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if m.Match("GetOrder", req("GET", "/orders/nope", "", "")).Matched() {
				b.Fatal("hit")
			}
		}
	})
}

func TestMatcherTruncatedAndIgnoredArrayItems(t *testing.T) {
	big := strings.Repeat("x", 100)
	full := []byte(`{"blob":"` + big + `"}`)
	sum := sha256.Sum256(full)
	trunc := rec(1, "Upload", "POST", "/files", "application/json", string(full[:20]), 200, `{"id":"f1"}`)
	trunc.Request.Truncated, trunc.Request.Size, trunc.Request.SHA256 = true, int64(len(full)), hex.EncodeToString(sum[:])
	items := rec(2, "Batch", "POST", "/batch", "application/json", `{"items":[{"id":1,"ts":"a"},{"id":2,"ts":"b"}]}`, 200, `{}`)
	m := recordings.NewMatcher([]*recordings.Exchange{trunc, items}, recordings.MatchOptions{IgnoreBody: []string{"/items/*/ts"}})
	if res := m.Match("Upload", req("POST", "/files", "application/json", string(full))); !res.Matched() || res.Exchange.ID != 1 {
		t.Fatalf("a recording with a truncated body must match by size and hash: %+v", res)
	}
	if res := m.Match("Batch", req("POST", "/batch", "application/json", `{"items":[{"ts":"z","id":1},{"id":2,"ts":"y"}]}`)); !res.Matched() {
		t.Fatalf("ignored array-item fields: %+v", res.Diffs)
	}
	if res := m.Match("Batch", req("POST", "/batch", "application/json", `{"items":[{"id":1,"ts":"z"},{"id":3,"ts":"y"}]}`)); res.Matched() || res.Diffs[0].Field != "body/items/1/id" {
		t.Fatalf("a real difference next to ignored ones: %+v", res)
	}
}
