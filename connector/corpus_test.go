package connector

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/connectorlab/connectorlab/connector/jsontext"
	"github.com/connectorlab/connectorlab/internal/corpus"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func corpusRoot(t testing.TB) string { return corpus.Root(t) }

func corpusDirs(t testing.TB) (string, []string) { return corpus.Dirs(t) }

type sweepResult struct {
	dir      string
	c        *Connector
	err      error
	panicked any
}

// corpusLoads caches one parallel load of the corpus for the sweeps that
// need it (loading twice doubled the package's test time).
var corpusLoads struct {
	once sync.Once
	key  string
	res  []sweepResult
}

func loadAll(t *testing.T, root string, dirs []string) []sweepResult {
	key := root + "\x00" + strings.Join(dirs, "\x00")
	corpusLoads.once.Do(func() {
		corpusLoads.key = key
		corpusLoads.res = loadAllUncached(root, dirs)
	})
	if corpusLoads.key == key {
		return corpusLoads.res
	}
	return loadAllUncached(root, dirs)
}

func loadAllUncached(root string, dirs []string) []sweepResult {
	res := make([]sweepResult, len(dirs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, d := range dirs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			defer func() {
				if r := recover(); r != nil {
					res[i].panicked = r
				}
			}()
			res[i].dir = d
			res[i].c, res[i].err = Load(context.Background(), filepath.Join(root, d))
		}()
	}
	wg.Wait()
	return res
}

// TestCorpusSweep loads every corpus connector: yield must be at least 99%,
// zero panics, and the refused few match testdata/corpus-refused.golden.
func TestCorpusSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus sweep skipped in -short mode")
	}
	root, dirs := corpusDirs(t)
	res := loadAll(t, root, dirs)
	var refused []string
	clean, repaired := 0, 0
	repairIDs := map[string]int{}
	for _, r := range res {
		if r.panicked != nil {
			t.Errorf("%s: panic: %v", r.dir, r.panicked)
			continue
		}
		if r.err != nil {
			msg := strings.ReplaceAll(r.err.Error(), root+string(filepath.Separator), "")
			refused = append(refused, r.dir+": "+msg)
			continue
		}
		if len(r.c.Findings) == 0 {
			clean++
		} else {
			repaired++
			ids := map[string]bool{}
			for _, f := range r.c.Findings {
				ids[f.ID] = true
			}
			for id := range ids {
				repairIDs[id]++
			}
		}
	}
	loaded := clean + repaired
	t.Logf("corpus: %d connectors, %d loaded clean, %d loaded with repairs, %d refused (yield %.2f%%)",
		len(dirs), clean, repaired, len(refused), 100*float64(loaded)/float64(len(dirs)))
	for _, id := range sortedKeys(repairIDs) {
		t.Logf("  repair %-36s in %d connectors", id, repairIDs[id])
	}
	if float64(loaded) < 0.99*float64(len(dirs)) {
		t.Errorf("yield %d/%d is below 99%%", loaded, len(dirs))
	}
	golden(t, "testdata/corpus-refused.golden", strings.Join(refused, "\n")+"\n")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the result (run go test -run %s -update and review the diff):\n%s", path, t.Name(), diffLines(string(want), got))
	}
}

func diffLines(a, b string) string {
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
	if len(out) > 40 {
		out = append(out[:40], fmt.Sprintf("… %d more", len(out)-40))
	}
	return strings.Join(out, "\n")
}

// rawExtensionCounts counts x-ms-* keys in the file as written, by an
// independent walk over strict JSON (example/default/enum values excluded).
// It also records where operation-level keys sit.
type rawCounts struct {
	all    map[string]int
	onOp   map[string]int // keys directly on an operation object
	atRoot map[string]int
	onInfo map[string]int
	onItem map[string]int // keys directly on a path item
}

func countRaw(t *testing.T, path string) rawCounts {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := jsontext.Normalize(data, jsontext.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	rc := rawCounts{all: map[string]int{}, onOp: map[string]int{}, atRoot: map[string]int{}, onInfo: map[string]int{}, onItem: map[string]int{}}
	var walk func(v any, path []string)
	walk = func(v any, path []string) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if strings.HasPrefix(strings.ToLower(k), "x-ms-") {
					rc.all[k]++
					switch {
					case len(path) == 0:
						rc.atRoot[k]++
					case len(path) == 1 && path[0] == "info":
						rc.onInfo[k]++
					case len(path) == 2 && path[0] == "paths":
						rc.onItem[k]++
					case len(path) == 3 && path[0] == "paths" && isMethod(path[2]):
						if sv, ok := e.(string); ok && sv == "" {
							rc.onOp[k+"(empty)"]++
						} else {
							rc.onOp[k]++
						}
					}
				}
				switch k {
				case "example", "examples", "default", "enum", "x-example":
					continue
				}
				walk(e, append(path, k))
			}
		case []any:
			for i, e := range x {
				walk(e, append(path, fmt.Sprint(i)))
			}
		}
	}
	walk(v, nil)
	return rc
}

// modelCounts counts what the typed model exposes, per extension.
func modelCounts(c *Connector) map[string]int {
	m := map[string]int{}
	for _, o := range c.Operations {
		if o.Trigger != nil {
			m["x-ms-trigger"]++
			if o.Trigger.Hint != "" {
				m["x-ms-trigger-hint"]++
			}
			if o.Trigger.Metadata != nil {
				m["x-ms-trigger-metadata"]++
			}
		}
		if o.Pageable != nil {
			m["x-ms-pageable"]++
		}
		if o.Annotation != nil {
			m["x-ms-api-annotation"]++
		}
		if o.Visibility != "" {
			m["x-ms-visibility(op)"]++
		}
	}
	if c.Annotation != nil {
		m["x-ms-api-annotation"]++
	}
	if c.Capabilities != nil {
		m["x-ms-capabilities(root)"]++
	}
	if len(c.Metadata) > 0 {
		m["x-ms-connector-metadata"]++
	}
	for _, o := range c.Operations {
		if _, ok := o.Extra["x-ms-trigger-hint"]; ok {
			m["x-ms-trigger-hint"]++
		}
	}
	m["x-ms-notification-content"] = len(c.Notifications)
	for _, d := range c.Dynamic {
		m["x-ms-dynamic-"+string(d.Kind)]++
	}
	return m
}

func rawTyped(rc rawCounts, c *Connector) map[string]int {
	m := map[string]int{}
	for _, k := range []string{"x-ms-trigger", "x-ms-trigger-hint", "x-ms-trigger-metadata", "x-ms-pageable"} {
		if n := rc.onOp[k]; n > 0 {
			m[k] = n
		}
	}
	if n := rc.onOp["x-ms-api-annotation"] + rc.onInfo["x-ms-api-annotation"]; n > 0 {
		m["x-ms-api-annotation"] = n
	}
	if n := rc.onOp["x-ms-visibility"]; n > 0 {
		m["x-ms-visibility(op)"] = n
	}
	if n := rc.atRoot["x-ms-capabilities"]; n > 0 {
		m["x-ms-capabilities(root)"] = n
	}
	if n := rc.atRoot["x-ms-connector-metadata"]; n > 0 {
		m["x-ms-connector-metadata"] = n
	}
	if n := rc.onItem["x-ms-notification-content"]; n > 0 {
		m["x-ms-notification-content"] = n
	}
	for _, k := range []string{"values", "list", "schema", "properties", "tree"} {
		if n := rc.all["x-ms-dynamic-"+k]; n > 0 {
			m["x-ms-dynamic-"+k] = n
		}
	}
	return m
}

// TestCorpusExtensionsReachModel checks, for every loadable corpus
// connector, that the typed model exposes as many x-ms-* uses as the file
// holds, that the extension index misses none, and that kin-openapi's
// OpenAPI 3 document keeps every key.
func TestCorpusExtensionsReachModel(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus sweep skipped in -short mode")
	}
	root, dirs := corpusDirs(t)
	res := loadAll(t, root, dirs)
	var mismatches []string
	for _, r := range res {
		if r.err != nil || r.c == nil {
			continue
		}
		rc := countRaw(t, r.c.Files.Definition)
		want, got := rawTyped(rc, r.c), modelCounts(r.c)
		for _, k := range sortedKeys(want) {
			if want[k] != got[k] {
				mismatches = append(mismatches, fmt.Sprintf("%s: %s file=%d model=%d", r.dir, k, want[k], got[k]))
			}
		}
		idx := map[string]int{}
		for _, e := range r.c.Extensions {
			idx[e.Key]++
		}
		for _, k := range sortedKeys(rc.all) {
			if rc.all[k] != idx[k] {
				mismatches = append(mismatches, fmt.Sprintf("%s: %s file=%d index=%d", r.dir, k, rc.all[k], idx[k]))
			}
		}
		if r.c.Format == FormatSwagger2 {
			b, err := json.Marshal(r.c.Doc)
			if err != nil {
				t.Errorf("%s: marshal v3: %v", r.dir, err)
				continue
			}
			for _, k := range sortedKeys(rc.all) {
				if n := strings.Count(string(b), `"`+k+`":`); n < rc.all[k] {
					mismatches = append(mismatches, fmt.Sprintf("%s: %s file=%d openapi3=%d", r.dir, k, rc.all[k], n))
				}
			}
		}
	}
	golden(t, "testdata/corpus-extension-mismatches.golden", strings.Join(mismatches, "\n")+"\n")
}

// extensionSample is a fixed sample of connectors covering every typed
// extension: triggers of both kinds, all dynamic kinds, paging, metadata.
var extensionSample = []string{
	"certified-connectors/COSMO Bot",
	"certified-connectors/SurveyMonkey",
	"certified-connectors/App Power Forms",
	"certified-connectors/LawVu",
	"certified-connectors/envoy",
	"certified-connectors/Cognito Forms",
	"independent-publisher-connectors/HubSpot CRM V2",
	"certified-connectors/Asite (UAE)",
	"certified-connectors/AzureAD",
}

// TestExtensionsGolden writes, for a sample of corpus connectors, the count
// of every x-ms-* key in the file next to the count the model exposes; a
// golden diff shows any extension that stops reaching the model.
func TestExtensionsGolden(t *testing.T) {
	root := corpusRoot(t)
	var b strings.Builder
	for _, d := range extensionSample {
		c, err := Load(context.Background(), filepath.Join(root, d))
		if err != nil {
			fmt.Fprintf(&b, "%s: refused: %v\n", d, err)
			continue
		}
		rc := countRaw(t, c.Files.Definition)
		want, got := rawTyped(rc, c), modelCounts(c)
		idx := map[string]int{}
		for _, e := range c.Extensions {
			idx[e.Key]++
		}
		fmt.Fprintf(&b, "%s\n", d)
		for _, k := range sortedKeys(rc.all) {
			fmt.Fprintf(&b, "  %-32s file=%-5d index=%d\n", k, rc.all[k], idx[k])
			if rc.all[k] != idx[k] {
				t.Errorf("%s: %s: file has %d, index has %d", d, k, rc.all[k], idx[k])
			}
		}
		for _, k := range sortedKeys(want) {
			fmt.Fprintf(&b, "  typed %-26s file=%-5d model=%d\n", k, want[k], got[k])
			if want[k] != got[k] {
				t.Errorf("%s: typed %s: file has %d, model has %d", d, k, want[k], got[k])
			}
		}
	}
	golden(t, "testdata/extensions-sample.golden", b.String())
}
