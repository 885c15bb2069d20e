package connector

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// lintBase is a clean two-operation connector; each case edits it to
// break exactly one rule.
const lintBase = `{"swagger":"2.0","info":{"title":"Lint","version":"1","description":"d"},"host":"api.example.com","basePath":"/",
"securityDefinitions":{"key":{"type":"apiKey","in":"header","name":"X-Key"}},"security":[{"key":[]}],
"paths":{
 "/items":{"get":{"operationId":"ListItems","summary":"List items","description":"Lists items",
   "parameters":[{"name":"kind","in":"query","type":"string","x-ms-dynamic-values":{"operationId":"ListKinds","value-path":"id","value-title":"name"}}],
   "responses":{"200":{"description":"ok","schema":{"type":"array","items":{"type":"object","properties":{"id":{"type":"string","pattern":"^[a-z]+$"}}}}}}}},
 "/kinds":{"get":{"operationId":"ListKinds","summary":"List kinds","description":"Lists kinds","x-ms-visibility":"internal",
   "responses":{"200":{"description":"ok","schema":{"type":"array","items":{"type":"object"}}}}}}
}}`

const lintProps = `{"properties":{"connectionParameters":{"api_key":{"type":"securestring","uiDefinition":{"displayName":"API key"}}},"policyTemplateInstances":[]}}`

func lintOf(t *testing.T, swagger, props string) []Finding {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "apiDefinition.swagger.json", swagger)
	if props != "" {
		writeFile(t, dir, "apiProperties.json", props)
	}
	c, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return Lint(context.Background(), c)
}

func TestLintBaseIsClean(t *testing.T) {
	for _, f := range lintOf(t, lintBase, lintProps) {
		if f.Level >= LevelWarning {
			t.Errorf("clean fixture has %v", f)
		}
	}
}

// TestLintRules breaks one rule per case and asserts the stable ID, level
// and that the finding is located (line:col in the file it names).
func TestLintRules(t *testing.T) {
	r := strings.NewReplacer
	cases := []struct {
		id     string
		level  Level
		edit   *strings.Replacer
		props  string
		inFile string // file the finding must name
	}{
		{"operation-id-missing", LevelError, r(`"operationId":"ListItems",`, ``), lintProps, "apiDefinition"},
		{"operation-id-duplicate", LevelError, r(`"operationId":"ListKinds"`, `"operationId":"listitems"`), lintProps, "apiDefinition"},
		{"summary-missing", LevelWarning, r(`"summary":"List kinds",`, ``), lintProps, "apiDefinition"},
		{"description-missing", LevelInfo, r(`"description":"Lists kinds",`, ``), lintProps, "apiDefinition"},
		{"visibility-invalid", LevelWarning, r(`"x-ms-visibility":"internal"`, `"x-ms-visibility":"hidden"`), lintProps, "apiDefinition"},
		{"visibility-case", LevelInfo, r(`"x-ms-visibility":"internal"`, `"x-ms-visibility":"Internal"`), lintProps, "apiDefinition"},
		{"extension-misspelt", LevelWarning, r(`"x-ms-visibility":"internal"`, `"x-ms-visibilty":"internal"`), lintProps, "apiDefinition"},
		{"dynamic-operation-unknown", LevelError, r(`"operationId":"ListKinds","value-path"`, `"operationId":"ListKindz","value-path"`), lintProps, "apiDefinition"},
		{"dynamic-operation-missing", LevelError, r(`"operationId":"ListKinds","value-path"`, `"value-path"`), lintProps, "apiDefinition"},
		{"dynamic-lookup-parameter-unknown", LevelWarning, r(`"value-title":"name"}`, `"value-title":"name","parameters":{"ghost":"x"}}`), lintProps, "apiDefinition"},
		{"dynamic-parameter-unknown", LevelError, r(`"value-title":"name"}`, `"value-title":"name","parameters":{"q":{"parameter":"nosuch"}}}`), lintProps, "apiDefinition"},
		{"path-parameter-undeclared", LevelError, r(`"/kinds":`, `"/kinds/{kindId}":`), lintProps, "apiDefinition"},
		{"path-conflict", LevelWarning, r(`"/kinds":{"get":{"operationId":"ListKinds"`, `"/items/{a}":{"parameters":[{"name":"a","in":"path","required":true,"type":"string"}],"get":{"operationId":"GetA"`+`,"summary":"A","description":"A","responses":{"200":{"description":"ok"}}}},"/items/{b}":{"parameters":[{"name":"b","in":"path","required":true,"type":"string"}],"get":{"operationId":"ListKinds"`), lintProps, "apiDefinition"},
		{"pattern-not-enforced", LevelWarning, r(`"pattern":"^[a-z]+$"`, `"pattern":"^(?!x)[a-z]+$"`), lintProps, "apiDefinition"},
		{"pattern-unsatisfiable", LevelWarning, r(`"pattern":"^[a-z]+$"`, `"pattern":"^[a-z]+$","enum":["A-1","B-2"]`), lintProps, "apiDefinition"},
		{"format-unsatisfiable", LevelWarning, r(`"pattern":"^[a-z]+$"`, `"format":"date-time","enum":["now"]`), lintProps, "apiDefinition"},
		{"trigger-invalid", LevelError, r(`"x-ms-visibility":"internal",`, `"x-ms-visibility":"internal","x-ms-trigger":"sometimes",`), lintProps, "apiDefinition"},
		{"webhook-unsubscribe-missing", LevelError, r(`"/kinds":{"get":{`, `"/hooks":{"x-ms-notification-content":{"schema":{"type":"object"}},"post":{"operationId":"OnThing","summary":"When a thing happens","description":"d","x-ms-trigger":"single","parameters":[{"name":"body","in":"body","schema":{"type":"object","properties":{"callback":{"type":"string","x-ms-notification-url":true}}}}],"responses":{"201":{"description":"created"}}}},"/kinds":{"get":{`), lintProps, "apiDefinition"},
		{"webhook-notification-url-missing", LevelError, r(`"/kinds":{"get":{`, `"/hooks":{"x-ms-notification-content":{"schema":{"type":"object"}},"post":{"operationId":"OnThing","summary":"When","description":"d","x-ms-trigger":"single","responses":{"201":{"description":"created"}}}},"/kinds":{"get":{`), lintProps, "apiDefinition"},
		{"auth-mismatch", LevelWarning, nil, `{"properties":{"connectionParameters":{"token":{"type":"oauthSetting","oAuthSettings":{"identityProvider":"oauth2","clientId":"c","scopes":[]}}}}}`, "apiProperties"},
		{"properties-missing", LevelWarning, nil, "", "apiDefinition"},
		{"policy-unknown-template", LevelWarning, nil, `{"properties":{"connectionParameters":{"api_key":{"type":"securestring"}},"policyTemplateInstances":[{"templateId":"teleport","title":"t","parameters":{}}]}}`, "apiProperties"},
		{"policy-unknown-operation", LevelWarning, nil, `{"properties":{"connectionParameters":{"api_key":{"type":"securestring"}},"policyTemplateInstances":[{"templateId":"setheader","title":"t","parameters":{"x-ms-apimTemplateParameter.name":"X","x-ms-apimTemplateParameter.value":"1","x-ms-apimTemplate-operationName":["NoSuchOp"]}}]}}`, "apiProperties"},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			doc := lintBase
			if tc.edit != nil {
				doc = tc.edit.Replace(lintBase)
				if doc == lintBase {
					t.Fatal("edit changed nothing; the fixture drifted")
				}
			}
			fs := lintOf(t, doc, tc.props)
			for _, f := range fs {
				if f.ID != tc.id {
					continue
				}
				if f.Level != tc.level {
					t.Errorf("%s level %s, want %s", f.ID, f.Level, tc.level)
				}
				if !strings.Contains(filepath.Base(f.File), tc.inFile) {
					t.Errorf("%s names file %q, want %s", f.ID, f.File, tc.inFile)
				}
				if f.Line == 0 && f.Pointer == "" {
					t.Errorf("%s has no location: %v", f.ID, f)
				}
				if f.Message == "" || (f.Level >= LevelWarning && f.Fix == "") {
					t.Errorf("%s lacks a message or a fix: %v", f.ID, f)
				}
				return
			}
			t.Fatalf("no %s finding; got:\n%v", tc.id, fs)
		})
	}
}

// TestLintAfterReleaseSource: a connector that let go of its bytes still
// lints the same findings, located by pointer, without a line; before, the
// same finding has its line, and Load keeps neither the decoded tree nor
// the index.
func TestLintAfterReleaseSource(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "apiDefinition.swagger.json", strings.Replace(lintBase, `"summary":"List items",`, "", 1))
	writeFile(t, dir, "apiProperties.json", lintProps)
	c, err := Load(context.Background(), dir)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if c.src == nil || c.src.tree != nil || c.src.idx != nil || len(c.src.data) == 0 {
		t.Fatalf("Load keeps %+v; want the bytes only", c.src)
	}
	find := func(fs []Finding) *Finding {
		for i := range fs {
			if fs[i].ID == "summary-missing" {
				return &fs[i]
			}
		}
		t.Fatalf("no summary-missing finding in %v", fs)
		return nil
	}
	before := find(Lint(context.Background(), c))
	if before.Line == 0 {
		t.Fatalf("finding not located before release: %+v", before)
	}
	c.ReleaseSource()
	after := find(Lint(context.Background(), c))
	if after.Line != 0 || after.Pointer != before.Pointer || after.File != before.File {
		t.Fatalf("after release: %+v; want %+v without a line", after, before)
	}
}
