package policy

import (
	"context"
	"os"
	"strings"
	"testing"
)

// TestTemplatePayloadsAreInert (plan X5): the payload shapes of the
// MockServer/Hoverfly/Log4Shell advisories as policy values, in a
// request header a client sends, and as a connection parameter. The
// engine has no function that reads the environment, files or runs
// anything: no value may come back holding the canary from the
// environment or the result of a command.
func TestTemplatePayloadsAreInert(t *testing.T) {
	const canary = "CANARY-ENV-7d1f"
	t.Setenv("CONNECTORLAB_CANARY", canary)
	t.Setenv("CANARY", canary)
	payloads := []string{
		"${jndi:ldap://127.0.0.1:1/x}", "${env:CANARY}", "${CANARY}", "$CANARY", "%CANARY%",
		`{{env "CANARY"}}`, "{{.Env.CANARY}}", "@{env('CANARY')}", "@env('CANARY')", "@environment('CANARY')",
		"#set($r=$class.forName('java.lang.Runtime'))$r.getRuntime().exec('id')", "$(id)", "`id`",
		"@connectionParameters('../../../etc/passwd')", "@headers('X-Evil')", "@{headers('X-Evil')}",
		"@queryParameters('q')", "@body()", "@file('/etc/passwd')", "@readFile('/etc/passwd')",
	}
	var items []string
	for i, p := range payloads {
		items = append(items, policyJSON("setheader", "p", map[string]any{"name": "X-P" + string(rune('a'+i)), "value": p, "existsAction": "override", "section": "Request"}))
	}
	c := loadFixture(t, policies(items...))
	// Unknown functions are findings and those policies never run; the
	// rest run with these parameter values, taken as text.
	eng, _ := New(c, Options{Params: map[string]string{"username": "${env:CANARY}", "hostName": "$(id)", "../../../etc/passwd": "just-a-name"}})
	applied := 0
	for _, p := range payloads {
		r := serverRequest("GET", "/v1/items/1?q="+strings.ReplaceAll(p, " ", "%20"), "", map[string]string{"X-Evil": p, "Instance": p})
		if _, err := eng.Request(context.Background(), "GetItem", r, map[string]string{"id": "1"}); err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if r.Header.Get("X-Pa") == payloads[0] {
			applied++ // the first payload is set as the literal text it is
		}
		for k, vs := range r.Header {
			for _, v := range vs {
				if strings.Contains(v, canary) || strings.Contains(v, "uid=") || strings.Contains(v, "root:") {
					t.Errorf("header %s = %q: a payload was evaluated", k, v)
				}
			}
		}
		if strings.Contains(r.URL.String(), canary) {
			t.Errorf("URL %s carries the canary", r.URL)
		}
	}
	if applied == 0 {
		t.Fatal("no request went through the policies: the test saw nothing")
	}
	if os.Getenv("CANARY") != canary {
		t.Fatal("environment changed")
	}
}
