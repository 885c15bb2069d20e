package sqlite_test

import (
	"context"
	"io"
	"path/filepath"
	"sync"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

// scaleStore is a store with n exchanges like bench/record.sh records
// (an API-key header, a ~400-byte JSON order), filled through Record from
// 32 writers. bench/store.sh measures the same reads at 10k..1M from the
// command line.
func scaleStore(b *testing.B, n int) (*sqlite.Store, *recordings.Session) {
	b.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "scale.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	sess := &recordings.Session{Name: "scale", Rules: recordings.Rules{Secrets: []string{"bench-key"}}}
	if err := s.CreateSession(ctx, sess); err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	jobs := make(chan int)
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				x := exchange(sess.ID, i)
				x.Request.Header.Set("Api-Key", "bench-key")
				x.Response.Body = append([]byte(nil), benchOrder...)
				if err := s.Record(ctx, x); err != nil {
					b.Error(err)
				}
			}
		}()
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return s, sess
}

// BenchmarkExport is one session of 2,000 exchanges exported as HAR and
// as JSON (ns/op and allocations are per export; see exchanges/s).
func BenchmarkExport(b *testing.B) {
	const n = 2000
	s, sess := scaleStore(b, n)
	b.ResetTimer()
	for _, c := range []struct {
		name string
		fn   func(context.Context, recordings.Store, int64, io.Writer) (int, error)
	}{
		{"har", func(ctx context.Context, s recordings.Store, id int64, w io.Writer) (int, error) {
			return recordings.ExportHAR(ctx, s, id, w, "bench")
		}},
		{"json", recordings.ExportJSON},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if got, err := c.fn(context.Background(), s, sess.ID, io.Discard); err != nil || got != n {
					b.Fatalf("exported %d of %d: %v", got, n, err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "exchanges/s")
		})
	}
}

// BenchmarkListExchangesPage is one page of 100 exchanges without bodies
// (what `recordings show` and the desktop's traffic view read).
func BenchmarkListExchangesPage(b *testing.B) {
	s, sess := scaleStore(b, 5000)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		page, err := s.ListExchanges(context.Background(), recordings.ExchangeFilter{SessionID: sess.ID, Limit: 100, NoBodies: true, After: 2500})
		if err != nil || len(page.Exchanges) != 100 {
			b.Fatalf("page of %d: %v", len(page.Exchanges), err)
		}
	}
}

// BenchmarkListSessions lists the sessions with their exchange counts
// (`recordings ls`).
func BenchmarkListSessions(b *testing.B) {
	s, _ := scaleStore(b, 5000)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		list, err := s.ListSessions(context.Background(), recordings.SessionFilter{})
		if err != nil || len(list) != 1 || list[0].Exchanges != 5000 {
			b.Fatalf("sessions %v: %v", list, err)
		}
	}
}
