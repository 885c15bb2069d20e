package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// copySample copies the sample connector into a temp folder, where a
// sidecar can be written.
func copySample(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(sampleDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range entries {
		if en.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(sampleDir, en.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, en.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestMockOverridesSidecarAppliesLive(t *testing.T) {
	dir := copySample(t)
	side := filepath.Join(dir, ".connectorlab", "overrides.json")
	if err := os.MkdirAll(filepath.Dir(side), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(side, []byte(`{"version":1,"operations":{"GetOrder":{"disabled":true}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	urls, out, _, stop := startMock(t, "--overrides", dir)
	defer stop()
	if !strings.Contains(out.String(), "Overrides: 1 operations of Contoso Orders") {
		t.Errorf("banner: %s", out)
	}
	if code, body := get(t, urls[0]+sampleOrder); code != 501 || !strings.Contains(body, "switched off") {
		t.Fatalf("disabled GetOrder: %d %s", code, body)
	}
	if err := os.WriteFile(side, []byte(`{"version":1,"operations":{"GetOrder":{"response":{"status":404}}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, _ := get(t, urls[0]+sampleOrder)
		if code == 404 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the edited overrides were not applied live (still %d)", code)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestMockOverridesAnswersTheAppsSequenceInTurn serves the sequence the
// desktop panel saves (app/overrides_test.go checks that the app writes
// exactly this golden file) and expects A, B, A over real HTTP.
func TestMockOverridesAnswersTheAppsSequenceInTurn(t *testing.T) {
	dir := copySample(t)
	b, err := os.ReadFile(filepath.Join("..", "app", "testdata", "sequence-overrides.json"))
	if err != nil {
		t.Fatal(err)
	}
	side := filepath.Join(dir, ".connectorlab", "overrides.json")
	if err := os.MkdirAll(filepath.Dir(side), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(side, b, 0o644); err != nil {
		t.Fatal(err)
	}
	urls, _, _, stop := startMock(t, "--overrides", dir)
	defer stop()
	var seen []string
	for range 3 {
		code, body := get(t, urls[0]+sampleOrder)
		seen = append(seen, fmt.Sprintf("%d %s", code, strings.Join(strings.Fields(body), "")))
	}
	if want := `200 {"id":"A"}|202 {"id":"B"}|200 {"id":"A"}`; strings.Join(seen, "|") != want {
		t.Fatalf("answers %q, want %q", seen, want)
	}
}

func TestMockOverridesBadFileExits2WithTheField(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "o.json")
	if err := os.WriteFile(bad, []byte(`{"operations":{"GetOrdr":{}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb lockedBuffer
	code := Run(context.Background(), []string{"mock", "--port", "0", "--admin-port", "-1", "--overrides=" + bad, sampleDir}, &out, &errb)
	if code != ExitUsage || !strings.Contains(errb.String(), "operations.GetOrdr") || !strings.Contains(errb.String(), "fix:") {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
}
