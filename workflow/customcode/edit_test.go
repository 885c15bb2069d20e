package customcode

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/workflow"
)

func TestWriteScriptIsAtomicAndRefusesOverOneMB(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "script.csx")
	if err := os.WriteFile(file, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := WriteScript(file, strings.Repeat("x", MaxSource+1)); workflow.KindOf(err) != workflow.KindUsage || !strings.Contains(err.Error(), "1 MB") {
		t.Fatalf("over 1 MB: %v", err)
	}
	if b, _ := os.ReadFile(file); string(b) != "old" {
		t.Fatal("a refused write changed the file")
	}
	if err := WriteScript(file, "new"); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(file)
	if b, _ := os.ReadFile(file); string(b) != "new" || st.Mode().Perm() != 0o640 {
		t.Fatalf("after write: %q %v", b, st.Mode())
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".script-*")); len(left) != 0 {
		t.Fatalf("temp files left: %v", left)
	}
	if err := WriteScript(filepath.Join(dir, "missing.csx"), "x"); err == nil {
		t.Fatal("wrote a script that does not exist")
	}
}
