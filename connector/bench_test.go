package connector

import (
	"context"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// BenchmarkLoadCorpus loads every corpus connector once per iteration.
func BenchmarkLoadCorpus(b *testing.B) {
	root, dirs := corpusDirs(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range dirs {
			_, _ = Load(context.Background(), filepath.Join(root, d))
		}
	}
}

// BenchmarkLoadLargest loads the largest dev-corpus definition.
func BenchmarkLoadLargest(b *testing.B) {
	root := corpusRoot(b)
	p := filepath.Join(root, "independent-publisher-connectors", "HubSpot CRM V2")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLoadTimes reports the slowest connectors (not a timing assertion:
// targets live in benchmarks). Run with -v -run TestLoadTimes.
func TestLoadTimes(t *testing.T) {
	if testing.Short() || !testing.Verbose() {
		t.Skip("diagnostic; run with -v")
	}
	root, dirs := corpusDirs(t)
	type tm struct {
		d string
		t time.Duration
	}
	var all []tm
	var total time.Duration
	for _, d := range dirs {
		start := time.Now()
		_, _ = Load(context.Background(), filepath.Join(root, d))
		el := time.Since(start)
		total += el
		all = append(all, tm{d, el})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].t > all[j].t })
	t.Logf("total %v over %d connectors; p99 %v", total, len(all), all[len(all)/100].t)
	for _, x := range all[:15] {
		t.Logf("%8.1f ms  %s", float64(x.t.Microseconds())/1000, x.d)
	}
}
