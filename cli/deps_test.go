package cli

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCLIDoesNotDependOnWails keeps the headless binary free of the GUI
// toolkit: CI machines and servers have no WebKit.
func TestCLIDoesNotDependOnWails(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/connectorlab/connectorlab/cmd/connectorlab").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list returned too little to judge: %q", deps)
	}
	for _, d := range deps {
		if strings.Contains(d, "wailsapp") {
			t.Errorf("cmd/connectorlab depends on %s", d)
		}
	}
	found := false
	for _, d := range deps {
		if d == "github.com/connectorlab/connectorlab/connector" {
			found = true
		}
	}
	if !found {
		t.Error("dependency list lacks the connector package; the check is not looking at the real binary")
	}
}
