package traffic

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
)

// pagerLog holds 30 exchanges: seq 1–20 on mock:/c/contoso (every 10th a
// 404, the rest GetOrder 200s), 21–25 on mock:/c/contoso#2 (ListOrders,
// 25 failed with no response), 26–30 on session:1 through the proxy (no
// operation matched, 28 with an error note).
func pagerLog(t *testing.T) *Log {
	t.Helper()
	tl := NewLog(nil, nil)
	for i := 1; i <= 30; i++ {
		x := &recordings.Exchange{Source: recordings.SourceMock, Request: recordings.Request{Method: "GET", URL: fmt.Sprintf("http://127.0.0.1:1/v1/orders/o-%d", i)},
			Response: recordings.Response{Status: 200}, OperationID: "GetOrder"}
		stream := "mock:/c/contoso"
		switch {
		case i <= 20:
			if i%10 == 0 {
				x.Response.Status = 404
			}
		case i <= 25:
			stream, x.OperationID, x.Request.URL = "mock:/c/contoso#2", "ListOrders", "/v1/Orders?top=2"
			if i == 25 {
				x.Response.Status, x.Error = 0, "connection reset"
			}
		default:
			stream, x.OperationID, x.Source = "session:1", "", recordings.Source("proxy")
			if i == 28 {
				x.Notes = []recordings.Note{{Level: "error", Message: "response does not match the schema"}}
			}
		}
		tl.Add(stream, x)
	}
	return tl
}

func seqs(rows []Row) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.Seq
	}
	return out
}

func TestPageFiltersCountsAndWindows(t *testing.T) {
	t.Parallel()
	tl := pagerLog(t)
	all := []string{"mock:/c/contoso", "mock:/c/contoso#2", "session:1"}
	for _, c := range []struct {
		name            string
		f               Filter
		from, count     int
		want            []int64
		matching, total int
		ops, streams    []string
		latest          int64
	}{
		{name: "newest first, first page", f: Filter{}, from: 0, count: 3, want: []int64{30, 29, 28}, matching: 30, total: 30, ops: []string{"GetOrder", "ListOrders"}, streams: all, latest: 30},
		{name: "a window further down", f: Filter{}, from: 10, count: 2, want: []int64{20, 19}, matching: 30, total: 30, ops: []string{"GetOrder", "ListOrders"}, streams: all, latest: 30},
		{name: "past the end gives the counts only", f: Filter{}, from: 40, count: 5, want: []int64{}, matching: 30, total: 30, ops: []string{"GetOrder", "ListOrders"}, streams: all, latest: 30},
		{name: "the last rows", f: Filter{}, from: 28, count: 5, want: []int64{2, 1}, matching: 30, total: 30, ops: []string{"GetOrder", "ListOrders"}, streams: all, latest: 30},
		{name: "count 0 is a count query", f: Filter{Status: "4xx"}, from: 0, count: 0, want: []int64{}, matching: 2, total: 30, ops: []string{"GetOrder", "ListOrders"}, streams: all, latest: 30},
		{name: "one stream scope", f: Filter{Scope: "session:1"}, from: 0, count: 10, want: []int64{30, 29, 28, 27, 26}, matching: 5, total: 5, ops: []string{}, streams: []string{"session:1"}, latest: 30},
		{name: "every mock of a connector", f: Filter{Scope: "mock:/c/contoso#*"}, from: 0, count: 2, want: []int64{25, 24}, matching: 25, total: 25, ops: []string{"GetOrder", "ListOrders"}, streams: all[:2], latest: 25},
		{name: "family scope does not take a longer path", f: Filter{Scope: "mock:/c/cont#*"}, from: 0, count: 2, want: []int64{}, matching: 0, total: 0, ops: []string{}, streams: []string{}, latest: 0},
		{name: "status class", f: Filter{Status: "4xx"}, from: 0, count: 10, want: []int64{20, 10}, matching: 2, total: 30, ops: []string{"GetOrder", "ListOrders"}, streams: all, latest: 30},
		{name: "problems: 4xx, no response, error notes", f: Filter{Status: "problems"}, from: 0, count: 10, want: []int64{28, 25, 20, 10}, matching: 4, total: 30, ops: []string{"GetOrder", "ListOrders"}, streams: all, latest: 30},
		{name: "operation", f: Filter{Scope: "mock:/c/contoso#*", Operation: "ListOrders"}, from: 1, count: 2, want: []int64{24, 23}, matching: 5, total: 25, ops: []string{"GetOrder", "ListOrders"}, streams: all[:2], latest: 25},
		{name: "no operation matched", f: Filter{Operation: "-"}, from: 0, count: 2, want: []int64{30, 29}, matching: 5, total: 30, ops: []string{"GetOrder", "ListOrders"}, streams: all, latest: 30},
		{name: "stream menu within the scope", f: Filter{Stream: "mock:/c/contoso#2", Status: "2xx"}, from: 0, count: 10, want: []int64{24, 23, 22, 21}, matching: 4, total: 30, ops: []string{"GetOrder", "ListOrders"}, streams: all, latest: 30},
		{name: "text in the path", f: Filter{Text: "o-1"}, from: 0, count: 20, want: []int64{19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 1}, matching: 11, total: 30, ops: []string{"GetOrder", "ListOrders"}, streams: all, latest: 30},
		{name: "text ignores case and spaces around", f: Filter{Text: "  ORDERS?TOP "}, from: 0, count: 20, want: []int64{25, 24, 23, 22, 21}, matching: 5, total: 30, ops: []string{"GetOrder", "ListOrders"}, streams: all, latest: 30},
		{name: "text in the status", f: Filter{Text: "404"}, from: 0, count: 20, want: []int64{20, 10}, matching: 2, total: 30, ops: []string{"GetOrder", "ListOrders"}, streams: all, latest: 30},
		{name: "text in the source", f: Filter{Text: "proxy"}, from: 0, count: 1, want: []int64{30}, matching: 5, total: 30, ops: []string{"GetOrder", "ListOrders"}, streams: all, latest: 30},
		{name: "text 5xx is a status class", f: Filter{Text: "5xx"}, from: 0, count: 20, want: []int64{}, matching: 0, total: 30, ops: []string{"GetOrder", "ListOrders"}, streams: all, latest: 30},
		{name: "text ! is problems", f: Filter{Text: "!", Scope: "session:1"}, from: 0, count: 20, want: []int64{28}, matching: 1, total: 5, ops: []string{}, streams: []string{"session:1"}, latest: 30},
		{name: "count is capped at MaxPage", f: Filter{}, from: 0, count: MaxPage * 10, want: nil, matching: 30, total: 30, ops: []string{"GetOrder", "ListOrders"}, streams: all, latest: 30},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := tl.Page(c.f, c.from, c.count)
			if err != nil {
				t.Fatal(err)
			}
			want := c.want
			if want == nil {
				want = seqs(tl.Rows(""))
				for i, j := 0, len(want)-1; i < j; i, j = i+1, j-1 {
					want[i], want[j] = want[j], want[i]
				}
			}
			if got := seqs(p.Rows); !reflect.DeepEqual(got, want) {
				t.Errorf("rows %v, want %v", got, want)
			}
			if p.From != c.from || p.Matching != c.matching || p.Total != c.total || p.Latest != c.latest {
				t.Errorf("from %d matching %d total %d latest %d, want %d %d %d %d", p.From, p.Matching, p.Total, p.Latest, c.from, c.matching, c.total, c.latest)
			}
			if !reflect.DeepEqual(p.Operations, c.ops) || !reflect.DeepEqual(p.Streams, c.streams) {
				t.Errorf("menus: operations %v streams %v, want %v %v", p.Operations, p.Streams, c.ops, c.streams)
			}
		})
	}
}

func TestPageRefusesBadInput(t *testing.T) {
	t.Parallel()
	tl := pagerLog(t)
	for _, c := range []struct {
		name        string
		f           Filter
		from, count int
		want        string
	}{
		{"unknown status", Filter{Status: "6xx"}, 0, 10, `status "6xx" is not one of`},
		{"status word", Filter{Status: "errors"}, 0, 10, "problems"},
		{"negative from", Filter{}, -1, 10, "must not be negative"},
		{"negative count", Filter{}, 0, -5, "must not be negative"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := tl.Page(c.f, c.from, c.count); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
		})
	}
}

// Non-ASCII paths fall back to a lower-case copy and still match.
func TestContainsFold(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		s, needle string
		want      bool
	}{
		{"/V1/Orders", "orders", true},
		{"/v1/orders", "orderz", false},
		{"", "a", false},
		{"/Straße/ÄPFEL", "äpfel", true},
		{"/Straße/ÄPFEL", "birne", false},
		{"GET", "get", true},
		{"ab", "abc", false},
	} {
		if got := containsFold(c.s, c.needle); got != c.want {
			t.Errorf("containsFold(%q, %q) = %v, want %v", c.s, c.needle, got, c.want)
		}
	}
}

// A batch announces counts and streams, not rows; Clear of a family scope
// drops the rows of every mock of the connector and nothing else.
func TestBatchCarriesCountsAndClearTakesAScope(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []Batch
	var cleared []string
	tl := NewLog(func(b Batch) { mu.Lock(); got = append(got, b); mu.Unlock() }, func(s string) { cleared = append(cleared, s) })
	tl.Interval = time.Hour
	for _, s := range []string{"mock:/c/a", "mock:/c/a#2", "mock:/c/a", "session:3", "mock:/c/ab"} {
		tl.Add(s, &recordings.Exchange{Request: recordings.Request{Method: "GET", URL: "/x"}})
	}
	tl.Flush()
	tl.Flush() // nothing new: no event
	mu.Lock()
	want := []Batch{{New: 5, Total: 5, Latest: 5, Streams: []string{"mock:/c/a", "mock:/c/a#2", "mock:/c/ab", "session:3"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("batches %+v, want %+v", got, want)
	}
	mu.Unlock()
	tl.Clear("mock:/c/a#*")
	var left []string
	for _, r := range tl.Rows("") {
		left = append(left, r.Stream)
	}
	if !reflect.DeepEqual(left, []string{"session:3", "mock:/c/ab"}) || !reflect.DeepEqual(cleared, []string{"mock:/c/a#*"}) {
		t.Errorf("after clearing the family: rows of %v, cleared events %v", left, cleared)
	}
}

// BenchmarkPage10k is the cost of one page of a text-filtered list of
// 10,000 rows (every batch of new traffic makes each open list ask for one).
func BenchmarkPage10k(b *testing.B) {
	tl := NewLog(nil, nil)
	for i := 0; i < 10000; i++ {
		tl.Add("mock:/c/x", &recordings.Exchange{Request: recordings.Request{Method: "GET", URL: fmt.Sprintf("/v1/orders/o-%d", i)}, Response: recordings.Response{Status: 200}, OperationID: "GetOrder"})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tl.Page(Filter{Scope: "mock:/c/x#*", Text: "o-99"}, 0, 300); err != nil {
			b.Fatal(err)
		}
	}
}
