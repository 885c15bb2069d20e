package policy

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
)

// The policy engine runs on every proxied request, so its cost is compared
// with what the recording proxy pays anyway: httputil.ProxyRequest.SetURL
// on a cloned request.

func benchEngine(b *testing.B) *Engine {
	c := loadFixture(b, policies(
		policyJSON("dynamichosturl", "h", map[string]any{"urlTemplate": "https://@connectionParameters('hostName').example.net/api"}),
		policyJSON("setheader", "k", map[string]any{"name": "X-Api-Key", "value": "@connectionParameters('apiKey')", "existsAction": "override"}),
		policyJSON("setheader", "ua", map[string]any{"name": "User-Agent", "value": "PowerPlatform", "existsAction": "override"}),
		policyJSON("setqueryparameter", "f", map[string]any{"name": "format", "value": "json"}),
		policyJSON("routerequesttoendpoint", "r", map[string]any{"newPath": "/items/{id}", "httpMethod": "@Request.OriginalHTTPMethod", "operations": []string{"DeleteItemV2"}}),
	))
	e, _ := New(c, Options{Params: map[string]string{"hostName": "tenant", "apiKey": "k-123456"}})
	return e
}

func BenchmarkRequestPolicies(b *testing.B) {
	e := benchEngine(b)
	in := serverRequest("DELETE", "/v1/v2/items/42?x=1", "", map[string]string{"Accept": "application/json"})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		r := in.Clone(ctx)
		if _, err := e.Request(ctx, "DeleteItemV2", r, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRequestBaselineSetURL(b *testing.B) {
	target, _ := url.Parse("https://tenant.example.net/api")
	in := serverRequest("DELETE", "/v1/v2/items/42?x=1", "", map[string]string{"Accept": "application/json"})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		pr := &httputil.ProxyRequest{In: in, Out: in.Clone(ctx)}
		pr.SetURL(target)
	}
}

func BenchmarkResponseNextLink(b *testing.B) {
	c := loadFixture(b, policies(policyJSON("updatenextlink", "n", map[string]any{"nextLinkPropertyName": "@odata.nextLink"})))
	e, _ := New(c, Options{})
	body := `{"value":[` + strings.Repeat(`{"id":"0123456789","name":"item","n":12345},`, 99) + `{"id":"x"}],"@odata.nextLink":"https://api.example.com/v1/items?$skiptoken=abc"}`
	in := serverRequest("GET", "/v1/items", "", nil)
	in.Host = "127.0.0.1:8080"
	ctx := context.Background()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body))}
		if _, err := e.Response(ctx, "ListItems", in, resp); err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
	}
}

// BenchmarkBodyBaselineEncodingJSON is the peer for the body rewrite:
// encoding/json decoding the same body into map[string]any (losing key
// order) and encoding it again.
func BenchmarkBodyBaselineEncodingJSON(b *testing.B) {
	body := []byte(`{"value":[` + strings.Repeat(`{"id":"0123456789","name":"item","n":12345},`, 99) + `{"id":"x"}],"@odata.nextLink":"https://api.example.com/v1/items?$skiptoken=abc"}`)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			b.Fatal(err)
		}
		v.(map[string]any)["@odata.nextLink"] = "http://127.0.0.1:8080/v1/items?$skiptoken=abc"
		if _, err := json.Marshal(v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRequestSampleSetHeader is the recorder's common case: the
// sample connector (one setheader in the Request section; updatenextlink
// and pollingtrigger do not apply to GetOrder's request) with an explicit
// upstream, and the out-request as recordings/proxy.go builds it: a
// relative URL below the basePath.
func BenchmarkRequestSampleSetHeader(b *testing.B) {
	c, err := connector.Load(context.Background(), filepath.Join("..", "examples", "contoso-orders"))
	if err != nil {
		b.Fatal(err)
	}
	up, _ := url.Parse("http://127.0.0.1:9/v1")
	e, _ := New(c, Options{Upstream: up})
	in := serverRequest("GET", "/v1/orders/o-1?expand=lines", "", map[string]string{"Accept": "application/json"})
	ctx := context.Background()
	out := func() *http.Request {
		r := in.Clone(ctx)
		r.URL = &url.URL{Path: c.BasePath + "/orders/o-1", RawQuery: "expand=lines"}
		r.Host = ""
		return r
	}
	// What is measured must be the real thing: check it once.
	r := out()
	if _, err := e.Request(ctx, "GetOrder", r, nil); err != nil {
		b.Fatal(err)
	}
	if got := r.URL.String(); got != "http://127.0.0.1:9/v1/orders/o-1?expand=lines" || r.Header.Get("X-Client") != "connectorlab-sample" {
		b.Fatalf("URL %s, X-Client %q", got, r.Header.Get("X-Client"))
	}
	b.ReportAllocs()
	for b.Loop() {
		r := out()
		if _, err := e.Request(ctx, "GetOrder", r, nil); err != nil {
			b.Fatal(err)
		}
	}
}
