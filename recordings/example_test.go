package recordings_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/connectorlab/connectorlab/recordings"
)

// ExampleNewProxy records one exchange through the proxy into a Sink (a
// recordings/sqlite Store in real use).
func ExampleNewProxy() {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"path":%q,"key":%q}`, r.URL.Path, r.Header.Get("X-API-Key"))
	}))
	defer api.Close()
	var got *recordings.Exchange
	sink := recordings.SinkFunc(func(_ context.Context, x *recordings.Exchange) error { x.ID, got = 1, x; return nil })
	u, _ := url.Parse(api.URL + "/v1")
	p, err := recordings.NewProxy(recordings.ProxyOptions{
		Upstream: u, Sink: sink, SessionID: 1,
		Auth: func(r *http.Request) error { r.Header.Set("X-API-Key", "from-env"); return nil },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	front := httptest.NewServer(p)
	defer front.Close()
	resp, _ := http.Get(front.URL + "/orders")
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, string(body), resp.Header.Get(recordings.ExchangeHeader))
	fmt.Println(got.Request.Method, got.Response.Status, got.Request.Header.Get("X-API-Key") == "")
	// Output:
	// 200 {"path":"/v1/orders","key":"from-env"} 1
	// GET 200 true
}

// ExampleMatcher answers a request from recordings and explains a miss.
func ExampleMatcher() {
	recorded := []*recordings.Exchange{{
		ID: 7, OperationID: "GetOrder",
		Request:  recordings.Request{Method: "GET", URL: "http://127.0.0.1:4020/orders/o-1?expand=lines"},
		Response: recordings.Response{Status: 200, Message: recordings.Message{Body: []byte(`{"id":"o-1"}`)}},
	}}
	m := recordings.NewMatcher(recorded, recordings.MatchOptions{IgnoreQuery: []string{"cachebust"}})
	hit := m.Match("GetOrder", recordings.Request{Method: "GET", URL: "/orders/o-1?cachebust=3&expand=lines"})
	fmt.Println(hit.Matched(), hit.Exchange.ID)
	miss := m.Match("GetOrder", recordings.Request{Method: "GET", URL: "/orders/o-1?expand=none"})
	fmt.Println(miss.Problem().Message)
	// Output:
	// true 7
	// no recorded exchange matches this request; the closest is exchange 7, which differs in query.expand
}
