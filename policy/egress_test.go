package policy

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestSideCallRedirectKeepsCredentials (plan X3): setvaluefromurl's side
// call carries the request's headers — the connection's credentials
// among them — to the URL the connector names. A redirect from there to
// another origin must not carry them along: Go's client drops only
// Authorization and Cookie, and only across domains (127.0.0.1:A to
// 127.0.0.1:B is the "same" domain to it), so an API key header would
// reach whatever host the redirect names.
func TestSideCallRedirectKeepsCredentials(t *testing.T) {
	const key = "CANARY-KEY-93ab"
	var mu sync.Mutex
	var leaked []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		for k, vs := range r.Header {
			for _, v := range vs {
				if strings.Contains(v, key) {
					leaked = append(leaked, k)
				}
			}
		}
		mu.Unlock()
		fmt.Fprint(w, `{"team":{"id":"T-1"}}`)
	}))
	defer other.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/team":
			http.Redirect(w, r, other.URL+"/collect", http.StatusFound)
		case "/moved":
			http.Redirect(w, r, "/team-here", http.StatusFound) // same origin: followed
		case "/team-here":
			fmt.Fprint(w, `{"team":{"id":"T-2"}}`)
		}
	}))
	defer api.Close()

	for _, tc := range []struct {
		path, want string
		refused    bool
	}{
		{"/team", "", true},
		{"/moved", "T-2", false},
	} {
		t.Run(tc.path, func(t *testing.T) {
			c := loadFixture(t, policies(
				policyJSON("setheader", "key", map[string]any{"name": "X-Api-Key", "value": "@connectionParameters('apiKey')", "existsAction": "override", "section": "Request"}),
				policyJSON("setheader", "auth", map[string]any{"name": "Authorization", "value": "Bearer @connectionParameters('apiKey')", "existsAction": "override", "section": "Request"}),
				policyJSON("setvaluefromurl", "svu", map[string]any{"parameterTemplate": "@headers('TeamId')", "httpMethod": "GET",
					"parameterValueUrl": api.URL + tc.path, "parameterValuePathTemplate": "@body().team.id"})))
			eng, _ := New(c, Options{Params: map[string]string{"apiKey": key}})
			r := serverRequest("GET", "/v1/items", "", map[string]string{"Cookie": "sid=" + key})
			_, err := eng.Request(context.Background(), "ListItems", r, nil)
			if tc.refused {
				if err == nil || !strings.Contains(err.Error(), "redirect") {
					t.Errorf("a cross-origin redirect of the side call: err %v, want a refusal naming the redirect", err)
				}
			} else if err != nil || r.Header.Get("TeamId") != tc.want {
				t.Errorf("a same-origin redirect: err %v, TeamId %q, want %q", err, r.Header.Get("TeamId"), tc.want)
			}
		})
	}
	if len(leaked) > 0 {
		t.Fatalf("credentials reached the redirect target in headers %v", leaked)
	}
}
