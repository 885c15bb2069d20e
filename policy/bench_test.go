package policy

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
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
