package create_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/internal/corpus"
	"github.com/connectorlab/connectorlab/mock/override"
	"github.com/connectorlab/connectorlab/workflow/create"
)

var mockoonAll = flag.Bool("mockoon-all", false, "round-trip every corpus connector through Mockoon (default: every 8th; -short every 40th)")

// copyDir copies the files of a connector folder (not subfolders).
func copyDir(t *testing.T, from string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), filepath.Base(from))
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	es, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

type mkRoute struct {
	Documentation string `json:"documentation"`
	Method        string `json:"method"`
	Endpoint      string `json:"endpoint"`
	ResponseMode  any    `json:"responseMode"`
	Responses     []struct {
		StatusCode int    `json:"statusCode"`
		Body       string `json:"body"`
		Label      string `json:"label"`
		Latency    int    `json:"latency"`
		Default    bool   `json:"default"`
		Rules      []struct {
			Target, Modifier, Value, Operator string
		} `json:"rules"`
		RulesOperator string `json:"rulesOperator"`
	} `json:"responses"`
}

type mkEnv struct {
	LastMigration  int       `json:"lastMigration"`
	Name           string    `json:"name"`
	EndpointPrefix string    `json:"endpointPrefix"`
	Routes         []mkRoute `json:"routes"`
	Folders        []struct {
		Name     string `json:"name"`
		Children []struct{ Type, UUID string }
	} `json:"folders"`
}

// TestExportMockoonOverrides: the sample connector with an overrides
// sidecar exports as a Mockoon environment whose routes carry the
// overrides Mockoon can hold (chosen response, rules, sequence, latency,
// disabled as 501), and every other loss is a finding.
func TestExportMockoonOverrides(t *testing.T) {
	t.Parallel()
	dir := copyDir(t, "../../examples/contoso-orders")
	if err := os.MkdirAll(filepath.Join(dir, ".connectorlab"), 0o755); err != nil {
		t.Fatal(err)
	}
	ov := `{"version": 1, "operations": {
	  "DeleteOrder": {"disabled": true},
	  "GetOrder": {"latencyMs": 250, "errorRate": 0.1, "response": {"status": 200, "body": {"id": "o-1", "status": "shipped"}},
	    "rules": [{"name": "Missing order", "when": {"header": {"X-Tenant": "t1"}, "body": {"/customer/id": "c9"}}, "then": {"status": 404, "body": {"error": "no such order"}}}]},
	  "ListOrders": {"responses": [{"status": 200}, {"status": 200, "generated": true}], "mode": "random"}
	}}`
	if err := os.WriteFile(filepath.Join(dir, ".connectorlab", "overrides.json"), []byte(ov), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := create.ExportMockoon(context.Background(), create.ExportRequest{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	var env mkEnv
	if err := json.Unmarshal(res.Document, &env); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if env.LastMigration != create.MockoonMigration || env.Name != "Contoso Orders" || len(env.Routes) != res.Routes || res.Routes == 0 {
		t.Fatalf("environment %s with %d routes (res %d)", env.Name, len(env.Routes), res.Routes)
	}
	byDoc := map[string]mkRoute{}
	for _, r := range env.Routes {
		byDoc[r.Method+" "+r.Endpoint] = r
	}
	get, ok := byDoc["get orders/:orderId"]
	if !ok {
		t.Fatalf("no GET orders/:orderId route in %v", sortedKeys(byDoc))
	}
	if len(get.Responses) < 2 || len(get.Responses[0].Rules) != 2 || get.Responses[0].StatusCode != 404 || get.Responses[0].RulesOperator != "AND" {
		t.Fatalf("GetOrder's rule is not the first response with two AND conditions: %+v", get.Responses)
	}
	if r0, r1 := get.Responses[0].Rules[0], get.Responses[0].Rules[1]; r0.Target != "header" || r0.Modifier != "X-Tenant" || r0.Value != "t1" || r1.Target != "body" || r1.Modifier != "customer.id" {
		t.Errorf("rules %+v, want header X-Tenant and body customer.id", get.Responses[0].Rules)
	}
	if !get.Responses[1].Default || !strings.Contains(get.Responses[1].Body, "shipped") || get.Responses[1].Latency != 250 {
		t.Errorf("the chosen body is not the default with the latency: %+v", get.Responses[1])
	}
	del := byDoc["delete orders/:orderId"]
	if len(del.Responses) == 0 || del.Responses[0].StatusCode != 501 || !del.Responses[0].Default {
		t.Errorf("disabled DeleteOrder does not answer 501 by default: %+v", del.Responses)
	}
	list := byDoc["get orders"]
	if list.ResponseMode != "RANDOM" || len(list.Responses) < 2 || list.Responses[0].Body == list.Responses[1].Body {
		t.Errorf("ListOrders: mode %v, responses %+v; want RANDOM between the example and a generated body", list.ResponseMode, list.Responses)
	}
	ids := map[string]int{}
	for _, f := range res.Findings {
		ids[f.ID]++
		if f.File == "" || f.Pointer == "" && f.ID != authoring.ExportMockoonCustomCode || f.Message == "" {
			t.Errorf("finding without location: %+v", f)
		}
	}
	for _, f := range res.Findings {
		if f.ID == authoring.ExportMockoonPolicy && (filepath.Base(f.File) != "apiProperties.json" || !strings.HasPrefix(f.Pointer, "/properties/policyTemplateInstances/")) {
			t.Errorf("a policy finding points at %s #%s, want apiProperties.json's policyTemplateInstances", f.File, f.Pointer)
		}
	}
	for _, id := range []string{authoring.ExportMockoonPolicy, authoring.ExportMockoonOperationID, authoring.ExportMockoonAuth, authoring.ExportMockoonTrigger,
		authoring.ExportMockoonErrorRate, authoring.ExportMockoonDisabled, authoring.ExportMockoonParameters} {
		if ids[id] == 0 {
			t.Errorf("no %s finding (have %v)", id, ids)
		}
	}
	again, err := create.ExportMockoon(context.Background(), create.ExportRequest{Path: dir})
	if err != nil || string(again.Document) != string(res.Document) {
		t.Error("two exports of the same folder differ")
	}
	// And back: the environment imports as a connector with the same
	// operations (by method and path) that validates.
	file := filepath.Join(t.TempDir(), "env.json")
	if err := os.WriteFile(file, res.Document, 0o644); err != nil {
		t.Fatal(err)
	}
	_, c, _ := newFolder(t, create.Request{From: file})
	orig, err := connector.Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if missing := missingOps(orig, c); len(missing) > 0 {
		t.Errorf("after export → import, missing %v", missing)
	}
}

// TestExportMockoonBadOverrides: a broken sidecar is a usage error that
// names the file.
func TestExportMockoonBadOverrides(t *testing.T) {
	t.Parallel()
	dir := copyDir(t, "../../examples/contoso-orders")
	ov := filepath.Join(t.TempDir(), "ov.json")
	if err := os.WriteFile(ov, []byte(`{"version": 1, "operations": {"Nope": {}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := create.ExportMockoon(context.Background(), create.ExportRequest{Path: dir, Overrides: ov})
	if err == nil || !strings.Contains(err.Error(), "ov.json") || !strings.Contains(err.Error(), "Nope") {
		t.Fatalf("error %v, want one naming the file and the operation", err)
	}
}

var braces = regexp.MustCompile(`\{[^}]*\}`)

func shape(method, base, path string) string {
	p := strings.TrimSuffix(base, "/") + path
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	return strings.ToUpper(method) + " " + strings.TrimSuffix(braces.ReplaceAllString(p, "{}"), "/")
}

// missingOps lists the operations of a (and their declared statuses)
// that b lacks, by method and path shape.
func missingOps(a, b *connector.Connector) []string {
	have := map[string]*connector.Operation{}
	for _, o := range b.Operations {
		have[shape(o.Method, b.BasePath, o.Path)] = o
	}
	var missing []string
	for _, o := range a.Operations {
		k := shape(o.Method, a.BasePath, o.Path)
		n := have[k]
		if n == nil {
			missing = append(missing, k)
			continue
		}
		if o.Op == nil || o.Op.Responses == nil {
			continue
		}
		for code := range o.Op.Responses.Map() {
			if code != "default" && n.Op.Responses.Value(code) == nil {
				missing = append(missing, k+" "+code)
			}
		}
	}
	sort.Strings(missing)
	return missing
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestMockoonRoundTripCorpus: corpus connectors → Mockoon environment →
// `new --from` again. A connector passes when every operation comes back
// (method and path) with its declared statuses, and the new folder
// validates with 0 errors; operations the export reported as lost (a
// route clash or a path Mockoon cannot express) are not held against it.
func TestMockoonRoundTripCorpus(t *testing.T) {
	t.Parallel()
	root, dirs := corpus.Dirs(t)
	step := 8
	switch {
	case *mockoonAll:
		step = 1
	case testing.Short():
		step = 40
	}
	ctx := context.Background()
	tried, passed, strict, refused := 0, 0, 0, 0
	losses := map[string]int{}
	var failures []string
	for i := 0; i < len(dirs); i += step {
		d := filepath.Join(root, dirs[i])
		orig, err := connector.Load(ctx, d)
		if err != nil {
			refused++
			continue
		}
		tried++
		res, err := create.MockoonEnvironment(orig, emptyOverrides(), 0)
		if err != nil {
			failures = append(failures, fmt.Sprintf("%s: export: %v", dirs[i], err))
			continue
		}
		lost := map[string]bool{}
		for _, f := range res.Findings {
			losses[f.ID]++
			if f.ID == authoring.ExportMockoonRouteClash || f.ID == authoring.ExportMockoonPath {
				for _, o := range orig.Operations {
					if o.Pointer == f.Pointer {
						lost[shape(o.Method, orig.BasePath, o.Path)] = true
					}
				}
			}
		}
		tmp := t.TempDir()
		file := filepath.Join(tmp, "env.json")
		if err := os.WriteFile(file, res.Document, 0o644); err != nil {
			t.Fatal(err)
		}
		back, err := create.New(ctx, create.Request{From: file})
		if err != nil {
			failures = append(failures, fmt.Sprintf("%s: import: %v", dirs[i], err))
			continue
		}
		out := filepath.Join(tmp, "c")
		if err := back.Folder.Write(out, false); err != nil {
			t.Fatal(err)
		}
		c, err := connector.Load(ctx, out)
		if err != nil {
			failures = append(failures, fmt.Sprintf("%s: reimported folder does not load: %v", dirs[i], err))
			continue
		}
		var errs []string
		for _, f := range connector.Lint(ctx, c) {
			if f.Level >= connector.LevelError {
				errs = append(errs, f.ID)
			}
		}
		missing := missingOps(orig, c)
		if len(missing) == 0 && len(errs) == 0 {
			strict++
		}
		var real []string
		for _, m := range missing {
			k := m
			if j := strings.LastIndex(m, " "); j > 0 && len(m)-j == 4 {
				k = m[:j]
			}
			if !lost[k] {
				real = append(real, m)
			}
		}
		if len(real) == 0 && len(errs) == 0 {
			passed++
			continue
		}
		why := append(real, errs...)
		if len(why) > 3 {
			why = append(why[:3], fmt.Sprintf("… %d more", len(why)-3))
		}
		failures = append(failures, fmt.Sprintf("%s: %s", dirs[i], strings.Join(why, "; ")))
	}
	var lossLine []string
	for _, id := range sortedKeys(losses) {
		lossLine = append(lossLine, fmt.Sprintf("%s=%d", id, losses[id]))
	}
	t.Logf("mockoon round trip: %d/%d passed (%.1f%%), %d with nothing lost at all; %d corpus files refused by the loader; export findings: %s",
		passed, tried, 100*float64(passed)/float64(max(tried, 1)), strict, refused, strings.Join(lossLine, " "))
	for _, f := range failures {
		t.Log("failed: " + f)
	}
	if tried == 0 {
		t.Fatal("no corpus connector tried")
	}
	if float64(passed) < 0.9*float64(tried) {
		t.Errorf("only %d of %d connectors survive export → import", passed, tried)
	}
}

func emptyOverrides() override.File {
	return override.File{Version: 1, Operations: map[string]override.Operation{}}
}

// TestExportMockoonPathLosses: paths Mockoon's router cannot express are
// findings naming the operation, never a silently wrong route.
func TestExportMockoonPathLosses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	def := `{"swagger": "2.0", "info": {"title": "Paths", "version": "1"}, "host": "api.contoso.com", "basePath": "/v1",
	  "paths": {
	    "/models/{model}:embed": {"post": {"operationId": "Embed", "summary": "Embed", "responses": {"200": {"description": "OK"}}}},
	    "/daily/{days}day/{key}": {"get": {"operationId": "Daily", "summary": "Daily", "responses": {"200": {"description": "OK"}}}},
	    "/pin-s+ff2211({lon},{lat})": {"get": {"operationId": "Pin", "summary": "Pin", "responses": {"200": {"description": "OK"}}}},
	    "/items/{item-id}": {"get": {"operationId": "GetItem", "summary": "Get item", "responses": {"200": {"description": "OK", "schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}
	  }}`
	if err := os.WriteFile(filepath.Join(dir, "apiDefinition.swagger.json"), []byte(def), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := connector.Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := create.MockoonEnvironment(c, emptyOverrides(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var env mkEnv
	if err := json.Unmarshal(res.Document, &env); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range env.Routes {
		got[r.Method+" "+r.Endpoint] = true
	}
	if !got["get items/:item_id"] || env.EndpointPrefix != "v1" {
		t.Errorf("routes %v prefix %q: a parameter name with a dash must become a word", sortedKeys(got), env.EndpointPrefix)
	}
	var pathLoss int
	for _, f := range res.Findings {
		if f.ID == authoring.ExportMockoonPath {
			for _, p := range []string{"/models/{model}:embed", "/daily/{days}day/{key}", "/pin-s+ff2211({lon},{lat})"} {
				if strings.Contains(f.Message, p+":") {
					pathLoss++
				}
			}
		}
		if f.ID == authoring.ExportMockoonGenerated && !strings.Contains(f.Pointer, "items") {
			t.Errorf("generated-body finding on the wrong operation: %+v", f)
		}
	}
	if pathLoss != 3 {
		t.Errorf("%d of the 3 paths Mockoon reads differently were reported: %+v", pathLoss, res.Findings)
	}
}
