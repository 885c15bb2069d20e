package customcode

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/scripthost"
	"github.com/connectorlab/connectorlab/workflow/mockhost"
)

const passThroughScript = `public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        return await this.Context.SendAsync(this.Context.Request, this.CancellationToken).ConfigureAwait(false);
    }
}
`

// sample builds the bundled sample with a pass-through script.csx in a
// copy of its folder.
func sample(b testing.TB) *connector.Connector {
	b.Helper()
	if _, err := scripthost.FindEngine(); err != nil {
		b.Skipf("custom-code host unavailable: %v", err)
	}
	dir := b.TempDir()
	for _, f := range []string{"apiDefinition.swagger.json", "apiProperties.json"} {
		data, err := os.ReadFile(filepath.Join("../../examples/contoso-orders", f))
		if err != nil {
			b.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), data, 0o600)
	}
	os.WriteFile(filepath.Join(dir, "script.csx"), []byte(passThroughScript), 0o600)
	c, err := (&connector.Loader{}).Load(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkMockCustomCode measures the mock with the pass-through script
// against the mock without it (sequential GET /v1/orders/1 over HTTP),
// reporting p50/p99.
func BenchmarkMockCustomCode(b *testing.B) {
	c := sample(b)
	cache := filepath.Join(b.TempDir(), "cache")
	for _, withCode := range []bool{false, true} {
		name := "without-script"
		if withCode {
			name = "pass-through-script"
		}
		b.Run(name, func(b *testing.B) {
			u, err := mockhost.NewUnit(c, mock.Options{Seed: 1, DisableAuth: true})
			if err != nil {
				b.Fatal(err)
			}
			defer u.Close()
			if withCode {
				r, _, err := Start(context.Background(), c, Options{Mode: On, CacheDir: cache})
				if err != nil {
					b.Fatal(err)
				}
				u.UseCustomCode(r)
			}
			srv := httptest.NewServer(u)
			defer srv.Close()
			get := func() {
				res, err := http.Get(srv.URL + "/v1/orders/1")
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					b.Fatalf("status %d", res.StatusCode)
				}
			}
			for range 50 { // JIT and connection warm-up
				get()
			}
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				get()
				lat = append(lat, time.Since(t0))
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
		})
	}
}

// BenchmarkHostColdStart: starting the mono child of an already compiled
// script until it is ready (what a restart after a timeout costs).
func BenchmarkHostColdStart(b *testing.B) {
	if _, err := scripthost.FindEngine(); err != nil {
		b.Skipf("custom-code host unavailable: %v", err)
	}
	cache := filepath.Join(b.TempDir(), "cache")
	src := scripthost.Source{Name: "script.csx", Code: []byte(passThroughScript)}
	h, err := scripthost.New(context.Background(), src, scripthost.Options{CacheDir: cache}) // compiles once
	if err != nil {
		b.Fatal(err)
	}
	h.Close()
	b.ResetTimer()
	for range b.N {
		h, err := scripthost.New(context.Background(), src, scripthost.Options{CacheDir: cache})
		if err != nil {
			b.Fatal(err)
		}
		h.Close()
	}
}
