package policy

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

type respCase struct {
	name     string
	policies []string
	params   map[string]string
	opts     func(*Options)
	op       string
	in       *http.Request // the client's request; default GET http://127.0.0.1:8080/v1/items
	status   int
	header   map[string]string
	body     string
	gzip     bool

	wantBody   string // exact text (compact JSON when rewritten)
	wantHeader map[string]string
	wantNote   string
	wantUnauth bool
}

// upstreamResponse builds a response as http.Client returns it, served by
// a real httptest server.
func upstreamResponse(t *testing.T, status int, header map[string]string, body []byte) *http.Response {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/items", nil)
	req.Header.Set("Accept-Encoding", "gzip") // keep the encoding visible to the engine
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func runResponseCases(t *testing.T, tests []respCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := loadFixture(t, policies(tt.policies...))
			opts := Options{Params: tt.params}
			if tt.opts != nil {
				tt.opts(&opts)
			}
			e, fs := New(c, opts)
			for _, f := range fs {
				if f.Level.String() == "error" {
					t.Errorf("unexpected finding: %s", f)
				}
			}
			body := []byte(tt.body)
			hdr := map[string]string{"Content-Type": "application/json"}
			for k, v := range tt.header {
				hdr[k] = v
			}
			if tt.gzip {
				var b bytes.Buffer
				zw := gzip.NewWriter(&b)
				zw.Write(body)
				zw.Close()
				body = b.Bytes()
				hdr["Content-Encoding"] = "gzip"
			}
			status := tt.status
			if status == 0 {
				status = 200
			}
			resp := upstreamResponse(t, status, hdr, body)
			in := tt.in
			if in == nil {
				in = httptest.NewRequest("GET", "http://127.0.0.1:8080/v1/items?page=1", nil)
			}
			tr, err := e.Response(context.Background(), tt.op, in, resp)
			notes := strings.Join(tr.Notes(), "\n")
			if err != nil {
				t.Fatalf("Response: %v\n%s", err, notes)
			}
			got := readAll(t, resp.Body)
			if tt.wantBody != "" {
				want := tt.wantBody
				if got != want {
					t.Errorf("body = %s\nwant   %s\ntrace:\n%s", got, want, notes)
				}
			}
			if cl := resp.Header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(got)) {
				t.Errorf("Content-Length %s, body has %d bytes", cl, len(got))
			}
			for k, v := range tt.wantHeader {
				if g := resp.Header.Get(k); g != v {
					t.Errorf("header %s = %q, want %q", k, g, v)
				}
			}
			if tt.wantNote != "" && !strings.Contains(notes, tt.wantNote) {
				t.Errorf("trace does not mention %q:\n%s", tt.wantNote, notes)
			}
			if tr.Unauthenticated != tt.wantUnauth {
				t.Errorf("Unauthenticated = %v", tr.Unauthenticated)
			}
		})
	}
}

func TestUpdateNextLink(t *testing.T) {
	unl := func(name string) string {
		return policyJSON("updatenextlink", "next", map[string]any{"nextLinkPropertyName": name, "operations": []string{"ListItems"}})
	}
	gw, _ := url.Parse("https://gw.example/apim/conn/")
	runResponseCases(t, []respCase{
		{name: "odata next link onto the client's address", policies: []string{unl("@odata.nextLink")}, op: "ListItems",
			body:     `{"value":[1],"@odata.nextLink":"https://api.example.com/v1/items?$skiptoken=abc%3D&page=2"}`,
			wantBody: `{"value":[1],"@odata.nextLink":"http://127.0.0.1:8080/v1/items?$skiptoken=abc%3D&page=2"}`,
			wantNote: "next link @odata.nextLink → http://127.0.0.1:8080/v1/items?…"},
		{name: "explicit gateway", policies: []string{unl("nextLink")}, op: "ListItems", opts: func(o *Options) { o.Gateway = gw },
			body:     `{"nextLink":"https://api.example.com/v1/items?p=2"}`,
			wantBody: `{"nextLink":"https://gw.example/apim/conn/items?p=2"}`},
		{name: "dynamic host: its base path is stripped", op: "ListItems", params: map[string]string{"hostName": "t1"},
			policies: []string{policyJSON("dynamichosturl", "h", map[string]any{"urlTemplate": "https://@connectionParameters('hostName').iot.example/api"}), unl("nextLink")},
			body:     `{"nextLink":"https://t1.iot.example/api/devices?cursor=9"}`,
			wantBody: `{"nextLink":"http://127.0.0.1:8080/v1/devices?cursor=9"}`},
		{name: "relative next link", policies: []string{unl("nextLink")}, op: "ListItems",
			body: `{"nextLink":"/v1/items?p=3"}`, wantBody: `{"nextLink":"http://127.0.0.1:8080/v1/items?p=3"}`},
		{name: "foreign host keeps its path and says so", policies: []string{unl("nextLink")}, op: "ListItems",
			body: `{"nextLink":"https://cdn.other.example/page/2"}`, wantBody: `{"nextLink":"http://127.0.0.1:8080/v1/page/2"}`,
			wantNote: "is not the upstream"},
		{name: "last page has no link", policies: []string{unl("@odata.nextLink")}, op: "ListItems",
			body: `{"value": []}`, wantBody: `{"value": []}`, wantNote: "last page"},
		{name: "gzip body is decoded and sent plain", policies: []string{unl("nextLink")}, op: "ListItems", gzip: true,
			body: `{"nextLink":"https://api.example.com/v1/items?p=2"}`, wantBody: `{"nextLink":"http://127.0.0.1:8080/v1/items?p=2"}`,
			wantHeader: map[string]string{"Content-Encoding": ""}},
		{name: "TLS client request gives an https gateway", policies: []string{unl("nextLink")}, op: "ListItems",
			in:   httptest.NewRequest("GET", "https://localhost:8443/v1/items", nil),
			body: `{"nextLink":"https://api.example.com/v1/items?p=2"}`, wantBody: `{"nextLink":"https://localhost:8443/v1/items?p=2"}`},
		{name: "other operations untouched", policies: []string{unl("nextLink")}, op: "GetItem",
			body: `{"nextLink":"https://api.example.com/v1/items?p=2"}`, wantBody: `{"nextLink":"https://api.example.com/v1/items?p=2"}`},
	})
}

func TestResponseBodyTemplates(t *testing.T) {
	resp := func(template string, p map[string]any) string {
		p["section"] = "Response"
		return policyJSON(template, template, p)
	}
	runResponseCases(t, []respCase{
		{name: "convertobjecttoarray (Pushover)", op: "ListItems", policies: []string{resp("convertobjecttoarray", map[string]any{
			"propertyParentPath": "@body()", "propertySubPath": "sounds", "newPropertyPath": "@body().soundsArray", "keyName": "sound", "valueName": "description"})},
			body:     `{"sounds":{"pushover":"Pushover (default)","bike":"Bike"},"status":1}`,
			wantBody: `{"sounds":{"pushover":"Pushover (default)","bike":"Bike"},"status":1,"soundsArray":[{"sound":"pushover","description":"Pushover (default)"},{"sound":"bike","description":"Bike"}]}`},
		{name: "convertobjecttoarray of the whole body (CO2 Signal, subPath null)", op: "ListItems", policies: []string{resp("convertobjecttoarray", map[string]any{
			"propertyParentPath": "@body()", "propertySubPath": "null", "newPropertyPath": "@body().Zones", "keyName": "Name", "valueName": "Details"})},
			body:     `{"DE":{"zoneName":"Germany"},"FR":{"zoneName":"France"}}`,
			wantBody: `{"DE":{"zoneName":"Germany"},"FR":{"zoneName":"France"},"Zones":[{"Name":"DE","Details":{"zoneName":"Germany"}},{"Name":"FR","Details":{"zoneName":"France"}}]}`},
		{name: "convertarraytoobject without the key (docs example)", op: "ListItems", policies: []string{resp("convertarraytoobject", map[string]any{
			"propertyParentPath": "@body()", "propertySubPath": "peopleArray", "keyWithinCollectionPath": "Name", "newPropertyPath": "peopleObject", "retainKey": "false"})},
			body:     `{"peopleArray":[{"Name":"XYZ","Age":"30"},{"Name":"ABC","Age":"23"}]}`,
			wantBody: `{"peopleArray":[{"Name":"XYZ","Age":"30"},{"Name":"ABC","Age":"23"}],"peopleObject":{"XYZ":{"Age":"30"},"ABC":{"Age":"23"}}}`},
		{name: "convertarraytoobject keeps the key by default", op: "ListItems", policies: []string{resp("convertarraytoobject", map[string]any{
			"propertyParentPath": "@body()", "propertySubPath": "a", "keyWithinCollectionPath": "id", "newPropertyPath": "@body().a"})},
			body: `{"a":[{"id":1,"v":true}]}`, wantBody: `{"a":{"1":{"id":1,"v":true}}}`},
		{name: "stringreplace then setproperty with @item() (FreeAgent)", op: "ListItems", policies: []string{
			resp("stringreplace", map[string]any{"propertyParentPath": "@body().invoices", "propertySubPath": "url",
				"sourceString": "https://api.freeagent.com/v2/invoices/", "replacementString": "", "newPropertyPath": "@item().id"}),
			resp("setproperty", map[string]any{"newPropertyParentPathTemplate": "@body().invoices", "newPropertySubPathTemplate": "title",
				"propertyValuePathTemplate": "'{@item()['id']}-{@item()['reference']}'"})},
			body:     `{"invoices":[{"url":"https://api.freeagent.com/v2/invoices/17","reference":"INV-1"},{"url":"https://api.freeagent.com/v2/invoices/18","reference":"INV-2"}]}`,
			wantBody: `{"invoices":[{"url":"https://api.freeagent.com/v2/invoices/17","reference":"INV-1","id":"17","title":"17-INV-1"},{"url":"https://api.freeagent.com/v2/invoices/18","reference":"INV-2","id":"18","title":"18-INV-2"}]}`},
		{name: "stringreplace in place", op: "ListItems", policies: []string{resp("stringreplace", map[string]any{"propertyParentPath": "@body()", "propertySubPath": "u",
			"sourceString": "http://", "replacementString": "https://"})},
			body: `{"u":"http://a/http://b"}`, wantBody: `{"u":"https://a/https://b"}`},
		{name: "setproperty typed copy (iObeya next → nextLink)", op: "ListItems", policies: []string{resp("setproperty", map[string]any{
			"newPropertyParentPathTemplate": "@body()", "newPropertySubPathTemplate": "nextLink", "propertyValuePathTemplate": "{@body().next}"})},
			body: `{"next":"https://x/2","data":[]}`, wantBody: `{"next":"https://x/2","data":[],"nextLink":"https://x/2"}`},
		{name: "setproperty typed copy absent: not applied", op: "ListItems", policies: []string{resp("setproperty", map[string]any{
			"newPropertyParentPathTemplate": "@body()", "newPropertySubPathTemplate": "nextLink", "propertyValuePathTemplate": "{@body().next}"})},
			body: `{"data": []}`, wantBody: `{"data": []}`, wantNote: "is absent"},
		{name: "non-JSON body passes through", op: "ListItems", policies: []string{resp("setproperty", map[string]any{
			"newPropertyParentPathTemplate": "@body()", "newPropertySubPathTemplate": "x", "propertyValuePathTemplate": "1"})},
			header: map[string]string{"Content-Type": "text/plain"}, body: "hello", wantBody: "hello", wantNote: "not JSON"},
		{name: "brotli body passes through", op: "ListItems", policies: []string{resp("setproperty", map[string]any{
			"newPropertyParentPathTemplate": "@body()", "newPropertySubPathTemplate": "x", "propertyValuePathTemplate": "1"})},
			header: map[string]string{"Content-Encoding": "br"}, body: "\x0b\x02\x80{}\x03", wantBody: "\x0b\x02\x80{}\x03", wantNote: "br encoding is not supported",
			wantHeader: map[string]string{"Content-Encoding": "br"}},
	})
}

func TestResponseHeadersAndStatus(t *testing.T) {
	runResponseCases(t, []respCase{
		{name: "setheader on the response with a connection parameter (Airmeet)", op: "ListItems", params: map[string]string{"region": "api.eu"},
			policies: []string{policyJSON("setheader", "loc", map[string]any{"name": "Location", "value": "https://@connectionParameters('region')/prod/deregister",
				"existsAction": "override", "section": "Response", "operations": []string{"ListItems"}})},
			body: `{}`, wantHeader: map[string]string{"Location": "https://api.eu/prod/deregister"}},
		{name: "response setheader does not touch requests' section", op: "ListItems",
			policies: []string{policyJSON("setheader", "ct", map[string]any{"name": "content-type", "value": "application/json", "section": "Response"})},
			header:   map[string]string{"Content-Type": "text/html"}, body: `{}`, wantHeader: map[string]string{"Content-Type": "application/json"}},
		{name: "setconnectionstatustounauthenticated matches 401", op: "ListItems", status: 401,
			policies: []string{`{"templateId":"setconnectionstatustounauthenticated","title":"u","parameters":{"x-ms-apimTemplateParameter.statusCode":401}}`},
			body:     `{}`, wantUnauth: true, wantNote: "status 401"},
		{name: "setconnectionstatustounauthenticated ignores 200", op: "ListItems",
			policies: []string{`{"templateId":"setconnectionstatustounauthenticated","title":"u","parameters":{"x-ms-apimTemplateParameter.statusCode":401}}`},
			body:     `{}`, wantNote: "status 200 is not 401"},
	})
}

func TestResponseDoesNotReadBodyWithoutBodyPolicy(t *testing.T) {
	c := loadFixture(t, policies(policyJSON("setheader", "h", map[string]any{"name": "X-A", "value": "1", "section": "Response"})))
	e, _ := New(c, Options{})
	resp := &http.Response{StatusCode: 200, Header: http.Header{}, Body: failingBody{}}
	if _, err := e.Response(context.Background(), "ListItems", nil, resp); err != nil {
		t.Fatal(err)
	}
	if _, ok := resp.Body.(failingBody); !ok || resp.Header.Get("X-A") != "1" {
		t.Errorf("body replaced or header not set")
	}
}

func TestUpdateNextLinkWithoutGateway(t *testing.T) {
	c := loadFixture(t, policies(policyJSON("updatenextlink", "n", map[string]any{"nextLinkPropertyName": "nextLink"})))
	e, _ := New(c, Options{})
	resp := &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"nextLink":"https://api.example.com/v1/x"}`))}
	tr, err := e.Response(context.Background(), "ListItems", nil, resp)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(tr.Notes(), ""), "gateway URL is unknown") {
		t.Errorf("notes = %q", tr.Notes())
	}
}
