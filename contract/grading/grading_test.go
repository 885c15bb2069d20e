package grading_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/conform"
	"github.com/connectorlab/connectorlab/contract/drift"
	"github.com/connectorlab/connectorlab/contract/grading"
	"github.com/connectorlab/connectorlab/contract/replay"
	"github.com/connectorlab/connectorlab/contract/specdiff"
	"github.com/connectorlab/connectorlab/probe"
	"github.com/connectorlab/connectorlab/recordings"
)

// def is a one-operation connector; status and props are its response.
func def(t *testing.T, status, props string) *connector.Connector {
	t.Helper()
	doc := fmt.Sprintf(`{"swagger":"2.0","info":{"title":"Grading","version":"1"},"host":"api.example.com","basePath":"/","schemes":["https"],
"paths":{"/items/{id}":{"get":{"operationId":"GetItem","produces":["application/json"],
"parameters":[{"name":"id","in":"path","required":true,"type":"string"}],
"responses":{"%s":{"description":"OK","schema":{"type":"object","required":["id"],"properties":{%s}}}}}}}}`, status, props)
	p := filepath.Join(t.TempDir(), "apiDefinition.swagger.json")
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := connector.Load(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const (
	props      = `"id":{"type":"string"},"name":{"type":"string"},"count":{"type":"integer"}`
	recorded   = `{"id":"1","name":"n","count":3}`
	jsonHeader = "application/json"
)

// verdicts runs every tool on one change and returns the highest level
// each gives: diff (old vs new definition), test (the recording replayed
// against the changed API, checked against old and new definition), drift
// (the changed API's traffic against the old definition) and the mock
// conformance sweep's check (the changed answer against the old
// definition).
func verdicts(t *testing.T, old, nw *connector.Connector, status int, body string) map[string]contract.Level {
	t.Helper()
	out := map[string]contract.Level{}
	out["diff"] = contract.MaxLevel(specdiff.Run(old, nw))

	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", jsonHeader)
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}))
	defer hs.Close()
	target, _ := url.Parse(hs.URL)
	x := &recordings.Exchange{ID: 1, OperationID: "GetItem",
		Request:  recordings.Request{Method: "GET", URL: "/items/1"},
		Response: recordings.Response{Status: 200, Message: recordings.Message{Header: http.Header{"Content-Type": {jsonHeader}}, Body: []byte(recorded)}}}
	for name, c := range map[string]*connector.Connector{"test(old def)": old, "test(new def)": nw} {
		res, err := replay.New(c, replay.Options{Target: target}).Run(context.Background(), "s", []*recordings.Exchange{x})
		if err != nil {
			t.Fatal(err)
		}
		var fs []contract.Finding
		for _, cs := range res.Suite.Cases {
			fs = append(fs, cs.Findings...)
		}
		out[name] = contract.MaxLevel(fs)
	}

	tr := drift.NewTraffic(old, conform.New(old, conform.Options{}))
	tr.Add(drift.Observation{Operation: old.Operation("GetItem"), Method: "GET", URL: "/items/1", Status: status,
		Header: http.Header{"Content-Type": {jsonHeader}}, Body: []byte(body)})
	var fs []contract.Finding
	for _, f := range tr.Findings() {
		if f.ID != drift.OperationUntested {
			fs = append(fs, f)
		}
	}
	out["drift"] = contract.MaxLevel(fs)

	class, _ := probe.NewChecker().Check(old.Operation("GetItem"), status, http.Header{"Content-Type": {jsonHeader}}, []byte(body))
	out["conformance"] = grading.ConformanceLevel(class)
	return out
}

// TestSameChangeSameGrade: each tool that sees a change grades it alike.
// The issue that asked for it: test graded a removed response field as a
// warning, diff as an error.
func TestSameChangeSameGrade(t *testing.T) {
	E, I := contract.LevelError, contract.LevelInfo
	cases := []struct {
		name     string
		status   string // new definition's success status
		newProps string
		answer   int
		body     string
		want     map[string]contract.Level // tools that see the change
	}{
		{"response field removed", "200", `"id":{"type":"string"},"count":{"type":"integer"}`, 200, `{"id":"1","count":3}`,
			map[string]contract.Level{"diff": E, "test(old def)": E, "test(new def)": E}},
		{"response field type changed", "200", `"id":{"type":"string"},"name":{"type":"string"},"count":{"type":"string"}`, 200, `{"id":"1","name":"n","count":"3"}`,
			map[string]contract.Level{"diff": E, "test(old def)": E, "drift": E, "conformance": E}},
		{"success status changed", "201", props, 201, recorded,
			map[string]contract.Level{"diff": E, "test(old def)": E, "drift": E, "conformance": E}},
		{"response field added", "200", props + `,"extra":{"type":"string"}`, 200, `{"id":"1","name":"n","count":3,"extra":"x"}`,
			map[string]contract.Level{"diff": I, "test(old def)": I, "test(new def)": I, "drift": I, "conformance": 0}},
	}
	old := def(t, "200", props)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			nw := def(t, tc.status, tc.newProps)
			got := verdicts(t, old, nw, tc.answer, tc.body)
			var bad []string
			for tool, want := range tc.want {
				if got[tool] != want {
					bad = append(bad, fmt.Sprintf("%s graded it %s, want %s", tool, lvl(got[tool]), lvl(want)))
				}
			}
			if len(bad) > 0 {
				t.Errorf("%s: %s (all: %v)", tc.name, strings.Join(bad, "; "), got)
			}
		})
	}
}

func lvl(l contract.Level) string {
	if l == 0 {
		return "pass"
	}
	return l.String()
}

// TestTableIsComplete: every ID is in the table once, with a level, and
// every sweep failure class maps to an ID of the table.
func TestTableIsComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range grading.Table() {
		if seen[r.ID] {
			t.Errorf("%s is in the table twice", r.ID)
		}
		seen[r.ID] = true
		if r.Level == 0 || r.Summary == "" {
			t.Errorf("%s has no level or summary", r.ID)
		}
	}
	for _, class := range []string{probe.ClassBuild, probe.ClassTransport, probe.ClassStatus, probe.ClassRouting, probe.ClassContentType, probe.ClassBody} {
		if !seen[grading.ConformanceID(class)] {
			t.Errorf("sweep class %s maps to %q, not in the table", class, grading.ConformanceID(class))
		}
	}
}
