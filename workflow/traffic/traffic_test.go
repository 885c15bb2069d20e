package traffic

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
)

func TestTrafficLogBatchesTenThousandExchanges(t *testing.T) {
	var mu sync.Mutex
	batches, rowsSeen := 0, 0
	tl := NewLog(func(b Batch) { mu.Lock(); batches++; rowsSeen += b.New; mu.Unlock() }, nil)
	tl.Interval = 20 * time.Millisecond
	sink := tl.Sink("mock:x")
	var wg sync.WaitGroup
	for g := 0; g < 10; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				x := &recordings.Exchange{Source: recordings.SourceMock, Request: recordings.Request{Method: "GET", URL: "http://127.0.0.1:1/orders?top=1"}, Response: recordings.Response{Status: 200}}
				if err := sink.Record(context.Background(), x); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	tl.Flush()
	mu.Lock()
	defer mu.Unlock()
	if rowsSeen != 10000 {
		t.Fatalf("rows emitted = %d, want 10000", rowsSeen)
	}
	if n := batches; n > 100 {
		t.Errorf("%d batch events for 10,000 exchanges; batching is not working", n)
	}
	rows := tl.Rows("mock:x")
	if len(rows) != 10000 || rows[0].Path != "/orders?top=1" || rows[9999].Seq != 10000 {
		t.Errorf("rows: %d, first %+v", len(rows), rows[0])
	}
}

func TestTrafficLogEvictsOldestBeyondCapacity(t *testing.T) {
	tl := NewLog(nil, nil)
	tl.Capacity = 5
	for i := 0; i < 8; i++ {
		tl.Add("s", &recordings.Exchange{Request: recordings.Request{Method: "GET", URL: "/x"}})
	}
	tl.Flush()
	rows := tl.Rows("")
	if len(rows) != 5 || rows[0].Seq != 4 {
		t.Fatalf("kept %d rows starting at %d", len(rows), rows[0].Seq)
	}
	if _, _, _, ok := tl.Get(1); ok {
		t.Error("evicted exchange still returned")
	}
	if _, _, _, ok := tl.Get(8); !ok {
		t.Error("the newest exchange is not kept")
	}
	tl.Clear("s")
	if n := len(tl.Rows("")); n != 0 {
		t.Errorf("%d rows after clear", n)
	}
}

func TestTrafficLogDropsOldBodiesPastTheBudget(t *testing.T) {
	tl := NewLog(nil, nil)
	tl.BodyBudget = 1000
	body := []byte(strings.Repeat("x", 300))
	for i := 0; i < 10; i++ {
		tl.Add("s", &recordings.Exchange{Request: recordings.Request{Method: "GET", URL: "/x"}, Response: recordings.Response{Status: 200, Message: recordings.Message{Body: body, Size: 300}}})
	}
	if _, x, dropped, _ := tl.Get(1); !dropped || len(x.Response.Body) != 0 {
		t.Errorf("oldest body kept: dropped %v, %d bytes", dropped, len(x.Response.Body))
	}
	if _, x, dropped, _ := tl.Get(10); dropped || len(x.Response.Body) != 300 {
		t.Errorf("newest body dropped: %v", dropped)
	}
	if tl.BodyBytes() > 1000 {
		t.Errorf("kept %d body bytes, budget 1000", tl.BodyBytes())
	}
	tl.Clear("")
	if tl.BodyBytes() != 0 {
		t.Errorf("%d body bytes after clear", tl.BodyBytes())
	}
}

// TestTrafficLogKeepsOnlyTheNewestDetails: past DetailCapacity the oldest
// exchanges keep their row (the list still shows them) but not the whole
// exchange, so 10,000 exchanges do not hold 10,000 header maps and bodies.
func TestTrafficLogKeepsOnlyTheNewestDetails(t *testing.T) {
	tl := NewLog(nil, nil)
	tl.DetailCapacity = 3
	body := []byte("0123456789")
	for i := 0; i < 10; i++ {
		tl.Add("s", &recordings.Exchange{Request: recordings.Request{Method: "GET", URL: "/x"}, Response: recordings.Response{Status: 200, Message: recordings.Message{Body: body, Size: 10}}})
	}
	if n := len(tl.Rows("s")); n != 10 {
		t.Fatalf("%d rows kept, want all 10", n)
	}
	for seq := int64(1); seq <= 10; seq++ {
		_, x, _, ok := tl.Get(seq)
		if want := seq > 7; ok != want {
			t.Errorf("exchange %d kept whole = %v, want %v", seq, ok, want)
		}
		if ok && string(x.Response.Body) != string(body) {
			t.Errorf("exchange %d lost its body", seq)
		}
	}
	if got := tl.BodyBytes(); got != 30 {
		t.Errorf("body bytes %d, want 30 (three whole exchanges)", got)
	}
	tl.Clear("s")
	if got := tl.BodyBytes(); got != 0 {
		t.Errorf("%d body bytes after clear", got)
	}
	for i := 0; i < 5; i++ {
		tl.Add("s", &recordings.Exchange{Request: recordings.Request{Method: "GET", URL: "/x"}})
	}
	if _, _, _, ok := tl.Get(15); !ok {
		t.Error("newest exchange after a clear is not kept whole")
	}
	if _, _, _, ok := tl.Get(12); ok {
		t.Error("exchange beyond the capacity after a clear is still kept whole")
	}
}
