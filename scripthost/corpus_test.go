package scripthost

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

// corpusDir is the dev corpus of public connectors.
const corpusDir = "../../shared/corpus/connectors"

// corpusMinCompiled is how many of the corpus scripts compiled when the
// host was measured (see docs/CUSTOM-CODE.md); fewer is a regression.
const corpusMinCompiled = 55

func engineOrSkip(t testing.TB) Engine {
	t.Helper()
	e, err := FindEngine()
	if err != nil {
		t.Skipf("custom-code host unavailable (%v)", err)
	}
	return e
}

func corpusScripts(t testing.TB) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(corpusDir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.EqualFold(d.Name(), "script.csx") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Skipf("corpus not found at %s: %v", corpusDir, err)
	}
	sort.Strings(out)
	return out
}

// TestCorpusCompileRate compiles every script.csx of the dev corpus and
// fails when fewer compile than were measured.
func TestCorpusCompileRate(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus sweep: skipped with -short")
	}
	e := engineOrSkip(t)
	scripts := corpusScripts(t)
	if len(scripts) == 0 {
		t.Skip("no scripts in the corpus")
	}
	// The product's own cache (keyed by sha256(script + shim)): the first
	// run compiles all 59 (about a minute on 2 idle cores), later runs
	// only what changed.
	dir := DefaultCacheDir()
	type res struct {
		path string
		err  error
	}
	results := make([]res, len(scripts))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(2, runtime.NumCPU()))
	for i, p := range scripts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			src, err := ReadSource(p)
			if err == nil {
				_, err = Compile(context.Background(), e, dir, src)
			}
			results[i] = res{p, err}
		}()
	}
	wg.Wait()
	ok := 0
	kinds := map[string]int{}
	var report strings.Builder
	for _, r := range results {
		name := strings.TrimPrefix(r.path, corpusDir+"/")
		if r.err == nil {
			ok++
			continue
		}
		kind := "other"
		if ce, is := IsCompileError(r.err); is {
			kind = ce.Kind
		}
		kinds[kind]++
		first := strings.SplitN(r.err.Error(), "\n", 2)[0]
		first = strings.TrimPrefix(first, r.path)
		fmt.Fprintf(&report, "  %-8s %s%s\n", kind, name, first)
	}
	t.Logf("compiled %d of %d corpus scripts (%.0f%%); failures by kind %v:\n%s", ok, len(scripts), 100*float64(ok)/float64(len(scripts)), kinds, report.String())
	if ok < corpusMinCompiled {
		t.Errorf("only %d of %d corpus scripts compile, %d did when measured", ok, len(scripts), corpusMinCompiled)
	}
}
