package connector

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to Load as a definition file. Load must
// never panic, and every refusal must be a *LoadError that names the file.
// Seeds: the smallest corpus definitions plus minimal documents of each
// format. Run: go test -run='^$' -fuzz=FuzzLoad -fuzztime=60s ./connector
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		minimalSwagger,
		`{"openapi":"3.0.0","info":{"title":"x","version":"1"},"paths":{}}`,
		"openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n",
		`{"info":{"name":"c","schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},"item":[{"name":"r","request":{"method":"GET","url":"https://x/{{id}}"}}]}`,
	} {
		f.Add([]byte(s))
	}
	if root, err := findCorpus(); err == nil {
		for _, p := range smallestDefinitions(root, 40) {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "apiDefinition.swagger.json")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := (&Loader{MaxBytes: 4 << 20}).Load(context.Background(), p)
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) || le.File == "" {
				t.Fatalf("refusal is %T without a file: %v", err, err)
			}
			return
		}
		if c.Doc == nil {
			t.Fatal("loaded without a document")
		}
		_ = Lint(context.Background(), c)
	})
}

func findCorpus() (string, error) {
	root := filepath.Join("..", "..", "shared", "corpus", "connectors")
	_, err := os.Stat(root)
	return root, err
}

// smallestDefinitions returns the n smallest *.swagger.json files of the
// corpus: small seeds keep the fuzzer fast while covering real shapes.
func smallestDefinitions(root string, n int) []string {
	files, _ := filepath.Glob(filepath.Join(root, "*", "*", "*.swagger.json"))
	type sized struct {
		p string
		n int64
	}
	var all []sized
	for _, p := range files {
		if st, err := os.Stat(p); err == nil {
			all = append(all, sized{p, st.Size()})
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].n < all[j].n || all[i].n == all[j].n && all[i].p < all[j].p })
	var out []string
	for i := 0; i < len(all) && len(out) < n; i += max(1, len(all)/n/2) {
		out = append(out, all[i].p)
	}
	return out
}
