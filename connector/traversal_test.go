package connector

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRefsNeverLeaveTheFolder (plan X4): the Mockoon/Hoverfly traversal
// payloads as $refs of a split OpenAPI document. The file outside the
// connector folder holds a canary property; no way of naming it — a
// symlink inside the folder, a sibling folder sharing the name's prefix,
// percent-encoded dots, backslashes, an absolute or file: path — may get
// the canary into the loaded definition.
func TestRefsNeverLeaveTheFolder(t *testing.T) {
	base := t.TempDir()
	conn := filepath.Join(base, "conn")
	evil := filepath.Join(base, "conn-evil")
	os.MkdirAll(conn, 0o755)
	os.MkdirAll(evil, 0o755)
	secret := "Pet: {type: object, properties: {CANARYOUTSIDE: {type: string}}}\n"
	writeFile(t, base, "secret.yaml", secret)
	writeFile(t, evil, "secret.yaml", secret)
	if err := os.Symlink(filepath.Join(base, "secret.yaml"), filepath.Join(conn, "link.yaml")); err != nil {
		t.Skip(err)
	}
	os.Symlink(base, filepath.Join(conn, "up"))
	// The control: a ref inside the folder is followed, so a canary that
	// came through would be seen.
	writeFile(t, conn, "inside.yaml", strings.ReplaceAll(secret, "OUTSIDE", "INSIDE"))
	inside := "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'inside.yaml#/Pet'}\n"
	c, err := Load(context.Background(), writeFile(t, conn, "openapi.yaml", inside))
	if err != nil {
		t.Fatal(err)
	}
	if !hasProperty(c, "CANARYINSIDE") {
		t.Fatal("a ref inside the folder was not followed: the test could not see a leak")
	}
	for _, ref := range []string{
		"link.yaml#/Pet",
		"up/secret.yaml#/Pet",
		"../conn-evil/secret.yaml#/Pet",
		"./../secret.yaml#/Pet",
		"%2e%2e/secret.yaml#/Pet",
		"%2e%2e%2fsecret.yaml#/Pet",
		`..\secret.yaml#/Pet`,
		"sub/../../secret.yaml#/Pet",
		filepath.ToSlash(filepath.Join(base, "secret.yaml")) + "#/Pet",
		"file://" + filepath.ToSlash(filepath.Join(base, "secret.yaml")) + "#/Pet",
		"file:../secret.yaml#/Pet",
	} {
		t.Run(ref, func(t *testing.T) {
			body := fmt.Sprintf("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '%s'}\n", ref)
			p := writeFile(t, conn, "openapi.yaml", body)
			c, err := Load(context.Background(), p)
			if err != nil {
				if strings.Contains(err.Error(), "CANARY") {
					t.Fatalf("the error quotes the outside file: %v", err)
				}
				return // refused: fine
			}
			if hasProperty(c, "CANARYOUTSIDE") {
				t.Fatalf("the definition holds content from outside the folder")
			}
		})
	}
}

// hasProperty reports whether GET /x's response schema, refs resolved,
// has property name.
func hasProperty(c *Connector, name string) bool {
	for _, op := range c.Operations {
		if op.Op == nil || op.Op.Responses == nil {
			continue
		}
		r := op.Op.Responses.Value("200")
		if r == nil || r.Value == nil {
			continue
		}
		for _, mt := range r.Value.Content {
			if mt.Schema != nil && mt.Schema.Value != nil && mt.Schema.Value.Properties[name] != nil {
				return true
			}
		}
	}
	return false
}
