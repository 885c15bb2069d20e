package admin

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// nopBackend answers every call with nothing, successfully.
type nopBackend struct{}

func (nopBackend) Connectors() []Connector                          { return nil }
func (nopBackend) Subscriptions(string) ([]Subscription, error)     { return nil, nil }
func (nopBackend) RemoveSubscription(string) bool                   { return true }
func (nopBackend) Unsubscribe(string, string) bool                  { return false }
func (nopBackend) Cursors(string) ([]Cursor, error)                 { return nil, nil }
func (nopBackend) Fire(context.Context, Fire) ([]FireResult, error) { return nil, nil }
func (nopBackend) Deliveries(string) ([]Delivery, error)            { return nil, nil }
func (nopBackend) Reset(string) error                               { return nil }
func (nopBackend) Scenario(string) (Scenario, error)                { return Scenario{}, nil }
func (nopBackend) SetScenario(string, Scenario) error               { return nil }
func (nopBackend) Faults(string) (json.RawMessage, error)           { return json.RawMessage(`{}`), nil }
func (nopBackend) SetFaults(string, json.RawMessage) error          { return nil }

const testToken = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func newAdmin(t *testing.T) (*Handler, *httptest.Server) {
	t.Helper()
	h, err := NewHandler(nopBackend{}, testToken)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return h, srv
}

var wildcard = regexp.MustCompile(`\{[^}]+\}`)

// TestEveryRouteNeedsTheToken walks the route table (not a hand-kept
// list, so a route added later is covered too) and sends each route every
// way a caller without the token might try: no header, a wrong token, the
// token in the query or as a Basic password, a WebSocket upgrade. All must
// get 401; with the token but a foreign Host (DNS rebinding) 403; with the
// token and a loopback Host the route must be reached (not 404/405), which
// proves the walk built real requests.
func TestEveryRouteNeedsTheToken(t *testing.T) {
	h, srv := newAdmin(t)
	if len(h.patterns) < 12 {
		t.Fatalf("only %d routes registered: %v", len(h.patterns), h.patterns)
	}
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	send := func(method, path, host string, hdr http.Header, body string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if host != "" {
			req.Host = host
		}
		for k, v := range hdr {
			req.Header[k] = v
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	bearer := http.Header{"Authorization": {"Bearer " + testToken}}
	for _, p := range h.patterns {
		method, path, _ := strings.Cut(p, " ")
		path = wildcard.ReplaceAllString(path, "x")
		body := ""
		if method == "POST" || method == "PUT" {
			body = "{}"
		}
		t.Run(p, func(t *testing.T) {
			for name, hdr := range map[string]http.Header{
				"no token":          {},
				"wrong token":       {"Authorization": {"Bearer " + strings.Repeat("0", len(testToken))}},
				"token prefix":      {"Authorization": {"Bearer " + testToken[:10]}},
				"empty bearer":      {"Authorization": {"Bearer "}},
				"basic with token":  {"Authorization": {"Basic " + "YWRtaW46" + testToken}},
				"websocket upgrade": {"Connection": {"Upgrade"}, "Upgrade": {"websocket"}, "Sec-Websocket-Version": {"13"}, "Sec-Websocket-Key": {"dGhlIHNhbXBsZSBub25jZQ=="}},
				"cookie":            {"Cookie": {"token=" + testToken}},
			} {
				if resp := send(method, path, "", hdr, body); resp.StatusCode != 401 {
					t.Errorf("%s: %d, want 401", name, resp.StatusCode)
				}
			}
			if resp := send(method, path+"?token="+testToken+"&access_token="+testToken, "", nil, body); resp.StatusCode != 401 {
				t.Errorf("token in the query: %d, want 401", resp.StatusCode)
			}
			for _, host := range []string{"evil.test", "evil.test:" + itoa(port), "127.0.0.1.evil.test", "localhost.evil.test", "10.0.0.5", "0.0.0.0"} {
				if resp := send(method, path, host, bearer, body); resp.StatusCode != 403 {
					t.Errorf("Host %s with the token: %d, want 403", host, resp.StatusCode)
				}
			}
			for _, host := range []string{"127.0.0.1:" + itoa(port), "localhost:" + itoa(port), "[::1]:" + itoa(port)} {
				resp := send(method, path, host, bearer, body)
				if resp.StatusCode == 401 || resp.StatusCode == 403 || resp.StatusCode == 404 && !strings.Contains(p, "{") || resp.StatusCode == 405 {
					t.Errorf("Host %s with the token: %d, want the route to answer", host, resp.StatusCode)
				}
			}
		})
	}
	// The capability URL needs no token (a flow engine holds only the
	// URL) but is still behind the Host check.
	if resp := send("DELETE", UnsubscribePath+"x?key=y", "evil.test", nil, ""); resp.StatusCode != 403 {
		t.Errorf("capability URL under a foreign Host: %d, want 403", resp.StatusCode)
	}
	// A path no route serves is a 401 too: the API's shape is not
	// revealed to a caller without the token.
	if resp := send("GET", "/v1/nope", "", nil, ""); resp.StatusCode != 401 {
		t.Errorf("unknown path without a token: %d, want 401", resp.StatusCode)
	}
}

// TestAdminGrantsNoCrossOrigin: no answer of the admin API, preflight or
// not, with or without the token, carries an Access-Control-Allow-*
// header, so a web page the developer visits can neither send the token
// (preflight fails) nor read an answer.
func TestAdminGrantsNoCrossOrigin(t *testing.T) {
	h, srv := newAdmin(t)
	for _, p := range append([]string{"OPTIONS /v1/health", "OPTIONS " + UnsubscribePath + "x"}, h.patterns...) {
		method, path, _ := strings.Cut(p, " ")
		path = wildcard.ReplaceAllString(path, "x")
		for _, withToken := range []bool{false, true} {
			for _, origin := range []string{"https://evil.test", "null", "http://127.0.0.1:4010"} {
				req, _ := http.NewRequest(method, srv.URL+path, nil)
				req.Header.Set("Origin", origin)
				if method == "OPTIONS" {
					req.Header.Set("Access-Control-Request-Method", "POST")
					req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
				}
				if withToken {
					req.Header.Set("Authorization", "Bearer "+testToken)
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				for k := range resp.Header {
					if strings.HasPrefix(strings.ToLower(k), "access-control-") {
						t.Errorf("%s %s (Origin %s, token %v): answered %s: %v", method, path, origin, withToken, k, resp.Header[k])
					}
				}
				if method == "OPTIONS" && !withToken && resp.StatusCode < 400 {
					t.Errorf("preflight %s from %s: %d, want a refusal", path, origin, resp.StatusCode)
				}
			}
		}
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
