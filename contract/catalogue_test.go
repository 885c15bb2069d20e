package contract_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/grading"
)

var printCatalogue = flag.Bool("print-catalogue", false, "print the finding ID table for docs/CONTRACT.md")

// kindLint is the catalogue kind of the definition findings of Load and
// Lint (`connectorlab validate`).
const kindLint contract.Kind = "lint"

// catalogue is every finding ID users can meet: the grading table of the
// contract tools, the conversion-loss findings of connector creation and
// the definition findings of loading and linting.
func catalogue() contract.Catalogue {
	all := append(grading.Table(), authoring.Rules()...)
	for _, r := range connector.Rules() {
		all = append(all, contract.Rule{ID: r.ID, Level: r.Level, Kind: kindLint, Summary: r.Summary})
	}
	return all.Sorted()
}

// TestCatalogueDocumented: every finding ID is unique and listed in the
// user guide, so users can look up what a CI failure means.
func TestCatalogueDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/CONTRACT.md")
	if err != nil {
		t.Fatal(err)
	}
	create, err := os.ReadFile("../docs/CREATE.md") // connector creation (authoring.Rules)
	if err != nil {
		t.Fatal(err)
	}
	doc = append(doc, create...)
	seen := map[string]bool{}
	for _, r := range catalogue() {
		if *printCatalogue {
			fmt.Printf("| `%s` | %s | %s |\n", r.ID, r.Level, r.Summary)
		}
		if seen[r.ID] {
			t.Errorf("duplicate finding ID %s", r.ID)
		}
		seen[r.ID] = true
		if !strings.Contains(string(doc), "`"+r.ID+"`") {
			t.Errorf("docs/CONTRACT.md (or docs/CREATE.md for create-*, infer-*, pack-*) does not document %s", r.ID)
		}
	}
}
