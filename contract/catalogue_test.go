package contract_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/conform"
	"github.com/connectorlab/connectorlab/contract/drift"
	"github.com/connectorlab/connectorlab/contract/specdiff"
)

var printCatalogue = flag.Bool("print-catalogue", false, "print the finding ID table for docs/CONTRACT.md")

func catalogue() contract.Catalogue {
	var all contract.Catalogue
	for _, c := range []contract.Catalogue{specdiff.Rules(), conform.Rules(), drift.Rules(), drift.TrafficRules(), authoring.Rules()} {
		all = append(all, c...)
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
