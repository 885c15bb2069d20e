package recordings_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
)

// TestProxyKeepsClientOnProxy: links the upstream hands out (a polling
// Location, a Link header, next links in the body, also JSON-escaped)
// point at the proxy, the client follows them through it and both calls
// are recorded; the upstream learns the client's view from
// X-Forwarded-Host/Proto/For.
func TestProxyKeepsClientOnProxy(t *testing.T) {
	var mu sync.Mutex
	var fwd []http.Header
	var upURL string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		fwd = append(fwd, r.Header.Clone())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("page") == "2" {
			io.WriteString(w, `{"value":[{"id":"2"}]}`)
			return
		}
		w.Header().Set("Location", upURL+"/api/v2/poll?cursor=1")
		w.Header().Set("Content-Location", upURL+"/api/v2/items")
		w.Header().Set("Link", `<`+upURL+`/api/v2/items?page=2>; rel="next", <https://other.example/x>; rel="help"`)
		io.WriteString(w, `{"value":[{"id":"1","self":"`+strings.ReplaceAll(upURL, "/", `\/`)+`\/api\/v2\/items\/1"}],"@odata.nextLink":"`+upURL+`/api/v2/items?page=2","other":"https://other.example/api/v2","prefixOnly":"`+upURL+`/apix/v2"}`)
	}))
	defer up.Close()
	upURL = up.URL
	sink := &memSink{}
	proxy := newProxy(t, up.URL+"/api/v2", recordings.ProxyOptions{Sink: sink, BasePath: "/v2"})

	resp, err := http.Get(proxy.URL + "/v2/items")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := proxy.URL + "/v2"
	if got := resp.Header.Get("Location"); got != want+"/poll?cursor=1" {
		t.Errorf("Location = %q, want it on the proxy", got)
	}
	if got := resp.Header.Get("Content-Location"); got != want+"/items" {
		t.Errorf("Content-Location = %q", got)
	}
	if got := resp.Header.Get("Link"); got != `<`+want+`/items?page=2>; rel="next", <https://other.example/x>; rel="help"` {
		t.Errorf("Link = %q", got)
	}
	for _, s := range []string{`"@odata.nextLink":"` + want + `/items?page=2"`, `"self":"` + strings.ReplaceAll(want, "/", `\/`) + `\/items\/1"`,
		`"other":"https://other.example/api/v2"`, `"prefixOnly":"` + up.URL + `/apix/v2"`} {
		if !strings.Contains(string(body), s) {
			t.Errorf("body lacks %s:\n%s", s, body)
		}
	}
	// The client follows the next link: through the proxy, recorded.
	next := want + "/items?page=2"
	resp, err = http.Get(next)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(sink.xs) != 2 || !strings.Contains(sink.xs[1].Request.URL, "page=2") {
		t.Fatalf("recorded %d exchanges, want both pages", len(sink.xs))
	}
	if !strings.Contains(string(sink.xs[0].Response.Body), want+"/items?page=2") {
		t.Errorf("the recording keeps the upstream's link, not what the client got: %s", sink.xs[0].Response.Body)
	}
	h := fwd[0]
	if h.Get("X-Forwarded-Host") != strings.TrimPrefix(proxy.URL, "http://") || h.Get("X-Forwarded-Proto") != "http" || h.Get("X-Forwarded-For") != "127.0.0.1" {
		t.Errorf("forwarded headers: host %q proto %q for %q", h.Get("X-Forwarded-Host"), h.Get("X-Forwarded-Proto"), h.Get("X-Forwarded-For"))
	}
}
