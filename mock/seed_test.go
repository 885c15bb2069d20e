package mock_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/internal/corpus"
	"github.com/connectorlab/connectorlab/mock"
)

// seedCase is one request to a real corpus connector in three spellings:
// as recorded, as a replay sends it (every value a recording redacts
// replaced, a JSON body re-encoded), and with an ordinary value changed.
type seedCase struct {
	connector, method, path string
	header, replayHeader    http.Header
	query, replayQuery      string
	body, replayBody        string
	// otherPath, otherQuery and otherBody change an ordinary value; when
	// one is set, the answer must then differ.
	otherPath, otherQuery, otherBody string
}

// TestMockSeedIgnoresRedactedValues is issue 12: the mock seeded each
// answer from the request, values the recorder redacts included, so a
// replay — which must send something else in their place — got another
// optional-field set and drift reported drift-field-absent on
// certified-connectors/Aquaforest PDF Connector (the expectedKeys body
// field) and Taktikal Core (the SequenceKey query parameter). The answer
// must not change with a redacted value and must change with any other.
func TestMockSeedIgnoresRedactedValues(t *testing.T) {
	t.Parallel()
	runSeedCases(t, map[string]seedCase{
		"redacted body field": {
			connector: "certified-connectors/Aquaforest PDF Connector", method: "POST", path: "/AquaforestPDFAPIV2/GetPageData",
			header:     http.Header{"Content-Type": {"application/json"}},
			body:       `{"expectedKeys": "Invoice Number", "fileContent": "dGVzdA==", "pageRange": "1"}`,
			replayBody: `{"expectedKeys":"REDACTED-substitute","fileContent":"dGVzdA==","pageRange":"1"}`,
			// No control: the answer is all dynamic schema, generated per
			// lookup key (expectedKeys, hidden, and a literal), not per request.
		},
		"redacted query parameter": {
			connector: "certified-connectors/Taktikal Core", method: "DELETE", path: "/api/management/signing/sequential",
			header: http.Header{"Accept": {"application/json"}},
			query:  "SequenceKey=seq-recorded&User=ann%40example.com", replayQuery: "User=ann%40example.com&SequenceKey=seq-substitute",
			otherQuery: "SequenceKey=seq-recorded&User=bob%40example.com",
		},
	})
}

// TestMockDynamicSchemaIgnoresRedactedValues is the GISCloud half of
// issue 12: its feature schema is x-ms-dynamic-schema from GetLayer,
// whose parameters map the API-Key header. The recorder redacts that
// header and the replay sends another key, so keying the resolved schema
// by it answered the replayed GetFeatures with other fields
// (drift-field-absent×4). The schema must follow the layer, not the key.
func TestMockDynamicSchemaIgnoresRedactedValues(t *testing.T) {
	t.Parallel()
	runSeedCases(t, map[string]seedCase{
		"redacted header mapped to a schema lookup": {
			connector: "certified-connectors/GISCloud", method: "GET", path: "/1/layers/77700/features.json",
			header: http.Header{"API-Key": {"key-as-recorded"}}, replayHeader: http.Header{"API-Key": {"key-the-replay-sends"}},
			otherPath: "/1/layers/77701/features.json",
		},
	})
}

func runSeedCases(t *testing.T, cases map[string]seedCase) {
	t.Helper()
	root := corpus.Root(t)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := connector.Load(context.Background(), filepath.Join(root, tc.connector))
			if err != nil {
				t.Fatal(err)
			}
			srv, err := mock.New(c, mock.Options{Seed: 12, DisableAuth: true})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			hs := httptest.NewServer(srv)
			defer hs.Close()
			or := func(v, def string) string {
				if v == "" {
					return def
				}
				return v
			}
			recorded := answer(t, hs.URL, tc.method, tc.path, tc.query, tc.body, tc.header)
			h := tc.header
			if tc.replayHeader != nil {
				h = tc.replayHeader
			}
			replayed := answer(t, hs.URL, tc.method, tc.path, or(tc.replayQuery, tc.query), or(tc.replayBody, tc.body), h)
			if recorded != replayed {
				t.Errorf("a redacted value changed the answer:\nrecorded %s\nreplayed %s", recorded, replayed)
			}
			if tc.otherPath == "" && tc.otherQuery == "" && tc.otherBody == "" {
				return
			}
			other := answer(t, hs.URL, tc.method, or(tc.otherPath, tc.path), or(tc.otherQuery, tc.query), or(tc.otherBody, tc.body), tc.header)
			if other == recorded {
				t.Errorf("an ordinary value did not change the answer: %s", other)
			}
		})
	}
}

// answer sends one request and returns its 200 body.
func answer(t *testing.T, base, method, path, query, body string, h http.Header) string {
	t.Helper()
	u := base + path
	if query != "" {
		u += "?" + query
	}
	req, err := http.NewRequest(method, u, bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range h {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %s", method, u, resp.StatusCode, b)
	}
	return string(b)
}
