package replay_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/replay"
	"github.com/connectorlab/connectorlab/internal/corpus"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/probe"
	"github.com/connectorlab/connectorlab/recordings"
)

func certified(t *testing.T, name string) *connector.Connector {
	t.Helper()
	c, err := connector.Load(context.Background(), filepath.Join(corpus.Root(t), "certified-connectors", name))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func servedMock(t *testing.T, c *connector.Connector) *url.URL {
	t.Helper()
	srv, err := mock.New(c, mock.Options{Seed: 1, DisableAuth: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	u, _ := url.Parse(hs.URL)
	return u
}

// TestGenerateResolvesDynamicRequestSchemaOnTarget: test --generate looks
// a dynamic request-body schema up on the target it tests, through the
// runner (iManage Tracker's field_data from GetSchemaForFieldType), so the
// generated AddCustomField and UpdateSingleTaskField succeed instead of
// getting the mock's 400 dynamic-schema-mismatch.
func TestGenerateResolvesDynamicRequestSchemaOnTarget(t *testing.T) {
	t.Parallel()
	c := certified(t, "iManage Tracker")
	res, _, err := replay.New(c, replay.Options{Target: servedMock(t, c), Concurrency: 1}).RunGenerated(context.Background(), probe.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, cs := range res.Suite.Cases {
		if cs.Operation != "AddCustomField" && cs.Operation != "UpdateSingleTaskField" {
			continue
		}
		seen++
		if cs.Status != http.StatusOK || cs.Failed(contract.LevelWarning) {
			t.Errorf("%s: %d %v %.300s", cs.Operation, cs.Status, cs.Findings, cs.Replayed)
		}
	}
	if seen != 2 {
		t.Fatalf("%d cases for the two dependent operations, want 2", seen)
	}
}

// TestGenerateNotesUnresolvedDynamicSchema: a lookup the target fails is
// an info finding on the dependent's case; the part came from the static
// schema.
func TestGenerateNotesUnresolvedDynamicSchema(t *testing.T) {
	t.Parallel()
	c := certified(t, "iManage Tracker")
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(strings.ToLower(r.URL.Path), "schemaforfieldtype") {
			http.Error(w, "lookup down", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer hs.Close()
	u, _ := url.Parse(hs.URL)
	res, _, err := replay.New(c, replay.Options{Target: u, Concurrency: 1}).RunGenerated(context.Background(), probe.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, cs := range res.Suite.Cases {
		if cs.Operation != "AddCustomField" {
			continue
		}
		for _, f := range cs.Findings {
			if f.ID == replay.RequestDynamicUnresolved && f.Level == contract.LevelInfo && strings.Contains(f.Message, "GetSchemaForFieldType answered 503") {
				return
			}
		}
		t.Fatalf("AddCustomField findings %v, want an info %s naming the lookup's 503", cs.Findings, replay.RequestDynamicUnresolved)
	}
	t.Fatal("no AddCustomField case")
}

// TestReplayRegeneratesRedactedDynamicBody: the recording scrubs
// iManage Work for Admins' createUser body below create_password and the
// password_create_method its schema is looked up with (secret-named).
// Replay regenerates that part from the schema the target's lookup
// answers for the unredacted method; a value made for the static schema
// (untyped) or left as placeholders gets the mock's 400.
func TestReplayRegeneratesRedactedDynamicBody(t *testing.T) {
	t.Parallel()
	c := certified(t, "iManage Work for Admins")
	target := servedMock(t, c)
	op := c.Operation("CreateUser")
	req, err := probe.New(c, probe.Options{Seed: 1, Lookup: probe.HTTPLookup(http.DefaultClient, target.String())}).BuildContext(context.Background(), op)
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Notes) > 0 {
		t.Fatalf("building the recorded request: %v", req.Notes)
	}
	var body map[string]any
	if err := json.Unmarshal(req.Body, &body); err != nil {
		t.Fatal(err)
	}
	pw, _ := body["create_password"].(map[string]any)
	if len(pw) == 0 {
		t.Fatalf("create_password = %#v, want an object", body["create_password"])
	}
	for k := range pw {
		pw[k] = recordings.PlaceholderPrefix + "0123456789abcdef"
	}
	body["password_create_method"] = recordings.PlaceholderPrefix + "fedcba9876543210"
	rec, _ := json.Marshal(body)
	x := &recordings.Exchange{ID: 1, Source: recordings.SourceProxy, Connector: c.Name, OperationID: op.ID,
		Request:  recordings.Request{Method: req.Method, URL: req.Path, Message: recordings.Message{Header: req.Header, Body: rec}},
		Response: recordings.Response{Status: http.StatusOK, Message: recordings.Message{Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"data":{}}`)}}}
	res, err := replay.New(c, replay.Options{Target: target, Concurrency: 1}).Run(context.Background(), "s", []*recordings.Exchange{x})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Suite.Cases) != 1 {
		t.Fatalf("%d cases", len(res.Suite.Cases))
	}
	if cs := res.Suite.Cases[0]; cs.Status != http.StatusOK {
		t.Errorf("replayed createUser: %d %.300s", cs.Status, cs.Replayed)
	}
}

// TestReplayResponseSchemaFromMatchingLookup: a recording made the way
// the designer works holds several calls of one schema lookup, with the
// literals each reference sends (Meisterplan's GetProjectDynamicSchema:
// mode=CREATE_INPUT for the CreateProject body, mode=OUTPUT for
// ProjectResponse). A dynamic response is checked against the call whose
// literals its reference sends, not the first call: checked against the
// CREATE_INPUT schema, GetProjectById's answer got body-type-mismatch.
func TestReplayResponseSchemaFromMatchingLookup(t *testing.T) {
	t.Parallel()
	c := certified(t, "Meisterplan")
	target := servedMock(t, c)
	get := func(id int64, opID, path string) *recordings.Exchange {
		t.Helper()
		resp, err := http.Get(target.String() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body json.RawMessage
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
		}
		return &recordings.Exchange{ID: id, Source: recordings.SourceProxy, Connector: c.Name, OperationID: opID,
			Request:  recordings.Request{Method: http.MethodGet, URL: path},
			Response: recordings.Response{Status: http.StatusOK, Message: recordings.Message{Header: http.Header{"Content-Type": {"application/json"}}, Body: body}}}
	}
	xs := []*recordings.Exchange{
		get(1, "GetProjectDynamicSchema", "/v1/meta/project/dynamicSchema?mode=CREATE_INPUT"),
		get(2, "GetProjectDynamicSchema", "/v1/meta/project/dynamicSchema?mode=OUTPUT"),
		get(3, "GetProjectById", "/v1/scenarios/s1/projects/p1"),
	}
	res, err := replay.New(c, replay.Options{Target: target, Concurrency: 1}).Run(context.Background(), "s", xs)
	if err != nil {
		t.Fatal(err)
	}
	for _, cs := range res.Suite.Cases {
		if cs.Failed(contract.LevelWarning) {
			t.Errorf("%s: %v", cs.Name, cs.Findings)
		}
	}
}
