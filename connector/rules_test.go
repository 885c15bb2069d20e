package connector

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestRulesCoverEveryID reads the package's source (and jsontext's and
// postman's) for the finding IDs it emits and holds Rules to them: every
// emitted ID is listed with the level it is emitted at, and every listed
// ID is emitted somewhere, so the catalogue (docs/CONTRACT.md) neither
// misses nor invents one.
func TestRulesCoverEveryID(t *testing.T) {
	emit := []*regexp.Regexp{
		regexp.MustCompile(`"([a-z][a-z0-9]*(?:-[a-z0-9]+)+)",\s*(Level[A-Z][a-z]+)`),     // add("id", LevelX, ...)
		regexp.MustCompile(`ID:\s*"([a-z][a-z0-9-]+)",\s*Level:\s*(Level[A-Z][a-z]+)`),    // Finding{ID: "id", Level: LevelX
		regexp.MustCompile(`\bc\.warn\("([a-z][a-z0-9-]+)"()`),                            // postman warnings (loaded as warnings)
		regexp.MustCompile(`Repair[A-Za-z0-9]+\s*=\s*"([a-z][a-z0-9-]+)"()`),              // jsontext repairs (loaded as warnings)
		regexp.MustCompile(`(?:Pattern|Format)Unsatisfiable\s*=\s*"([a-z][a-z0-9-]+)"()`), // constants of this package
	}
	levels := map[string]Level{"LevelError": LevelError, "LevelWarning": LevelWarning, "LevelInfo": LevelInfo, "": LevelWarning}
	var files []string
	for _, g := range []string{"*.go", "jsontext/*.go", "postman/*.go"} {
		fs, err := filepath.Glob(g)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	emitted := map[string]Level{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "rules.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range emit {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				emitted[m[1]] = levels[m[2]]
			}
		}
	}
	if len(emitted) < 40 {
		t.Fatalf("found only %d emitted IDs: the source patterns drifted", len(emitted))
	}
	listed := map[string]Level{}
	var ids []string
	for _, r := range Rules() {
		if _, dup := listed[r.ID]; dup {
			t.Errorf("%s is listed twice", r.ID)
		}
		listed[r.ID] = r.Level
		ids = append(ids, r.ID)
		if r.Summary == "" {
			t.Errorf("%s has no summary", r.ID)
		}
	}
	for id, l := range emitted {
		got, ok := listed[id]
		switch {
		case !ok:
			t.Errorf("%s is emitted but not in Rules (connector/rules.go) nor docs/CONTRACT.md", id)
		case got != l:
			t.Errorf("%s is emitted at %s, listed at %s", id, l, got)
		}
	}
	for _, id := range ids {
		if _, ok := emitted[id]; !ok {
			t.Errorf("%s is listed in Rules but nothing emits it", id)
		}
	}
}
