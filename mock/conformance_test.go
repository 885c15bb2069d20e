package mock

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/probe"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// corpusRoot is the dev corpus, relative to this package.
const corpusRoot = "../../shared/corpus/connectors"

func corpusDirs(t testing.TB) []string {
	dirs, _ := filepath.Glob(filepath.Join(corpusRoot, "*", "*"))
	if len(dirs) == 0 {
		t.Skip("corpus not found at " + corpusRoot)
	}
	sort.Strings(dirs)
	return dirs
}

// TestConformanceSweep serves every dev-corpus connector over real HTTP on
// 127.0.0.1, sends one valid request per operation (built by package probe)
// and checks status, content type and body against the definition. Every
// failure is listed in testdata/conformance-failures.golden with its class.
// -short samples every 10th connector.
func TestConformanceSweep(t *testing.T) {
	sweepCorpus(t, Options{Seed: 1}, "testdata/conformance-failures.golden", true)
}

// TestConformanceSweepSimulation is the same sweep with the Power Platform
// behaviours off: the schema-driven engine alone. Both must pass >= 99.5%.
func TestConformanceSweepSimulation(t *testing.T) {
	sweepCorpus(t, Options{Seed: 1, DisableBehaviours: true}, "testdata/conformance-simulation-failures.golden", true)
}

func sweepCorpus(t *testing.T, opts Options, golden string, enforceRate bool) {
	dirs := corpusDirs(t)
	if testing.Short() {
		var s []string
		for i := 0; i < len(dirs); i += 10 {
			s = append(s, dirs[i])
		}
		dirs = s
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	var mu sync.Mutex
	var fails []string
	total, pass, unloadable := 0, 0, 0
	classes := map[string]int{}
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for _, d := range dirs {
		wg.Add(1)
		sem <- struct{}{}
		go func(d string) {
			defer wg.Done()
			defer func() { <-sem }()
			name, _ := filepath.Rel(corpusRoot, d)
			name = filepath.ToSlash(name)
			c, err := connector.Load(context.Background(), d)
			if err != nil {
				mu.Lock()
				unloadable++
				mu.Unlock()
				return
			}
			s, err := New(c, opts)
			if err != nil {
				mu.Lock()
				fails = append(fails, fmt.Sprintf("%s :: (server) %v", name, err))
				mu.Unlock()
				return
			}
			ts := httptest.NewServer(s)
			res := probe.Sweep(context.Background(), c, ts.URL, client, probe.SweepOptions{Token: true, Builder: probe.Options{Seed: 1}})
			ts.Close()
			mu.Lock()
			defer mu.Unlock()
			for _, r := range res {
				total++
				if r.Pass() {
					pass++
					continue
				}
				classes[r.Class]++
				fails = append(fails, fmt.Sprintf("%s :: %s %s %s: [%s] %s", name, r.OperationID, r.Method, r.Path, r.Class, r.Reason))
			}
		}(d)
	}
	wg.Wait()
	sort.Strings(fails)
	t.Logf("conformance: %d/%d operations pass (%.2f%%) in %d connectors (%d unloadable); failures by class: %v",
		pass, total, 100*float64(pass)/float64(max(total, 1)), len(dirs)-unloadable, unloadable, classes)
	rate := float64(pass) / float64(max(total, 1))
	if enforceRate && !testing.Short() && rate < 0.995 {
		t.Errorf("pass rate %.2f%% is below 99.5%%", 100*rate)
	}
	if testing.Short() {
		return
	}
	got := strings.Join(fails, "\n") + "\n"
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, _ := os.ReadFile(golden)
	if string(want) != got {
		t.Errorf("conformance failures differ from %s (run with -update to accept):\n%s", golden, diff(string(want), got))
	}
}

func diff(a, b string) string {
	as, bs := map[string]bool{}, map[string]bool{}
	for _, l := range strings.Split(a, "\n") {
		as[l] = true
	}
	for _, l := range strings.Split(b, "\n") {
		bs[l] = true
	}
	var out []string
	for _, l := range strings.Split(a, "\n") {
		if !bs[l] {
			out = append(out, "- "+l)
		}
	}
	for _, l := range strings.Split(b, "\n") {
		if !as[l] {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}

func loadCorpus(t testing.TB, rel string) (*connector.Connector, error) {
	return connector.Load(context.Background(), filepath.Join(corpusRoot, rel))
}
