package connector

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const minimalSwagger = `{"swagger":"2.0","info":{"title":"T","version":"1"},"host":"api.example.com","basePath":"/v1",
"paths":{"/things/{id}":{"get":{"operationId":"GetThing","summary":"Get a thing","parameters":[{"name":"id","in":"path","required":true,"type":"string"}],
"responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/Thing"}}}}}},
"definitions":{"Thing":{"type":"object","properties":{"id":{"type":"string"}}}}}`

// TestLoadRefusals: inputs whose meaning cannot be recovered are refused
// with a LoadError naming the file (and line:col where there is one) and a fix.
func TestLoadRefusals(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 200) + "1" + strings.Repeat("}", 200)
	deepYAML := "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {}\nx-deep: " + strings.Repeat("[", 200) + strings.Repeat("]", 200) + "\n"
	cases := []struct {
		name, file, body string
		wantMsg          string
		wantLine         bool
	}{
		{"empty", "a.swagger.json", "", "file is empty", true},
		{"whitespace only", "a.swagger.json", " \n\t ", "file is empty", true},
		{"deep JSON", "a.swagger.json", deep, "nesting deeper than 128", true},
		{"deep YAML", "a.yaml", deepYAML, "nesting deeper than 128", false},
		{"not a definition", "a.json", `{"hello":"world"}`, "not a connector definition", true},
		{"truncated", "a.swagger.json", minimalSwagger[:120], "invalid JSON", true},
		{"binary", "a.swagger.json", "\x00\x01\x02\xff", "", false},
		{"YAML with tabs", "a.yaml", "openapi: 3.0.0\n\tinfo: x\n", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), tc.file, tc.body)
			_, err := Load(context.Background(), p)
			if err == nil {
				t.Fatal("loaded; want a refusal")
			}
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error is %T (%v); want *LoadError", err, err)
			}
			if le.File != p {
				t.Errorf("error names %q, want the file %q", le.File, p)
			}
			if tc.wantMsg != "" && !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q lacks %q", err, tc.wantMsg)
			}
			if tc.wantLine && le.Line == 0 {
				t.Errorf("error %q has no line:col", err)
			}
		})
	}
}

func TestLoadSizeLimit(t *testing.T) {
	dir := t.TempDir()
	pad := strings.Repeat(" ", 2<<20)
	p := writeFile(t, dir, "big.swagger.json", minimalSwagger[:len(minimalSwagger)-1]+`,"x-pad":"`+pad+`"}`)
	_, err := (&Loader{MaxBytes: 1 << 20}).Load(context.Background(), p)
	if err == nil || !strings.Contains(err.Error(), "larger than the 1 MiB limit") || !strings.Contains(err.Error(), "--max-size") {
		t.Fatalf("err = %v; want the size limit named with the flag that raises it", err)
	}
	if _, err := (&Loader{MaxBytes: 4 << 20}).Load(context.Background(), p); err != nil {
		t.Fatalf("with a raised limit: %v", err)
	}
}

// TestLoadNeverUsesNetwork plants $refs to a live listener in both formats
// and asserts that loading makes no connection to it.
func TestLoadNeverUsesNetwork(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var conns atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			c.Close()
		}
	}()
	ref := fmt.Sprintf("http://%s/evil.json#/Thing", ln.Addr())
	dir := t.TempDir()
	v2 := strings.Replace(minimalSwagger, "#/definitions/Thing", ref, 1)
	p2 := writeFile(t, dir, "v2/apiDefinition.swagger.json", v2)
	v3 := fmt.Sprintf(`{"openapi":"3.0.3","info":{"title":"T","version":"1"},"paths":{"/x":{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":%q}}}}}}}}}`, ref)
	p3 := writeFile(t, dir, "v3/openapi.json", v3)

	for _, p := range []string{p2, p3} {
		c, err := Load(context.Background(), p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if !hasFinding(c, "ref-external") {
			t.Errorf("%s: no ref-external finding for the network $ref: %v", p, c.Findings)
		}
	}
	if n := conns.Load(); n != 0 {
		t.Fatalf("loading opened %d connection(s) to %s", n, ln.Addr())
	}
}

// TestLoadExternalRefsStayInFolder: a split OpenAPI 3 document loads its
// sibling files, but a $ref that climbs out of the folder is refused.
func TestLoadExternalRefsStayInFolder(t *testing.T) {
	c, err := Load(context.Background(), "testdata/split/openapi.yaml")
	if err != nil {
		t.Fatalf("split document: %v", err)
	}
	op := c.Operation("GetPet")
	if op == nil {
		t.Fatal("GetPet missing")
	}
	s := op.Op.Responses.Value("200").Value.Content["application/json"].Schema
	if s.Value == nil || s.Value.Properties["name"] == nil {
		t.Fatalf("external ref not resolved: %+v", s)
	}

	outer := t.TempDir()
	writeFile(t, outer, "secret.yaml", "Pet: {type: object}\n")
	for _, ref := range []string{"../secret.yaml#/Pet", filepath.ToSlash(filepath.Join(outer, "secret.yaml")) + "#/Pet", "file:///etc/passwd"} {
		t.Run(ref, func(t *testing.T) {
			body := fmt.Sprintf("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '%s'}\n", ref)
			p := writeFile(t, filepath.Join(outer, "conn"), "openapi.yaml", body)
			c, err := Load(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if !hasFinding(c, "ref-external") {
				t.Fatalf("no ref-external finding: %v", c.Findings)
			}
		})
	}
}

func hasFinding(c *Connector, id string) bool {
	for _, f := range c.Findings {
		if f.ID == id {
			return true
		}
	}
	return false
}

// TestSchemeNameWithSpaceIsInfo: "API Key" is the Power Platform default
// scheme name; renaming it for OpenAPI 3 is bookkeeping, not a defect in
// the file, so it is reported at info level and auth still maps to it.
func TestSchemeNameWithSpaceIsInfo(t *testing.T) {
	body := strings.Replace(minimalSwagger, `"definitions"`, `"securityDefinitions":{"API Key":{"type":"apiKey","in":"header","name":"X-Key"}},"security":[{"API Key":[]}],"definitions"`, 1)
	c, err := Load(context.Background(), writeFile(t, t.TempDir(), "apiDefinition.swagger.json", body))
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, f := range c.Findings {
		if f.ID == "security-scheme-renamed" {
			found = f.Level == LevelInfo && f.Line > 0
		}
	}
	if !found {
		t.Errorf("want an info security-scheme-renamed finding with line:col; got %v", c.Findings)
	}
	if c.Auth.Kind != AuthAPIKey || c.Auth.Sets[0].APIKey == nil || c.Auth.Sets[0].APIKey.Name != "X-Key" {
		t.Errorf("auth = %+v; want the API key in header X-Key", c.Auth)
	}
}

// TestLoadRepairsAreFindings: each lenient repair becomes a warning with a
// stable ID and a line:col.
func TestLoadRepairsAreFindings(t *testing.T) {
	cases := []struct {
		name, body, id string
	}{
		{"BOM", "\xEF\xBB\xBF" + minimalSwagger, "json-bom"},
		{"trailing comma", strings.Replace(minimalSwagger, `"version":"1"}`, `"version":"1",}`, 1), "json-trailing-comma"},
		{"missing comma", strings.Replace(minimalSwagger, `"title":"T","version"`, `"title":"T" "version"`, 1), "json-missing-comma"},
		{"duplicate key", strings.Replace(minimalSwagger, `"title":"T"`, `"title":"T","title":"U"`, 1), "json-duplicate-key"},
		{"undefined scheme", strings.Replace(minimalSwagger, `"definitions"`, `"security":[{"nope":[]}],"definitions"`, 1), "security-undefined-scheme"},
		{"empty responses", strings.Replace(minimalSwagger, `"responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/Thing"}}}`, `"responses":{}`, 1), "responses-empty"},
		{"Latin-1", strings.Replace(minimalSwagger, `"title":"T"`, "\"title\":\"Br\xf8nn\xf8y\"", 1), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), "apiDefinition.swagger.json", tc.body)
			c, err := Load(context.Background(), p)
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if c.Operation("GetThing") == nil {
				t.Fatal("operation lost in repair")
			}
			if tc.id == "" {
				if len(c.Findings) == 0 {
					t.Fatal("no finding for the repair")
				}
				return
			}
			for _, f := range c.Findings {
				if f.ID == tc.id {
					if f.Level != LevelWarning {
						t.Errorf("%s is %s, want warning", f.ID, f.Level)
					}
					if f.Line == 0 {
						t.Errorf("%s has no line:col: %v", f.ID, f)
					}
					return
				}
			}
			t.Fatalf("no %s finding; got %v", tc.id, c.Findings)
		})
	}
}
