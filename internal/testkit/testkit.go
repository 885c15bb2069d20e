// Package testkit holds the fixtures the front-door and workflow tests
// share: a writable copy of a connector to edit under --watch, the edit
// itself, and a GET with an API key. It imports the standard library
// only and is for tests.
package testkit

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Sample is the bundled sample connector, from a package directory.
const Sample = "../examples/contoso-orders"

// CopyConnector copies the definition and properties files of the
// connector folder src, and its script.csx when it has one, into a
// temporary folder and returns it.
func CopyConnector(tb testing.TB, src string) string {
	tb.Helper()
	dir := tb.TempDir()
	for _, name := range []string{"apiDefinition.swagger.json", "apiProperties.json", "script.csx"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if name == "script.csx" && os.IsNotExist(err) {
			continue
		}
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// Definition writes an inline Swagger 2.0 definition (JSON) as the
// apiDefinition.swagger.json of a temporary connector folder and returns
// the folder.
func Definition(tb testing.TB, swagger string) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "apiDefinition.swagger.json"), []byte(swagger), 0o600); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// AddWidgets edits the definition in dir: a new GET /widgets operation
// (ListWidgets) answering an array of strings.
func AddWidgets(tb testing.TB, dir string) {
	tb.Helper()
	def := filepath.Join(dir, "apiDefinition.swagger.json")
	orig, err := os.ReadFile(def)
	if err != nil {
		tb.Fatal(err)
	}
	edited := strings.Replace(string(orig), `"paths": {`, `"paths": {"/widgets": {"get": {"operationId": "ListWidgets", "responses": {"200": {"description": "ok", "schema": {"type": "array", "items": {"type": "string"}}}}}},`, 1)
	if err := os.WriteFile(def, []byte(edited), 0o600); err != nil {
		tb.Fatal(err)
	}
}

// BreakDefinition makes the definition in dir unreadable JSON.
func BreakDefinition(tb testing.TB, dir string) {
	tb.Helper()
	if err := os.WriteFile(filepath.Join(dir, "apiDefinition.swagger.json"), []byte(`{"swagger": "2.0", "paths": {`), 0o600); err != nil {
		tb.Fatal(err)
	}
}

// Get sends GET u with an API key header and returns the status and body.
func Get(tb testing.TB, u string) (int, string) {
	tb.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("X-API-Key", "k")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Pair is a folder of the corpus' old/new definition pairs; the test is
// skipped when the corpus is not beside the repository.
func Pair(tb testing.TB, name string) string {
	tb.Helper()
	dir := filepath.Join("..", "..", "shared", "corpus", "pairs", name)
	if _, err := os.Stat(dir); err != nil {
		tb.Skip("corpus pairs not beside the repo")
	}
	return dir
}

// WaitFor polls ok for up to 15 seconds and fails the test naming what
// it waited for.
func WaitFor(tb testing.TB, ok func() bool, what string) {
	tb.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if ok() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.Fatalf("timed out waiting for %s", what)
}
