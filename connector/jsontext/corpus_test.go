package jsontext_test

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector/jsontext"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// corpusDir is the shared dev corpus, relative to this package.
const corpusDir = "../../../shared/corpus/connectors"

type corpusFile struct {
	rel  string // path relative to corpusDir, slash-separated
	data []byte
}

// corpusFiles reads every swagger and apiProperties file of the corpus, or
// skips the test when the corpus is not there.
func corpusFiles(tb testing.TB) []corpusFile {
	tb.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		tb.Skipf("corpus not found at %s (it lives in the shared folder beside the repo): %v", corpusDir, err)
	}
	var files []corpusFile
	for _, group := range []string{"certified-connectors", "custom-connectors", "independent-publisher-connectors"} {
		matches, err := filepath.Glob(filepath.Join(corpusDir, group, "*", "*.json"))
		if err != nil {
			tb.Fatalf("list corpus: %v", err)
		}
		for _, m := range matches {
			base := filepath.Base(m)
			if !strings.HasSuffix(base, ".swagger.json") && base != "apiProperties.json" {
				continue
			}
			data, err := os.ReadFile(m)
			if err != nil {
				tb.Fatalf("read corpus file: %v", err)
			}
			rel, _ := filepath.Rel(corpusDir, m)
			files = append(files, corpusFile{rel: filepath.ToSlash(rel), data: data})
		}
	}
	if len(files) == 0 {
		tb.Skipf("corpus at %s holds no connector files", corpusDir)
	}
	slices.SortFunc(files, func(a, b corpusFile) int { return strings.Compare(a.rel, b.rel) })
	return files
}

// TestCorpus normalizes every real connector file. Refusals and repairs
// are kept in goldens so a change in behaviour shows up in review.
func TestCorpus(t *testing.T) {
	files := corpusFiles(t)
	var refused, repaired strings.Builder
	var nOK, nRepaired int
	for _, f := range files {
		out, repairs, err := jsontext.Normalize(f.data, jsontext.Options{})
		if err != nil {
			var se *jsontext.SyntaxError
			if !errors.As(err, &se) {
				t.Errorf("%s: want *SyntaxError, got %T: %v", f.rel, err, err)
				continue
			}
			fmt.Fprintf(&refused, "%s: %v\n\thint: %s\n", f.rel, err, se.Hint)
			continue
		}
		nOK++
		if !json.Valid(out) {
			t.Errorf("%s: normalized output is not valid JSON", f.rel)
		}
		if len(repairs) > 0 {
			nRepaired++
			fmt.Fprintf(&repaired, "%s\n", f.rel)
			for _, r := range repairs {
				fmt.Fprintf(&repaired, "\t%s\n", r)
			}
		}
	}
	t.Logf("%d files: %d normalized (%d with repairs), %d refused", len(files), nOK, nRepaired, len(files)-nOK)
	checkGolden(t, "testdata/corpus-refused.golden", refused.String())
	checkGolden(t, "testdata/corpus-repairs.golden", repaired.String())
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatalf("update golden: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func BenchmarkNormalizeCorpus(b *testing.B) {
	files := corpusFiles(b)
	var total int64
	for _, f := range files {
		total += int64(len(f.data))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, f := range files {
			_, _, _ = jsontext.Normalize(f.data, jsontext.Options{})
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(files)), "ns/file")
}

func BenchmarkIndexCorpus(b *testing.B) {
	files := corpusFiles(b)
	var total int64
	for _, f := range files {
		total += int64(len(f.data))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, f := range files {
			jsontext.NewIndex(f.data).Position("/info/title")
		}
	}
}

// BenchmarkJSONValidCorpus is the yardstick: encoding/json's own
// validation scan over the same bytes.
func BenchmarkJSONValidCorpus(b *testing.B) {
	files := corpusFiles(b)
	var total int64
	for _, f := range files {
		total += int64(len(f.data))
	}
	b.SetBytes(total)
	b.ResetTimer()
	for b.Loop() {
		for _, f := range files {
			json.Valid(f.data)
		}
	}
}
