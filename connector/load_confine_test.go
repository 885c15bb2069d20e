package connector

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSymlinkedConnectorFileLeavingFolderRefused (issue 11 item 11): a
// connector folder whose apiProperties.json (or settings.json, script.csx,
// or the definition itself) is a link to a file outside the folder used to
// be followed, the outside file read and, when it did not parse, quoted in
// the error. Now the load is refused naming the link, and nothing of the
// outside file reaches the error, the findings or the connector. A link
// that stays inside the folder still loads.
func TestSymlinkedConnectorFileLeavingFolderRefused(t *testing.T) {
	t.Parallel()
	def, err := os.ReadFile("../examples/contoso-orders/apiDefinition.swagger.json")
	if err != nil {
		t.Fatal(err)
	}
	props, err := os.ReadFile("../examples/contoso-orders/apiProperties.json")
	if err != nil {
		t.Fatal(err)
	}
	outside := t.TempDir()
	secretJSON := writeFile(t, outside, "secret.json", `{"properties":{"CANARYOUTSIDE":"root:x:0:0","connectionParameters":{}}}`)
	secretText := writeFile(t, outside, "passwd", "CANARYOUTSIDE:x:0:0:root:/root:/bin/bash\n{{{ not json")
	secretDef := writeFile(t, outside, "def.swagger.json", strings.Replace(string(def), `"info": {`, `"info": {"x-canary": "CANARYOUTSIDE",`, 1))
	for _, tc := range []struct {
		name, link, target string
	}{
		{"apiProperties.json to JSON", "apiProperties.json", secretJSON},
		{"apiProperties.json to text", "apiProperties.json", secretText},
		{"settings.json", "settings.json", secretText},
		{"script.csx", "script.csx", secretText},
		{"definition", "apiDefinition.swagger.json", secretDef},
		{"relative climb", "apiProperties.json", "../" + filepath.Base(outside) + "/secret.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "conn")
			if tc.link != "apiDefinition.swagger.json" {
				writeFile(t, dir, "apiDefinition.swagger.json", string(def))
			}
			if tc.link != "apiProperties.json" {
				writeFile(t, dir, "apiProperties.json", string(props))
			}
			target := tc.target
			if strings.HasPrefix(target, "../") {
				// a relative link climbing out: place the folder next to outside
				dir = filepath.Join(filepath.Dir(outside), fmt.Sprintf("conn-%d", os.Getpid()))
				os.RemoveAll(dir)
				t.Cleanup(func() { os.RemoveAll(dir) })
				writeFile(t, dir, "apiDefinition.swagger.json", string(def))
			}
			if err := os.Symlink(target, filepath.Join(dir, tc.link)); err != nil {
				t.Skip(err)
			}
			c, err := Load(context.Background(), dir)
			if err == nil {
				for _, f := range c.Findings {
					if strings.Contains(f.Message, "CANARY") {
						t.Fatalf("a finding quotes the outside file: %v", f.Message)
					}
				}
				t.Fatalf("loaded a folder whose %s leaves it", tc.link)
			}
			msg := err.Error()
			if strings.Contains(msg, "CANARY") || strings.Contains(msg, "root:") {
				t.Fatalf("the error quotes the outside file: %v", msg)
			}
			if !strings.Contains(msg, tc.link) || !strings.Contains(msg, "leaves the connector folder") {
				t.Fatalf("the error does not name the link and say why: %v", msg)
			}
		})
	}
	// The control: a link inside the folder loads.
	dir := t.TempDir()
	writeFile(t, dir, "apiDefinition.swagger.json", string(def))
	writeFile(t, dir, "props/real.json", string(props))
	if err := os.Symlink("props/real.json", filepath.Join(dir, "apiProperties.json")); err != nil {
		t.Skip(err)
	}
	if _, err := Load(context.Background(), dir); err != nil {
		t.Fatalf("a link inside the folder was refused: %v", err)
	}
}
