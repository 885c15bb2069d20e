package policy

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func pollingPolicy(cfg any, dataPath string, ops ...string) string {
	p := map[string]any{"triggerConfig": cfg, "triggerDataPath": dataPath}
	if len(ops) > 0 {
		p["operations"] = ops
	}
	return policyJSON("pollingtrigger", "poll", p)
}

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestPollingTrigger(t *testing.T) {
	c := loadFixture(t, policies(pollingPolicy(map[string]any{"after": "@{triggerBody().files[0].created}", "per_page": "1"}, "@triggerBody().files", "PollItems")))
	e, fs := New(c, Options{})
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	pt := e.PollingTrigger("PollItems")
	if pt == nil || len(e.PollingTriggers()) != 1 || e.PollingTrigger("pollitems") != pt {
		t.Fatalf("trigger not found: %+v", e.PollingTriggers())
	}
	if pt.ItemsPath != "@triggerBody().files" || pt.Items.String() != "@triggerBody().files" || len(pt.State) != 2 {
		t.Fatalf("trigger = %+v", pt)
	}
	for _, sp := range pt.State {
		f, ok := pt.ItemField(sp)
		switch sp.Name {
		case "after":
			if !ok || !slices.Equal(f, []string{"created"}) {
				t.Errorf("ItemField(after) = %v, %v", f, ok)
			}
		case "per_page":
			if ok {
				t.Errorf("ItemField(per_page) = %v for a literal", f)
			}
		}
	}
	if got := pt.Cursor(url.Values{"after": {"2024-01-01"}, "other": {"x"}}); !reflect.DeepEqual(got, map[string]string{"after": "2024-01-01"}) {
		t.Errorf("Cursor = %v", got)
	}

	body := decode(t, `{"files":[{"id":"b","created":"2024-02-02"},{"id":"a","created":"2024-02-01"}],"total":2}`)
	items, ok := pt.ItemsIn(body)
	if !ok || len(items) != 2 || items[0].(map[string]any)["id"] != "b" {
		t.Errorf("ItemsIn = %v %v", items, ok)
	}
	if got := pt.Next(body); got.Get("after") != "2024-02-02" || got.Get("per_page") != "1" {
		t.Errorf("Next = %v", got)
	}
	// No items: the cursor is left out (keep the current one); literals stay.
	if got := pt.Next(decode(t, `{"files":[]}`)); got.Has("after") || got.Get("per_page") != "1" {
		t.Errorf("Next(empty) = %v", got)
	}
	built, err := pt.SetItems(nil, []any{map[string]any{"id": "c", "created": "2024-03-01"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := pt.Next(built); got.Get("after") != "2024-03-01" {
		t.Errorf("Next(SetItems) = %v from %v", got, built)
	}
	replaced, err := pt.SetItems(decode(t, `{"files":[{"id":"old"}],"total":1}`), []any{})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(replaced); string(b) != `{"files":[],"total":1}` {
		t.Errorf("SetItems = %s", b)
	}

	// pollingtrigger is not a request transform.
	r := serverRequest("GET", "/v1/trigger/poll?after=x", "", nil)
	tr, err := e.Request(context.Background(), "PollItems", r, nil)
	if err != nil || len(tr.Steps) != 0 {
		t.Errorf("Request: %v, steps %q", err, tr.Notes())
	}
}

func TestPollingTriggerFindings(t *testing.T) {
	tests := []struct {
		name   string
		policy string
		want   []string
		active bool
	}{
		{"empty key (The Events Calendar)", pollingPolicy(map[string]any{"": "1"}, "@triggerBody().events", "PollItems"), []string{"policy-parameter-invalid"}, true},
		{"config as a JSON string", pollingPolicy(`{"after": "@{triggerBody().files[0].created}"}`, "@triggerBody().files", "PollItems"), nil, true},
		{"state parameter the operation lacks", pollingPolicy(map[string]any{"since": "@{triggerBody().files[0].created}"}, "@triggerBody().files", "PollItems"),
			[]string{"policy-trigger-parameter-unknown"}, true},
		{"bound to a non-trigger", pollingPolicy(map[string]any{"page": "1"}, "@triggerBody().x", "ListItems"), []string{"policy-trigger-not-trigger"}, true},
		{"data path missing", pollingPolicy(map[string]any{"after": "1"}, "", "PollItems"), []string{"policy-parameter-missing"}, false},
		{"data path not below triggerBody", pollingPolicy(map[string]any{"after": "1"}, "@headers('x')", "PollItems"), []string{"policy-parameter-invalid"}, false},
		{"config not an object", pollingPolicy([]any{1}, "@triggerBody().x", "PollItems"), []string{"policy-parameter-invalid"}, false},
		{"config uses another function", pollingPolicy(map[string]any{"after": "@{body().x}"}, "@triggerBody().x", "PollItems"), []string{"policy-parameter-invalid"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, fs := New(loadFixture(t, policies(tt.policy)), Options{})
			if got := findingIDs(fs); !slices.Equal(got, tt.want) {
				t.Errorf("findings = %q, want %q (%v)", got, tt.want, fs)
			}
			if active := len(e.PollingTriggers()) > 0; active != tt.active {
				t.Errorf("trigger recorded = %v, want %v", active, tt.active)
			}
		})
	}
}

func TestBaseURL(t *testing.T) {
	c := loadFixture(t, policies(
		policyJSON("dynamichosturl", "all", map[string]any{"urlTemplate": "https://@connectionParameters('hostName')/api/"}),
		policyJSON("dynamichosturl", "orders", map[string]any{"urlTemplate": "https://orders.@headers('Instance').example", "operations": []string{"GetItem"}}),
	))
	e, _ := New(c, Options{Params: map[string]string{"hostName": "h.example"}})
	u, err := e.BaseURL("", nil)
	if err != nil || u.String() != "https://h.example/api" {
		t.Errorf("BaseURL(\"\") = %v, %v", u, err)
	}
	r := newReq(t, "GET", "http://127.0.0.1:8080/v1/items/1", map[string]string{"Instance": "acme"})
	if u, err := e.BaseURL("GetItem", r); err != nil || u.String() != "https://orders.acme.example" {
		t.Errorf("BaseURL(GetItem) = %v, %v", u, err)
	}
	if r.URL.Host != "127.0.0.1:8080" {
		t.Errorf("BaseURL changed its argument: %s", r.URL)
	}

	plain := loadFixture(t, "[]")
	e2, _ := New(plain, Options{})
	if u, err := e2.BaseURL("GetItem", nil); err != nil || u.String() != "https://api.example.com/v1" {
		t.Errorf("BaseURL without policies = %v, %v", u, err)
	}
	plain.Host = ""
	e3, _ := New(plain, Options{})
	if _, err := e3.BaseURL("GetItem", nil); !errors.Is(err, ErrNoUpstream) {
		t.Errorf("BaseURL without host: %v", err)
	}
	e4, _ := New(c, Options{})
	if _, err := e4.BaseURL("", nil); !errors.Is(err, ErrMissingParameter) || !strings.Contains(err.Error(), "hostName") {
		t.Errorf("BaseURL without the parameter: %v", err)
	}
}

func newReq(t *testing.T, method, target string, header map[string]string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		r.Header.Set(k, v)
	}
	return r
}
