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
	tl := NewLog(func(rows []Row) { mu.Lock(); batches++; rowsSeen += len(rows); mu.Unlock() }, nil)
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
