// Package corpus locates the shared connector corpus for the sweep tests of
// every package, so they all find it, list it and skip without it the same
// way. It imports the standard library only and is for tests.
package corpus

import (
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
)

// Root returns the corpus folder: $CONNECTORLAB_CORPUS, or
// ../shared/corpus/connectors beside the repository. Without it the test is
// skipped with a message saying where it was looked for.
func Root(tb testing.TB) string {
	tb.Helper()
	if d := os.Getenv("CONNECTORLAB_CORPUS"); d != "" {
		return d
	}
	_, here, _, _ := runtime.Caller(0) // internal/corpus/corpus.go in the repository
	d := filepath.Join(filepath.Dir(here), "..", "..", "..", "shared", "corpus", "connectors")
	if _, err := os.Stat(d); err != nil {
		tb.Skipf("corpus not found at %s (set CONNECTORLAB_CORPUS)", d)
	}
	return d
}

// Dirs returns the root and every connector folder below it
// (group/connector), sorted.
func Dirs(tb testing.TB) (string, []string) {
	tb.Helper()
	root := Root(tb)
	groups, err := os.ReadDir(root)
	if err != nil {
		tb.Fatal(err)
	}
	var dirs []string
	for _, g := range groups {
		if !g.IsDir() {
			continue
		}
		es, err := os.ReadDir(filepath.Join(root, g.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		for _, e := range es {
			if e.IsDir() {
				dirs = append(dirs, filepath.Join(g.Name(), e.Name()))
			}
		}
	}
	sort.Strings(dirs)
	return root, dirs
}
