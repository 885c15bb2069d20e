package specdiff_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/pairtruth"
	"github.com/connectorlab/connectorlab/contract/specdiff"
)

var update = flag.Bool("update", false, "rewrite golden files")

const pairsDir = "../../../shared/corpus/pairs"

func loadPair(t testing.TB, pair string) (*connector.Connector, *connector.Connector) {
	t.Helper()
	o, err := connector.Load(context.Background(), filepath.Join(pairsDir, pair, "old.swagger.json"))
	if err != nil {
		t.Fatal(err)
	}
	n, err := connector.Load(context.Background(), filepath.Join(pairsDir, pair, "new.swagger.json"))
	if err != nil {
		t.Fatal(err)
	}
	return o, n
}

func renderGolden(fs []contract.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%-7s %-36s %-28s %-40s %s\n", f.Level, f.ID, f.Operation, f.Field, f.Message)
	}
	return b.String()
}

// TestPairs runs the diff on every corpus version pair, compares with the
// golden findings and requires every change the README lists to be named.
func TestPairs(t *testing.T) {
	truth, err := pairtruth.Load("../testdata/pairs-truth.json")
	if err != nil {
		t.Fatal(err)
	}
	listed, found := 0, 0
	for _, pair := range truth.Pairs() {
		t.Run(pair, func(t *testing.T) {
			o, n := loadPair(t, pair)
			fs := specdiff.Run(o, n)
			got := renderGolden(fs)
			golden := filepath.Join("testdata", "pairs", pair+".golden")
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("findings differ from %s (go test -update to accept):\n%s", golden, got)
			}
			sc := pairtruth.Match(pair, truth[pair], fs, pairtruth.Diff)
			listed += sc.Listed
			found += sc.Found
			for _, m := range sc.Missed {
				t.Errorf("listed change not reported: %s", m)
			}
		})
	}
	t.Logf("diff recall on listed changes: %d/%d", found, listed)
}
