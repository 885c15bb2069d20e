package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/internal/testkit"
)

func TestOverridesPanelSavesTheSidecarAndAppliesLive(t *testing.T) {
	cs := newTestConnectors(t)
	v, err := cs.Open(testkit.CopyConnector(t, sample))
	if err != nil {
		t.Fatal(err)
	}
	ms := testMockService(t, cs)
	t.Cleanup(ms.stopAll)
	if _, err := ms.StartMock(MockConfig{Path: v.Path, Validate: true}); err != nil {
		t.Fatal(err)
	}
	view, err := ms.Overrides(v.Path)
	if err != nil {
		t.Fatal(err)
	}
	var get *OperationOverride
	for i := range view.Operations {
		if view.Operations[i].OperationID == "GetOrder" {
			get = &view.Operations[i]
		}
	}
	if get == nil || !strings.Contains(strings.Join(get.Choices, ","), "status:404") {
		t.Fatalf("GetOrder row: %+v", get)
	}
	try := func(op string, params map[string]string) int {
		t.Helper()
		res, err := ms.Try(TryRequest{Path: v.Path, OperationID: op, Params: params})
		if err != nil {
			t.Fatal(err)
		}
		return res.Status
	}
	if s := try("GetOrder", map[string]string{"path:orderId": "o1"}); s != 200 {
		t.Fatalf("before: %d", s)
	}
	rows := []OperationOverride{
		{OperationID: "GetOrder", Response: "status:404"},
		{OperationID: "DeleteOrder", Disabled: true},
		{OperationID: "ListCustomers", Response: "custom", Status: 200, Body: `{"value":[{"id":"custom"}]}`},
	}
	if _, err := ms.SaveOverrides(v.Path, rows); err != nil {
		t.Fatal(err)
	}
	// Applied to the running mock without a restart.
	if s := try("GetOrder", map[string]string{"path:orderId": "o1"}); s != 404 {
		t.Fatalf("after save: GetOrder %d", s)
	}
	if s := try("DeleteOrder", map[string]string{"path:orderId": "o1"}); s != 501 {
		t.Fatalf("after save: DeleteOrder %d", s)
	}
	b, err := os.ReadFile(filepath.Join(v.Path, ".connectorlab", "overrides.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Operations map[string]json.RawMessage `json:"operations"`
	}
	if err := json.Unmarshal(b, &f); err != nil || len(f.Operations) != 3 {
		t.Fatalf("sidecar: %s (%v)", b, err)
	}
	// A bad custom body is refused with the field and the fix; nothing is written.
	_, err = ms.SaveOverrides(v.Path, []OperationOverride{{OperationID: "GetOrder", Response: "custom", Body: "{not json"}})
	var ue *UserError
	if !asUserError(err, &ue) || !strings.Contains(ue.Message, "operations.GetOrder.response.body") || ue.Fix == "" {
		t.Fatalf("bad body: %v", err)
	}
	if b2, _ := os.ReadFile(filepath.Join(v.Path, ".connectorlab", "overrides.json")); string(b2) != string(b) {
		t.Fatal("a refused save changed the file")
	}
}

func asUserError(err error, ue **UserError) bool {
	u, ok := err.(*UserError)
	*ue = u
	return ok
}

func TestOverridesPanelRulesChangeTheLiveAnswer(t *testing.T) {
	cs := newTestConnectors(t)
	v, err := cs.Open(testkit.CopyConnector(t, sample))
	if err != nil {
		t.Fatal(err)
	}
	ms := testMockService(t, cs)
	t.Cleanup(ms.stopAll)
	if _, err := ms.StartMock(MockConfig{Path: v.Path}); err != nil {
		t.Fatal(err)
	}
	rows := []OperationOverride{{OperationID: "GetOrder", Rules: []RuleView{
		{Name: "gone", When: []ConditionView{{In: "path", Key: "orderId", Value: "o-gone"}}, Response: "status:404"},
		{When: []ConditionView{{In: "query", Key: "expand", Value: "lines"}, {In: "header", Key: "X-Tier", Value: "vip"}}, Response: "custom", Status: 202, Body: `{"id":"vip"}`},
	}}}
	view, err := ms.SaveOverrides(v.Path, rows)
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range view.Operations {
		if op.OperationID == "GetOrder" && (len(op.Rules) != 2 || op.Rules[0].When[0].In != "path" || op.Rules[1].Status != 202 || strings.Join(op.PathParams, ",") != "orderId") {
			t.Fatalf("rules read back: %+v", op)
		}
	}
	for _, tc := range []struct {
		params map[string]string
		want   int
	}{
		{map[string]string{"path:orderId": "o-gone"}, 404},
		{map[string]string{"path:orderId": "o1"}, 200},
		{map[string]string{"path:orderId": "o1", "query:expand": "lines", "header:X-Tier": "vip"}, 202},
	} {
		res, err := ms.Try(TryRequest{Path: v.Path, OperationID: "GetOrder", Params: tc.params})
		if err != nil || res.Status != tc.want {
			t.Errorf("%v: %d %v, want %d", tc.params, res.Status, err, tc.want)
		}
	}
	// A condition without a key is refused, naming the rule.
	_, err = ms.SaveOverrides(v.Path, []OperationOverride{{OperationID: "GetOrder", Rules: []RuleView{{When: []ConditionView{{In: "query"}}, Response: "status:404"}}}})
	var ue *UserError
	if !asUserError(err, &ue) || !strings.Contains(ue.Message, "operations.GetOrder.rules[0].when[0]") {
		t.Fatalf("keyless condition: %v", err)
	}
	// A rule on an undeclared path parameter is refused by the engine's check.
	if _, err := ms.SaveOverrides(v.Path, []OperationOverride{{OperationID: "GetOrder", Rules: []RuleView{{When: []ConditionView{{In: "path", Key: "nope", Value: "1"}}}}}}); err == nil || !strings.Contains(err.Error(), "path parameter") {
		t.Fatalf("undeclared path parameter: %v", err)
	}
}

func TestCheckBodyListsSchemaProblems(t *testing.T) {
	cs := newTestConnectors(t)
	v, err := cs.Open(testkit.CopyConnector(t, sample))
	if err != nil {
		t.Fatal(err)
	}
	ms := testMockService(t, cs)
	chk, err := ms.CheckBody(v.Path, "GetOrder", 200, `{"status":"lost"}`)
	if err != nil || chk.Schema == nil || chk.Schema.Properties["status"] == nil {
		t.Fatalf("check: %+v %v", chk, err)
	}
	var ptrs []string
	for _, p := range chk.Problems {
		ptrs = append(ptrs, p.Pointer)
	}
	if !strings.Contains(strings.Join(ptrs, ","), "/status") {
		t.Fatalf("problems: %+v", chk.Problems)
	}
}

func TestOverridesPanelSequencesRoundTripAndAnswerInTurn(t *testing.T) {
	// A sequence written by hand, with headers the panel does not edit:
	// a save must keep them.
	cs, v, side := sampleWithOverrides(t, `{"version":1,"operations":{"ListCustomers":{"response":{"body":{"value":[]},"headers":{"X-One":"1"}},"responses":[{"status":200,"body":{"value":[]},"headers":{"X-Page":"1"}},{}]}}}`)
	ms := testMockService(t, cs)
	t.Cleanup(ms.stopAll)
	if _, err := ms.StartMock(MockConfig{Path: v.Path}); err != nil {
		t.Fatal(err)
	}
	view, err := ms.Overrides(v.Path)
	if err != nil {
		t.Fatal(err)
	}
	rows := view.Operations
	for i := range rows {
		switch rows[i].OperationID {
		case "ListCustomers":
			if len(rows[i].Answers) != 2 || rows[i].Answers[0].Response != "custom" || rows[i].Answers[0].Headers["X-Page"] != "1" || rows[i].Answers[1].Response != "" {
				t.Fatalf("hand-written sequence read back: %+v", rows[i].Answers)
			}
		case "GetOrder":
			rows[i].Answers = []AnswerView{{Response: "custom", Status: 200, Body: `{"id":"A"}`}, {Response: "custom", Status: 202, Body: `{"id":"B"}`}}
			rows[i].Mode = "sequential"
		}
	}
	view, err = ms.SaveOverrides(v.Path, rows)
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range view.Operations {
		if op.OperationID == "GetOrder" && (len(op.Answers) != 2 || compact(t, []byte(op.Answers[1].Body)) != `{"id":"B"}` || op.Answers[1].Status != 202 || op.Mode != "sequential") {
			t.Fatalf("GetOrder read back: %+v", op)
		}
		if op.OperationID == "ListCustomers" && (len(op.Answers) != 2 || op.Answers[0].Headers["X-Page"] != "1") {
			t.Fatalf("a save dropped the file's headers: %+v", op.Answers)
		}
	}
	// The file the app writes is the one the CLI test serves
	// (cli/mock_overrides_test.go reads this golden file).
	got, err := os.ReadFile(side)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Operations map[string]json.RawMessage `json:"operations"`
	}
	if err := json.Unmarshal(got, &f); err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile(filepath.Join("testdata", "sequence-overrides.json"))
	if err != nil {
		t.Fatal(err)
	}
	var gf struct {
		Operations map[string]json.RawMessage `json:"operations"`
	}
	if err := json.Unmarshal(golden, &gf); err != nil {
		t.Fatal(err)
	}
	if compact(t, f.Operations["GetOrder"]) != compact(t, gf.Operations["GetOrder"]) {
		t.Fatalf("saved GetOrder:\n%s\ngolden:\n%s", f.Operations["GetOrder"], gf.Operations["GetOrder"])
	}
	if !strings.Contains(string(got), `"X-One": "1"`) {
		t.Fatalf("a save dropped the single answer's headers: %s", got)
	}
	// Applied live, in turn: A, B, A.
	var seen []string
	for range 3 {
		res, err := ms.Try(TryRequest{Path: v.Path, OperationID: "GetOrder", Params: map[string]string{"path:orderId": "o1"}})
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal([]byte(res.Response.Body), &body); err != nil {
			t.Fatalf("answer %d: %v (%s)", len(seen)+1, err, res.Response.Body)
		}
		seen = append(seen, fmt.Sprintf("%d %s", res.Status, body.ID))
	}
	if want := "200 A|202 B|200 A"; strings.Join(seen, "|") != want {
		t.Fatalf("answers: %q, want %q", seen, want)
	}
	// Removing the answers removes the sequence and its mode from the file.
	for i := range rows {
		rows[i].Answers, rows[i].Mode = nil, "random"
	}
	if _, err := ms.SaveOverrides(v.Path, rows); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(side); strings.Contains(string(b), "responses") || strings.Contains(string(b), "random") {
		t.Fatalf("emptied sequences left in the file: %s", b)
	}
}

func TestOverridesPanelSequenceErrorsNameTheField(t *testing.T) {
	cs := newTestConnectors(t)
	v, err := cs.Open(testkit.CopyConnector(t, sample))
	if err != nil {
		t.Fatal(err)
	}
	ms := testMockService(t, cs)
	for _, tc := range []struct {
		name string
		row  OperationOverride
		want string
	}{
		{"bad mode", OperationOverride{OperationID: "GetOrder", Mode: "shuffle", Answers: []AnswerView{{Response: "status:404"}}}, "operations.GetOrder.mode"},
		{"bad body", OperationOverride{OperationID: "GetOrder", Answers: []AnswerView{{Response: "status:404"}, {Response: "custom", Body: "{nope"}}}, "operations.GetOrder.responses[1].body"},
		{"undeclared status", OperationOverride{OperationID: "GetOrder", Answers: []AnswerView{{Response: "status:418"}}}, "operations.GetOrder.responses[0].status"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ms.SaveOverrides(v.Path, []OperationOverride{tc.row})
			var ue *UserError
			if !asUserError(err, &ue) || !strings.Contains(ue.Message, tc.want) || ue.Fix == "" {
				t.Fatalf("got %v, want a message naming %s and a fix", err, tc.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(v.Path, ".connectorlab", "overrides.json")); !os.IsNotExist(err) {
		t.Fatalf("a refused save wrote the file: %v", err)
	}
}

func compact(t *testing.T, b []byte) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return buf.String()
}

// Regression: saving from the panel dropped the headers of a rule's
// custom answer (the panel does not edit headers), also when the rules
// were reordered.
func TestOverridesPanelSaveKeepsRuleHeaders(t *testing.T) {
	cs, v, side := sampleWithOverrides(t, `{"version":1,"operations":{"ListCustomers":{"rules":[`+
		`{"name":"first","when":{"query":{"top":"1"}},"then":{"status":200,"body":{"value":[]},"headers":{"X-Rule":"first"}}},`+
		`{"when":{"query":{"top":"2"}},"then":{"status":200,"body":{"value":[]},"headers":{"X-Rule":"second"}}}]}}}`)
	ms := testMockService(t, cs)
	t.Cleanup(ms.stopAll)
	view, err := ms.Overrides(v.Path)
	if err != nil {
		t.Fatal(err)
	}
	rows := view.Operations
	for i := range rows {
		if rows[i].OperationID == "ListCustomers" {
			if len(rows[i].Rules) != 2 {
				t.Fatalf("rules read back: %+v", rows[i].Rules)
			}
			rows[i].Rules[0], rows[i].Rules[1] = rows[i].Rules[1], rows[i].Rules[0]
		}
	}
	if _, err := ms.SaveOverrides(v.Path, rows); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(side)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Operations map[string]struct {
			Rules []struct {
				Then struct {
					Headers map[string]string `json:"headers"`
				} `json:"then"`
			} `json:"rules"`
		} `json:"operations"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	rules := f.Operations["ListCustomers"].Rules
	if len(rules) != 2 || rules[0].Then.Headers["X-Rule"] != "second" || rules[1].Then.Headers["X-Rule"] != "first" {
		t.Fatalf("a save dropped or swapped the rules' headers:\n%s", b)
	}
}

// sampleWithOverrides opens a copy of the sample connector whose sidecar
// overrides file holds content; it returns the file's path too.
func sampleWithOverrides(t *testing.T, content string) (*ConnectorService, ConnectorView, string) {
	t.Helper()
	cs := newTestConnectors(t)
	v, err := cs.Open(testkit.CopyConnector(t, sample))
	if err != nil {
		t.Fatal(err)
	}
	side := filepath.Join(v.Path, ".connectorlab", "overrides.json")
	if err := os.MkdirAll(filepath.Dir(side), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(side, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return cs, v, side
}
