package probe_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/internal/corpus"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/probe"
)

// served loads a corpus connector and serves its mock on 127.0.0.1.
func served(t *testing.T, name string) (*connector.Connector, *httptest.Server) {
	t.Helper()
	c, err := connector.Load(context.Background(), filepath.Join(corpus.Root(t), "certified-connectors", name))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := mock.New(c, mock.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return c, hs
}

// send builds op's request with opts and sends it to base.
func send(t *testing.T, c *connector.Connector, base, opID string, opts probe.Options) (*probe.Request, int, string) {
	t.Helper()
	op := c.Operation(opID)
	if op == nil {
		t.Fatalf("%s has no operation %s", c.Name, opID)
	}
	req, err := probe.New(c, opts).BuildContext(context.Background(), op)
	if err != nil {
		t.Fatal(err)
	}
	hr, err := req.HTTP(context.Background(), base)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return req, resp.StatusCode, string(body)
}

// TestGenerateResolvesDynamicRequestSchema: a request body part declared
// with x-ms-dynamic-schema (iManage's field_data, aliasInfo,
// create_password: untyped statically, so generated as a string) is built
// from the schema its lookup answers on the target, with the parameters
// the extension maps (field_type from the body, the literal
// schemaContext), as the designer builds it. The mock resolves the same
// schema and accepts the body; from the static schema it answers 400
// dynamic-schema-mismatch.
func TestGenerateResolvesDynamicRequestSchema(t *testing.T) {
	t.Parallel()
	cases := []struct {
		connector, op, part string
	}{
		{"iManage Tracker", "AddCustomField", "field_data"},
		{"iManage Tracker", "UpdateSingleTaskField", "field_data"},
		{"iManage Work for Admins", "CreateCustomOrPropertyLookup", "aliasInfo"},
		{"iManage Work for Admins", "CreateUser", "create_password"},
		{"iManage Work for Admins", "UpdateCustomField", "aliasInfo"},
	}
	for _, tc := range cases {
		t.Run(tc.connector+"/"+tc.op, func(t *testing.T) {
			t.Parallel()
			c, hs := served(t, tc.connector)
			tok, err := probe.FetchToken(context.Background(), http.DefaultClient, hs.URL)
			if err != nil {
				t.Fatal(err)
			}
			creds := probe.Credentials{BearerToken: tok}

			// From the static schema: the mock's resolved schema refuses it.
			req, status, body := send(t, c, hs.URL, tc.op, probe.Options{Seed: 1, Credentials: creds})
			if status != http.StatusBadRequest || !strings.Contains(body, "dynamic-schema-mismatch") {
				t.Fatalf("without a lookup: got %d %.300s, want 400 dynamic-schema-mismatch (the case no longer shows the bug)", status, body)
			}
			if len(req.Notes) == 0 || !strings.Contains(req.Notes[0], "static schema") {
				t.Errorf("without a lookup: notes %q, want one saying the part came from the static schema", req.Notes)
			}

			// Looked up on the target: accepted.
			var asked []*probe.Request
			viaMock := probe.HTTPLookup(http.DefaultClient, hs.URL)
			lookup := func(ctx context.Context, r *probe.Request) (int, []byte, error) {
				asked = append(asked, r)
				return viaMock(ctx, r)
			}
			req, status, body = send(t, c, hs.URL, tc.op, probe.Options{Seed: 1, Credentials: creds, Lookup: lookup})
			if status != http.StatusOK {
				t.Fatalf("with the lookup: got %d %.300s; body sent %s", status, body, req.Body)
			}
			if len(req.Notes) != 0 {
				t.Errorf("with the lookup: notes %q, want none", req.Notes)
			}
			var sent map[string]any
			if err := json.Unmarshal(req.Body, &sent); err != nil {
				t.Fatal(err)
			}
			if _, ok := sent[tc.part].(map[string]any); !ok {
				t.Errorf("%s = %#v, want an object built from the resolved schema", tc.part, sent[tc.part])
			}
			// The lookup got the values the extension maps from this body.
			if len(asked) != 1 {
				t.Fatalf("%d lookups, want 1", len(asked))
			}
			var ref *connector.DynamicRef
			for i, d := range c.Operation(tc.op).Dynamic {
				if d.Target == "body/"+tc.part && d.Kind == connector.DynamicProperties {
					ref = &c.Operation(tc.op).Dynamic[i]
				}
			}
			if ref == nil {
				t.Fatalf("%s has no x-ms-dynamic-properties on body/%s", tc.op, tc.part)
			}
			for name, p := range ref.Parameters {
				want := ""
				switch {
				case p.Parameter != "":
					want, _ = sent[p.Parameter].(string)
				case p.ParameterReference != "":
					want, _ = sent[strings.TrimPrefix(p.ParameterReference, "body/")].(string)
				default:
					want, _ = p.Value.(string)
				}
				if got := asked[0].Query.Get(name); got != want {
					t.Errorf("lookup %s?%s=%q, want %q", asked[0].Operation.ID, name, got, want)
				}
			}

			// The conformance sweep looks the schema up the same way.
			for _, r := range probe.Sweep(context.Background(), c, hs.URL, http.DefaultClient, probe.SweepOptions{Token: true, Builder: probe.Options{Seed: 1}}) {
				if r.OperationID == tc.op && !r.Pass() {
					t.Errorf("sweep %s: %s %s", tc.op, r.Class, r.Reason)
				}
			}
		})
	}
}

// TestGenerateDynamicLookupFailureFallsBack: when the target's lookup
// fails, the part comes from the static schema and the request says why.
func TestGenerateDynamicLookupFailureFallsBack(t *testing.T) {
	t.Parallel()
	c, _ := served(t, "iManage Tracker")
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no such lookup", http.StatusNotFound)
	}))
	defer down.Close()
	req, err := probe.New(c, probe.Options{Seed: 1, Lookup: probe.HTTPLookup(http.DefaultClient, down.URL)}).BuildContext(context.Background(), c.Operation("AddCustomField"))
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Notes) != 1 || !strings.Contains(req.Notes[0], "GetSchemaForFieldType answered 404") || !strings.Contains(req.Notes[0], "static schema") {
		t.Errorf("notes %q, want one naming the lookup's 404 and the static-schema fallback", req.Notes)
	}
}

// TestDynamicRequestSchemaSameAcrossMocks: the schema the mock validates a
// dynamic body part against is a function of its seed and the mapped
// values, not of its history: a body built from mock A's lookup answer is
// accepted by a fresh mock B (same seed) whose lookup was never called, as
// a replay against a new mock process sees it.
func TestDynamicRequestSchemaSameAcrossMocks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ connector, op string }{
		{"iManage Tracker", "AddCustomField"},
		{"iManage Work for Admins", "CreateUser"},
	} {
		c, a := served(t, tc.connector)
		_, b := served(t, tc.connector)
		op := c.Operation(tc.op)
		ta, _ := probe.FetchToken(context.Background(), http.DefaultClient, a.URL)
		req, err := probe.New(c, probe.Options{Seed: 7, Credentials: probe.Credentials{BearerToken: ta}, Lookup: probe.HTTPLookup(http.DefaultClient, a.URL)}).BuildContext(context.Background(), op)
		if err != nil {
			t.Fatal(err)
		}
		tb, _ := probe.FetchToken(context.Background(), http.DefaultClient, b.URL)
		req.Header.Set("Authorization", "Bearer "+tb)
		hr, _ := req.HTTP(context.Background(), b.URL)
		resp, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s built from mock A, sent to mock B: %d %.300s", tc.op, resp.StatusCode, body)
		}
	}
}

// TestGenerateDynamicSchemaMustFitStatic: a lookup answer that is no
// schema (a plain record, as a mock with its Power Platform behaviours off
// answers), or a schema whose values the definition's own node refuses
// (profileProperties is declared an object; the answer says string), is
// not used: the part comes from the static schema, with a note. Found by
// the simulation conformance sweep (DeskDirector, monday, LawVu, ...
// answered 422 "value must be an object").
func TestGenerateDynamicSchemaMustFitStatic(t *testing.T) {
	t.Parallel()
	c, _ := served(t, "iManage Work for Admins")
	for _, tc := range []struct{ answer, note string }{
		{`{"data":{"type":"string"}}`, "does not fit the definition's own declaration of body/profileProperties"},
		{`{"data":{"name":"Filing","id":7}}`, "holds no JSON schema at \"/data\""},
		{`[1,2]`, "has nothing at \"/data\""},
	} {
		lookup := func(context.Context, *probe.Request) (int, []byte, error) {
			return http.StatusOK, []byte(tc.answer), nil
		}
		req, err := probe.New(c, probe.Options{Seed: 1, Lookup: lookup}).BuildContext(context.Background(), c.Operation("AddFolder"))
		if err != nil {
			t.Fatal(err)
		}
		var sent map[string]any
		if err := json.Unmarshal(req.Body, &sent); err != nil {
			t.Fatal(err)
		}
		if len(req.Notes) != 1 || !strings.Contains(req.Notes[0], tc.note) {
			t.Errorf("answer %s: notes %q, want one saying %q", tc.answer, req.Notes, tc.note)
		}
		if _, ok := sent["profileProperties"].(map[string]any); !ok && sent["profileProperties"] != nil {
			t.Errorf("answer %s: profileProperties = %#v, want the static object", tc.answer, sent["profileProperties"])
		}
	}
}
