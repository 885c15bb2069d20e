package authoring_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/specdiff"
	"github.com/connectorlab/connectorlab/internal/corpus"
)

var (
	update = flag.Bool("update", false, "rewrite testdata/*.golden")
	all    = flag.Bool("roundtrip-all", os.Getenv("CONNECTORLAB_ROUNDTRIP_ALL") != "", "round-trip every corpus connector (default: every 3rd; -short every 15th)")
)

// roundTrip exports dir to OpenAPI 3, builds a connector folder from the
// export the way `connectorlab new --from` does, and returns the breaking
// changes diff reports between the original and the rebuilt connector,
// the lint errors of the rebuilt one, and the conversion findings.
func roundTrip(t testing.TB, ctx context.Context, orig *connector.Connector, tmp string) (breaking []contract.Finding, lintErrs []connector.Finding, losses []connector.Finding, err error) {
	b, err := authoring.ExportOpenAPI3(orig)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("export: %w", err)
	}
	oa3 := filepath.Join(tmp, "openapi3.json")
	if err := os.WriteFile(oa3, b, 0o644); err != nil {
		return nil, nil, nil, err
	}
	exp, err := connector.Load(ctx, oa3)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("load export: %w", err)
	}
	if exp.Format != connector.FormatOpenAPI3 {
		return nil, nil, nil, fmt.Errorf("export loads as %s", exp.Format)
	}
	src, err := authoring.FromConnector(exp)
	if err != nil {
		return nil, nil, nil, err
	}
	f, err := authoring.Build(src, authoring.Options{})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("build: %w", err)
	}
	out := filepath.Join(tmp, "out")
	if err := f.Write(out, true); err != nil {
		return nil, nil, nil, err
	}
	back, err := connector.Load(ctx, out)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("load rebuilt: %w", err)
	}
	for _, fd := range specdiff.Run(orig, back) {
		if fd.Level >= contract.LevelError {
			breaking = append(breaking, fd)
		}
	}
	for _, fd := range connector.Lint(ctx, back) {
		if fd.Level >= connector.LevelError {
			lintErrs = append(lintErrs, fd)
		}
	}
	for _, fd := range f.Findings {
		if strings.HasPrefix(fd.ID, "create-") {
			losses = append(losses, fd)
		}
	}
	return breaking, lintErrs, losses, nil
}

// TestRoundTripCorpus: every corpus connector → OpenAPI 3 → connector
// folder again; diff must report no breaking change and validate no
// error that the original did not have. Failures are kept in
// testdata/roundtrip-failures.golden (one line per connector) so progress
// shows in git diff. -short tries every 15th connector.
func TestRoundTripCorpus(t *testing.T) {
	root, dirs := corpus.Dirs(t)
	ctx := context.Background()
	base := t.TempDir()
	step := 3
	switch {
	case *all || *update:
		step = 1
	case testing.Short():
		step = 15
	}
	type result struct {
		dir          string
		breaking     []contract.Finding
		lintErrs, ls []connector.Finding
		origLint     map[string]bool
		err          error
	}
	var picked []string
	for i := 0; i < len(dirs); i += step {
		picked = append(picked, dirs[i])
	}
	results := make([]result, len(picked))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				d := filepath.Join(root, picked[i])
				tmp, err := os.MkdirTemp(base, "rt")
				if err != nil {
					results[i] = result{dir: picked[i], err: err}
					continue
				}
				r := result{dir: picked[i], origLint: map[string]bool{}}
				c, err := connector.Load(ctx, d)
				if err != nil {
					r.err = fmt.Errorf("load original: %w", err)
				} else {
					for _, f := range connector.Lint(ctx, c) {
						if f.Level >= connector.LevelError {
							r.origLint[f.ID] = true
						}
					}
					r.breaking, r.lintErrs, r.ls, r.err = roundTrip(t, ctx, c, tmp)
				}
				results[i] = r
				os.RemoveAll(tmp)
			}
		}()
	}
	for i := range picked {
		next <- i
	}
	close(next)
	wg.Wait()
	var failures []string
	losses := map[string]int{}
	tried, passed, validated, refused, clean := 0, 0, 0, 0, 0
	for _, r := range results {
		d := r.dir
		tried++
		breaking, lintErrs, ls, err := r.breaking, r.lintErrs, r.ls, r.err
		if err != nil {
			if strings.HasPrefix(err.Error(), "load original") {
				refused++ // the corpus file itself does not load
				tried--
				continue
			}
			failures = append(failures, fmt.Sprintf("%s: %v", d, err))
			continue
		}
		for _, l := range ls {
			losses[l.ID]++
		}
		if len(lintErrs) == 0 {
			clean++
		}
		origLint := r.origLint
		var newErrs []string
		for _, f := range lintErrs {
			if !origLint[f.ID] {
				newErrs = append(newErrs, f.ID+": "+f.Message)
			}
		}
		if len(newErrs) == 0 {
			validated++
		}
		if len(breaking) == 0 && len(newErrs) == 0 {
			passed++
			continue
		}
		var why []string
		for _, b := range breaking {
			why = append(why, strings.TrimSpace(b.ID+" "+b.Operation+" "+b.Field))
		}
		why = append(why, newErrs...)
		if len(why) > 3 {
			why = append(why[:3], fmt.Sprintf("… %d more", len(why)-3))
		}
		failures = append(failures, fmt.Sprintf("%s: %s", d, strings.Join(why, "; ")))
	}
	ids := make([]string, 0, len(losses))
	for id := range losses {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var lossLine []string
	for _, id := range ids {
		lossLine = append(lossLine, fmt.Sprintf("%s=%d", id, losses[id]))
	}
	t.Logf("round trip: %d/%d passed (%.1f%%), %d with no new validate error, %d with 0 validate errors; %d corpus files refused by the loader; losses: %s",
		passed, tried, 100*float64(passed)/float64(max(tried, 1)), validated, clean, refused, strings.Join(lossLine, " "))
	for _, f := range failures {
		t.Log(f)
	}
	golden := filepath.Join("testdata", "roundtrip-failures.golden")
	got := strings.Join(failures, "\n") + "\n"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	known := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(want)), "\n") {
		if d, _, ok := strings.Cut(line, ": "); ok {
			known[d] = line
		}
	}
	for _, f := range failures {
		d, _, _ := strings.Cut(f, ": ")
		if _, ok := known[d]; !ok {
			t.Errorf("new round-trip failure (not in %s): %s", golden, f)
		}
	}
	if step == 1 && len(failures) < len(known) {
		t.Logf("%d known failures now pass: run with -update to shrink %s", len(known)-len(failures), golden)
	}
}

// TestExportRestoresMovedKeywords: the loader moves a pattern it cannot
// enforce (HrFlow: a pattern none of an enum's values match; Verified
// likewise) to x-unsatisfiable-pattern; the export is the author's
// definition, so it carries the pattern again, and loading the export moves
// it aside again.
func TestExportRestoresMovedKeywords(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"HrFlow", "Verified"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(corpus.Root(t), "certified-connectors", name)
			c, err := connector.Load(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			b, err := authoring.ExportOpenAPI3(c)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(filepath.Join(dir, "apiDefinition.swagger.json"))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), "x-unsatisfiable-") || strings.Contains(string(b), "x-unenforced-pattern") {
				t.Errorf("export keeps a moved keyword's extension")
			}
			for _, p := range []string{`"^[a-z]{2}_[A-Z]{2}$"`, `"^[a-f0-9]{40}$"`} {
				if strings.Contains(string(raw), p) && !strings.Contains(string(b), p) {
					t.Errorf("export lost the pattern %s", p)
				}
			}
			oa3 := filepath.Join(t.TempDir(), "openapi3.json")
			if err := os.WriteFile(oa3, b, 0o644); err != nil {
				t.Fatal(err)
			}
			again, err := connector.Load(context.Background(), oa3)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, f := range again.Findings {
				found = found || f.ID == connector.PatternUnsatisfiable
			}
			if !found {
				t.Errorf("loading the export reports no %s", connector.PatternUnsatisfiable)
			}
		})
	}
}
