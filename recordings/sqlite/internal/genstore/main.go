// Command genstore fills a recordings database with N synthetic exchanges
// in one session, straight through the store (no HTTP), for the store-scale
// benchmarks of bench/store.sh (issue 17). It is a benchmark tool, not part
// of the product.
//
//	genstore -db FILE -n 1000000 [-session NAME] [-writers 64]
//
// Every exchange looks like one bench/record.sh records on the sample
// connector: GET /v1/orders/o-N?expand=lines with an API-key header and a
// ~400-byte JSON order, so it goes through the same redaction and the same
// insert as a recorded one. It prints one JSON line: exchanges, seconds,
// file bytes.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

var order = []byte(`{"id":"o-1","customerId":"c-42","status":"open","currency":"EUR","total":129.5,` +
	`"lines":[{"sku":"pen-01","qty":3,"price":1.5},{"sku":"pad-02","qty":10,"price":12.5}],` +
	`"createdAt":"2026-01-02T03:04:05Z","updatedAt":"2026-01-02T03:04:05Z","tags":["web","priority"],` +
	`"shipping":{"name":"Contoso Ltd","street":"1 Main St","city":"Redmond","country":"US"}}`)

func main() {
	db := flag.String("db", "", "recordings database file (created when missing)")
	n := flag.Int("n", 10000, "exchanges to write")
	name := flag.String("session", "", "session name (default gen-N)")
	writers := flag.Int("writers", 64, "concurrent writers (group commit batches them)")
	flag.Parse()
	if *db == "" || *n < 1 || *writers < 1 {
		fmt.Fprintln(os.Stderr, "genstore: need -db FILE, -n >= 1 and -writers >= 1")
		os.Exit(2)
	}
	if *name == "" {
		*name = "gen-" + strconv.Itoa(*n)
	}
	if err := run(*db, *name, *n, *writers); err != nil {
		fmt.Fprintln(os.Stderr, "genstore:", err)
		os.Exit(1)
	}
}

func run(db, name string, n, writers int) error {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, db, sqlite.Options{MaxBatch: 1024})
	if err != nil {
		return err
	}
	sess := &recordings.Session{Name: name, Connector: "Contoso Orders", Upstream: "http://127.0.0.1:1/v1", Source: recordings.SourceProxy,
		Rules: recordings.Rules{Secrets: []string{"bench-key"}}}
	if err := s.CreateSession(ctx, sess); err != nil {
		s.Close()
		return err
	}
	start := time.Now()
	t0 := start.Add(-time.Duration(n) * time.Millisecond)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(n) {
					return
				}
				if err := s.Record(ctx, exchange(sess.ID, i, t0)); err != nil {
					errs <- fmt.Errorf("exchange %d: %w", i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		s.Close()
		return err
	}
	if err := s.EndSession(ctx, sess.ID, recordings.SessionComplete, ""); err != nil {
		s.Close()
		return err
	}
	if err := s.Close(); err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	st, err := os.Stat(db)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{"session": name, "exchanges": n, "seconds": secs, "fileBytes": st.Size()})
}

func exchange(sid, i int64, t0 time.Time) *recordings.Exchange {
	id := strconv.FormatInt(i, 10)
	body := append([]byte(nil), order...)
	return &recordings.Exchange{
		SessionID: sid, Source: recordings.SourceProxy, Connector: "Contoso Orders", OperationID: "GetOrder",
		StartedAt: t0.Add(time.Duration(i) * time.Millisecond).UTC(), Duration: 900 * time.Microsecond, Upstream: 400 * time.Microsecond,
		Request: recordings.Request{Method: http.MethodGet, URL: "http://127.0.0.1:4020/v1/orders/o-" + id + "?expand=lines",
			Message: recordings.Message{Header: http.Header{"User-Agent": {"Go-http-client/1.1"}, "Api-Key": {"bench-key"}, "Accept-Encoding": {"gzip"}}}},
		Response: recordings.Response{Status: http.StatusOK, Message: recordings.Message{
			Header: http.Header{"Content-Type": {"application/json"}, "Date": {"Mon, 07 Dec 2026 01:00:00 GMT"}, "Content-Length": {strconv.Itoa(len(order))}},
			Body:   body}},
		Notes: []recordings.Note{{ID: "forwarded", Level: "info", Message: "forwarded to GET http://127.0.0.1:1/v1/orders/o-" + id}},
	}
}
