package mock

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/mock/admin"
)

// TestAdminAPI drives the admin API over HTTP against a real Hub and mock
// server: token and Host checks, every route, and the errors each returns.
func TestAdminAPI(t *testing.T) {
	c := contosoOrders(t)
	hub := NewHub(nil)
	s, err := New(c, Options{Seed: 9, DisableAuth: true, Name: "contoso", PowerPlatform: PowerPlatformOptions{Hub: hub, AllowPrivateCallbacks: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	api := httptest.NewServer(s)
	defer api.Close()
	hub.SetURL("contoso", api.URL)
	h, err := admin.NewHandler(hub, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	adm := httptest.NewServer(h)
	defer adm.Close()
	hub.SetAdminURL(adm.URL)
	if _, err := admin.NewHandler(hub, ""); err == nil {
		t.Error("NewHandler accepted an empty token")
	}
	auth := map[string]string{"Authorization": "Bearer s3cret"}

	for _, tc := range []struct {
		name, method, path, body string
		header                   map[string]string
		want                     int
		contains                 string
	}{
		{"no token", "GET", "/v1/health", "", nil, 401, "admin token"},
		{"wrong token", "GET", "/v1/health", "", map[string]string{"Authorization": "Bearer nope"}, 401, "admin token"},
		{"non-loopback Host", "GET", "/v1/health", "", map[string]string{"Authorization": "Bearer s3cret", "Host": "evil.example"}, 403, "loopback"},
		{"health", "GET", "/v1/health", "", auth, 200, `"ok": true`},
		{"connectors", "GET", "/v1/connectors", "", auth, 200, `"OnNewOrder"`},
		{"triggers of one", "GET", "/v1/triggers?connector=contoso", "", auth, 200, `"OnOrderShipped"`},
		{"triggers of unknown", "GET", "/v1/triggers?connector=nope", "", auth, 404, "no connector"},
		{"subscriptions of unknown", "GET", "/v1/subscriptions?connector=nope", "", auth, 404, "serving contoso"},
		{"fire unknown trigger", "POST", "/v1/fire", `{"operationId":"Nope"}`, auth, 404, "OnNewOrder"},
		{"fire bad body", "POST", "/v1/fire", `{"operation":"x"}`, auth, 400, "unknown field"},
		// Regression: an unknown subscription answered 500.
		{"fire unknown subscription", "POST", "/v1/fire", `{"operationId":"OnOrderShipped","subscriptionId":"nope"}`, auth, 404, "unknown subscription"},
		{"fire polling", "POST", "/v1/fire", `{"operationId":"OnNewOrder","count":2}`, auth, 200, `"OnNewOrder": 2`},
		{"fire idle webhook", "POST", "/v1/fire", `{"operationId":"OnOrderShipped"}`, auth, 200, `"idle"`},
		{"cursors", "GET", "/v1/cursors", "", auth, 200, "["},
		{"scenario unknown op", "PUT", "/v1/scenario?connector=contoso", `{"operations":{"Nope":{"code":404}}}`, auth, 400, "Nope"},
		{"scenario set", "PUT", "/v1/scenario?connector=contoso", `{"operations":{"GetOrder":{"code":404}}}`, auth, 200, "GetOrder"},
		{"scenario get", "GET", "/v1/scenario?connector=contoso", "", auth, 200, `"code": 404`},
		{"faults bad", "PUT", "/v1/faults?connector=contoso", `{"errorRate": 2}`, auth, 400, "between 0 and 1"},
		{"faults unknown field", "PUT", "/v1/faults?connector=contoso", `{"rate": 1}`, auth, 400, "unknown field"},
		{"faults not JSON", "PUT", "/v1/faults?connector=contoso", `latency`, auth, 400, "JSON object"},
		// Regression: a fault for an unknown operation was accepted (204) and never fired.
		{"faults unknown operation", "PUT", "/v1/faults?connector=contoso", `{"operations": {"GetOrdr": {"errorRate": 1}}}`, auth, 400, `operation \"GetOrdr\"`},
		{"faults off", "PUT", "/v1/faults?connector=contoso", `{}`, auth, 204, ""},
		{"remove unknown subscription", "DELETE", "/v1/subscriptions/nope", "", auth, 404, "nope"},
		{"capability URL wrong key", "DELETE", "/v1/unsubscribe/nope?key=x", "", nil, 404, "with that key"},
		{"reset", "POST", "/v1/reset", `{"connector":"contoso"}`, auth, 204, ""},
		{"reset unknown", "POST", "/v1/reset", `{"connector":"nope"}`, auth, 404, "no connector"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, adm.URL+tc.path, strings.NewReader(tc.body))
			for k, v := range tc.header {
				if k == "Host" {
					req.Host = v
					continue
				}
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var b strings.Builder
			buf := make([]byte, 8192)
			for {
				n, err := resp.Body.Read(buf)
				b.Write(buf[:n])
				if err != nil {
					break
				}
			}
			if resp.StatusCode != tc.want || !strings.Contains(b.String(), tc.contains) {
				t.Fatalf("%s %s: %d %s, want %d containing %q", tc.method, tc.path, resp.StatusCode, b.String(), tc.want, tc.contains)
			}
			if resp.StatusCode == 401 && resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if resp.Header.Get("Cache-Control") != "no-store" {
				t.Error("admin answers must not be cached")
			}
		})
	}

	// The scenario set above applies to requests without Prefer.
	if a := ppDo(t, "GET", api.URL+"/v1/orders/3f9c1c1e-9a1b-4c1d-8e2f-0a1b2c3d4e5f", "", nil); a.status != 404 {
		t.Errorf("GetOrder under the scenario answered %d, want 404", a.status)
	}
}

// TestAdminCapabilityUnsubscribe: a webhook whose connector declares no
// unsubscribe operation gets the admin API's capability URL as Location;
// a DELETE on it (no token, as a flow engine would send) removes it.
func TestAdminCapabilityUnsubscribe(t *testing.T) {
	dir := t.TempDir()
	def := `{"swagger": "2.0", "info": {"title": "Hooks", "version": "1"}, "host": "api.example.com", "basePath": "/",
	 "schemes": ["https"], "consumes": ["application/json"], "produces": ["application/json"],
	 "paths": {"/subscribe": {
	   "x-ms-notification-content": {"schema": {"type": "object", "properties": {"event": {"type": "string"}}}},
	   "post": {"operationId": "OnEvent", "x-ms-trigger": "single", "parameters": [{"in": "body", "name": "body", "schema": {"type": "object",
	     "properties": {"url": {"type": "string", "x-ms-notification-url": true}}}}], "responses": {"200": {"description": "ok"}}}}}}`
	if err := os.WriteFile(filepath.Join(dir, "apiDefinition.swagger.json"), []byte(def), 0o644); err != nil {
		t.Fatal(err)
	}
	hub := NewHub(nil)
	s, err := New(loadDir(t, dir), Options{DisableAuth: true, Name: "hooks", PowerPlatform: PowerPlatformOptions{Hub: hub, AllowPrivateCallbacks: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	api := httptest.NewServer(s)
	defer api.Close()
	h, _ := admin.NewHandler(hub, "tok")
	adm := httptest.NewServer(h)
	defer adm.Close()
	hub.SetAdminURL(adm.URL)
	rcv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer rcv.Close()
	a := ppDo(t, "POST", api.URL+"/subscribe", `{"url":"`+rcv.URL+`"}`, nil)
	loc := a.header.Get("Location")
	if a.status != 200 || !strings.HasPrefix(loc, adm.URL+admin.UnsubscribePath) || !strings.Contains(loc, "key=") {
		t.Fatalf("subscribe: %d Location %q", a.status, loc)
	}
	if d := ppDo(t, "DELETE", loc, "", nil); d.status != 204 {
		t.Fatalf("DELETE %s: %d %s", loc, d.status, d.raw)
	}
	if d := ppDo(t, "DELETE", loc, "", nil); d.status != 404 {
		t.Fatalf("second DELETE: %d", d.status)
	}
	subs, _ := hub.Subscriptions("hooks")
	if len(subs) != 0 {
		t.Fatalf("subscriptions left: %+v", subs)
	}
}

// TestAdminTokenFile: the token file is private to the user and round-trips.
func TestAdminTokenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "admin", "4000.json")
	if err := admin.WriteTokenFile(path, admin.TokenFile{URL: "http://127.0.0.1:4000", Token: "abc", PID: 42}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file mode %v, %v", fi.Mode(), err)
	}
	tf, err := admin.ReadTokenFile(path)
	if err != nil || tf.Token != "abc" || tf.URL != "http://127.0.0.1:4000" || tf.SchemaVersion != 1 {
		t.Fatalf("read back %+v, %v", tf, err)
	}
	if _, err := admin.ReadTokenFile(filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), admin.TokenEnv) {
		t.Fatalf("missing file error %v should name %s", err, admin.TokenEnv)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	_ = os.WriteFile(bad, []byte(`{"schemaVersion": 2}`), 0o600)
	if _, err := admin.ReadTokenFile(bad); err == nil {
		t.Fatal("a token file of another schemaVersion was accepted")
	}
}

// TestAdminFaultsRefuseWhatCannotBeAnswered (beyond the list): PUT
// /v1/faults took {"errorRate":1,"errorStatus":101}, making every answer
// an informational 101 (the protocol switch Prefer code=101 caused), and
// negative or endless latencies; now each is refused with 400, also per
// operation.
func TestAdminFaultsRefuseWhatCannotBeAnswered(t *testing.T) {
	t.Parallel()
	hub := NewHub(nil)
	if _, err := New(loadSample(t), Options{DisableAuth: true, Name: "contoso", PowerPlatform: PowerPlatformOptions{Hub: hub}}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{
		`{"errorRate":1,"errorStatus":101}`,
		`{"errorRate":1,"errorStatus":200}`,
		`{"latency":-1}`,
		`{"latency":9000000000000000000}`,
		`{"operations":{"GetOrder":{"errorRate":1,"errorStatus":103}}}`,
	} {
		if err := hub.SetFaults("", json.RawMessage(f)); !errors.Is(err, admin.ErrInvalid) {
			t.Errorf("faults %s: %v, want ErrInvalid", f, err)
		}
	}
	if err := hub.SetFaults("", json.RawMessage(`{"errorRate":0.5,"errorStatus":503}`)); err != nil {
		t.Fatalf("valid faults refused: %v", err)
	}
}
