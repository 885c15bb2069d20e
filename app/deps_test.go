package app

import (
	"os/exec"
	"strings"
	"testing"
)

// TestOnlyAppImportsWails keeps Wails out of every other package.
func TestOnlyAppImportsWails(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}:{{join .Imports " "}}`, "github.com/connectorlab/connectorlab/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ":")
		if pkg == "github.com/connectorlab/connectorlab/app" {
			continue
		}
		if strings.Contains(imports, "github.com/wailsapp/") {
			t.Errorf("%s imports Wails; only app may", pkg)
		}
	}
}
