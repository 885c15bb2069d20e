package connector

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
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

// BenchmarkKinPlainCorpus is the peer: kin-openapi's plain pipeline
// (openapi2 unmarshal with its YAML fallback, then openapi2conv.ToV3) over
// the same definitions, with none of our repairs, typed model or index.
func BenchmarkKinPlainCorpus(b *testing.B) {
	root, dirs := corpusDirs(b)
	files := definitionFiles(root, dirs)
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			kinPlain(f)
		}
	}
}

// BenchmarkLoadLargest loads the largest dev-corpus definition.
func BenchmarkLoadLargest(b *testing.B) {
	p := filepath.Join(corpusRoot(b), "independent-publisher-connectors", "HubSpot CRM V2")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(context.Background(), p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkKinPlainLargest is the peer for BenchmarkLoadLargest.
func BenchmarkKinPlainLargest(b *testing.B) {
	p := filepath.Join(corpusRoot(b), "independent-publisher-connectors", "HubSpot CRM V2", "apiDefinition.swagger.json")
	b.ReportAllocs()
	for b.Loop() {
		kinPlain(p)
	}
}

func definitionFiles(root string, dirs []string) []string {
	var out []string
	for _, d := range dirs {
		m, _ := filepath.Glob(filepath.Join(root, d, "*.swagger.json"))
		out = append(out, m...)
	}
	return out
}

// kinPlain is the pipeline a kin-openapi user writes by hand.
func kinPlain(file string) {
	defer func() { _ = recover() }()
	raw, err := os.ReadFile(file)
	if err != nil {
		return
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	var v2 openapi2.T
	if err := json.Unmarshal(raw, &v2); err != nil {
		v2 = openapi2.T{}
		if openapi2.UnmarshalFromData(raw, &v2) != nil {
			return
		}
	}
	_, _ = openapi2conv.ToV3(&v2)
}

// TestLoadTimes reports per-connector load times for us and for the
// kin-openapi plain pipeline, measured in the same run (not a timing
// assertion: targets live in benchmarks and docs/PERFORMANCE.md).
// Run: go test -v -count=1 -run TestLoadTimes ./connector (bench/load.sh).
func TestLoadTimes(t *testing.T) {
	if testing.Short() || !testing.Verbose() {
		t.Skip("diagnostic; run with -v")
	}
	root, dirs := corpusDirs(t)
	type tm struct {
		d       string
		us, kin time.Duration
	}
	var all []tm
	var total, kinTotal time.Duration
	for _, d := range dirs {
		start := time.Now()
		_, _ = Load(context.Background(), filepath.Join(root, d))
		el := time.Since(start)
		var k time.Duration
		if fs := definitionFiles(root, []string{d}); len(fs) == 1 {
			start = time.Now()
			kinPlain(fs[0])
			k = time.Since(start)
		}
		total += el
		kinTotal += k
		all = append(all, tm{d, el, k})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].us > all[j].us })
	p99 := all[len(all)/100].us
	t.Logf("connectorlab: total %.2fs over %d connectors; p99 %.1f ms; max %.1f ms (%s)",
		total.Seconds(), len(all), ms(p99), ms(all[0].us), all[0].d)
	t.Logf("kin-openapi plain: total %.2fs; ratio ours/kin %.2f", kinTotal.Seconds(), total.Seconds()/kinTotal.Seconds())
	t.Logf("slowest (ours ms / kin plain ms):")
	for _, x := range all[:10] {
		t.Logf("%8.1f %8.1f  %s", ms(x.us), ms(x.kin), x.d)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
