package policy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
)

type reqCase struct {
	name       string
	policies   []string
	params     map[string]string
	opts       func(*Options)
	op         string
	method     string
	target     string
	header     map[string]string
	body       string
	pathParams map[string]string

	wantURL    string
	wantMethod string
	wantHeader map[string]string // "" means absent
	wantValues map[string][]string
	wantBody   string // compact JSON, or raw text when not JSON
	wantNote   string // substring of the joined trace notes
	wantErr    string // substring of the error
	wantErrIs  error
}

func runRequestCases(t *testing.T, tests []reqCase) {
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
				if f.Level.String() == "error" && tt.wantErr == "" && tt.wantNote == "" {
					t.Errorf("unexpected finding: %s", f)
				}
			}
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			r := serverRequest(method, tt.target, tt.body, tt.header)
			tr, err := e.Request(context.Background(), tt.op, r, tt.pathParams)
			notes := strings.Join(tr.Notes(), "\n")
			if tt.wantErr != "" || tt.wantErrIs != nil {
				if err == nil {
					t.Fatalf("no error; trace:\n%s", notes)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %q does not contain %q", err, tt.wantErr)
				}
				if tt.wantErrIs != nil && !errors.Is(err, tt.wantErrIs) {
					t.Errorf("error %v is not %v", err, tt.wantErrIs)
				}
				var pe *Error
				if !errors.As(err, &pe) && !errors.Is(err, ErrNoUpstream) {
					t.Errorf("error %T is not a *policy.Error", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Request: %v\ntrace:\n%s", err, notes)
			}
			if tt.wantURL != "" && r.URL.String() != tt.wantURL {
				t.Errorf("URL = %s, want %s\ntrace:\n%s", r.URL, tt.wantURL, notes)
			}
			if tt.wantURL != "" && r.Host != r.URL.Host {
				t.Errorf("Host = %q, want %q", r.Host, r.URL.Host)
			}
			if tt.wantMethod != "" && r.Method != tt.wantMethod {
				t.Errorf("Method = %s, want %s", r.Method, tt.wantMethod)
			}
			for k, v := range tt.wantHeader {
				if got := r.Header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q\ntrace:\n%s", k, got, v, notes)
				}
			}
			for k, v := range tt.wantValues {
				if got := r.Header.Values(k); !slices.Equal(got, v) {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if tt.wantBody != "" {
				got := readAll(t, r.Body)
				want := tt.wantBody
				if strings.HasPrefix(want, "{") || strings.HasPrefix(want, "[") {
					want = compactJSON(t, want)
				}
				if got != want {
					t.Errorf("body = %s\nwant   %s\ntrace:\n%s", got, want, notes)
				}
				if r.ContentLength != int64(len(got)) {
					t.Errorf("ContentLength = %d, body has %d bytes", r.ContentLength, len(got))
				}
				if r.GetBody != nil {
					rc, _ := r.GetBody()
					if again := readAll(t, rc); again != got {
						t.Errorf("GetBody gives %q, Body gave %q", again, got)
					}
				}
			}
			if tt.wantNote != "" && !strings.Contains(notes, tt.wantNote) {
				t.Errorf("trace notes do not mention %q:\n%s", tt.wantNote, notes)
			}
		})
	}
}

func TestDynamicHostURL(t *testing.T) {
	dyn := func(tmpl string, extra ...map[string]any) string {
		p := map[string]any{"urlTemplate": tmpl}
		for _, m := range extra {
			for k, v := range m {
				p[k] = v
			}
		}
		return policyJSON("dynamichosturl", "host", p)
	}
	runRequestCases(t, []reqCase{
		{name: "connection parameter host with static parts", policies: []string{dyn("https://@connectionParameters('hostName').example.net/api")},
			params: map[string]string{"hostName": "tenant"}, op: "GetItem", target: "/v1/items/42?x=1",
			wantURL: "https://tenant.example.net/api/items/42?x=1", wantNote: "host URL → https://tenant.example.net/api"},
		{name: "value without scheme gets the connector's", policies: []string{dyn("@connectionParameters('hostName')")},
			params: map[string]string{"hostName": "h.example"}, op: "GetItem", target: "/v1/items/42",
			wantURL: "https://h.example/items/42"},
		{name: "full URL with trailing slash", policies: []string{dyn("@connectionParameters('hostName')/")},
			params: map[string]string{"hostName": "http://h.example:8080/base/"}, op: "ListItems", target: "/v1/items",
			wantURL: "http://h.example:8080/base/items"},
		{name: "case-insensitive function and parameter names (ConnectionParameters('HOSTNAME'))", policies: []string{dyn("https://@ConnectionParameters('HOSTNAME')")},
			params: map[string]string{"hostName": "h.example"}, op: "GetItem", target: "/v1/items/1", wantURL: "https://h.example/items/1"},
		{name: "token: parameter", policies: []string{dyn("https://mail.zoho@connectionParameters('token:customHost')")},
			params: map[string]string{"token:customHost": ".eu"}, op: "GetItem", target: "/v1/items/1", wantURL: "https://mail.zoho.eu/items/1"},
		{name: "header expression", policies: []string{dyn("https://@headers('Instance').executestrategy.net/api/v2")},
			op: "GetItem", target: "/v1/items/1", header: map[string]string{"Instance": "acme"},
			wantURL: "https://acme.executestrategy.net/api/v2/items/1"},
		{name: "query expression keeps the query", policies: []string{dyn("https://@queryParameters('host')/xcent")},
			op: "ListItems", target: "/v1/items?host=q.example&page=2", wantURL: "https://q.example/xcent/items?host=q.example&page=2"},
		{name: "expression default when the parameter is absent", policies: []string{dyn("@connectionParameters('siteUrl','https://default.example')")},
			op: "GetItem", target: "/v1/items/1", wantURL: "https://default.example/items/1"},
		{name: "declared defaultValue", policies: []string{dyn("https://@connectionParameters('region').api.example")},
			op: "GetItem", target: "/v1/items/1", wantURL: "https://eu.api.example/items/1"},
		{name: "caller value wins over defaultValue", policies: []string{dyn("https://@connectionParameters('region').api.example")},
			params: map[string]string{"region": "us"}, op: "GetItem", target: "/v1/items/1", wantURL: "https://us.api.example/items/1"},
		{name: "literal template", policies: []string{dyn("https://api.lucidtech.ai/v1")},
			op: "GetItem", target: "/v1/items/1", wantURL: "https://api.lucidtech.ai/v1/items/1"},
		{name: "scoped to another operation: not applied", policies: []string{dyn("https://other.example", map[string]any{"operations": []string{"CreateItem"}})},
			op: "GetItem", target: "/v1/items/1", wantURL: "https://api.example.com/v1/items/1"},
		{name: "scoped operation matches case-insensitively", policies: []string{dyn("https://other.example", map[string]any{"operations": []string{"getitem"}})},
			op: "GetItem", target: "/v1/items/1", wantURL: "https://other.example/items/1"},
		{name: "later policy wins (declared order)", policies: []string{dyn("https://first.example"), dyn("https://second.example/x")},
			op: "GetItem", target: "/v1/items/1", wantURL: "https://second.example/x/items/1"},
		{name: "explicit upstream overrides", policies: []string{dyn("https://@connectionParameters('hostName')")},
			opts: func(o *Options) { o.Upstream, _ = url.Parse("http://127.0.0.1:9999/stage/") }, op: "GetItem", target: "/v1/items/1",
			wantURL: "http://127.0.0.1:9999/stage/items/1", wantNote: "upstream URL was given explicitly"},
		{name: "absolute request URL keeps its host without policies", op: "GetItem", target: "http://mock.local:8080/v1/items/1",
			wantURL: "http://mock.local:8080/v1/items/1"},
		{name: "query in the host URL (dox42)", policies: []string{dyn("https://@headers('domainname')/dox42RestService.ashx?@headers('querystring')")},
			op: "GetItem", target: "/v1/items/1?b=2", header: map[string]string{"domainname": "d.example", "querystring": "a=1"},
			wantURL: "https://d.example/dox42RestService.ashx/items/1?a=1&b=2"},
		{name: "missing connection parameter", policies: []string{dyn("https://@connectionParameters('hostName')")},
			op: "GetItem", target: "/v1/items/1", wantErrIs: ErrMissingParameter,
			wantErr: `policy dynamichosturl "host" (`},
		{name: "empty parameter gives no host", policies: []string{dyn("https://@connectionParameters('hostName')")},
			params: map[string]string{"hostName": ""}, op: "GetItem", target: "/v1/items/1", wantErr: "has no host"},
	})
}

func TestDynamicHostURLErrorNamesPolicyAndExpression(t *testing.T) {
	c := loadFixture(t, policies(policyJSON("dynamichosturl", "host", map[string]any{"urlTemplate": "https://@connectionParameters('hostName')/api"})))
	e, _ := New(c, Options{})
	_, err := e.Request(context.Background(), "GetItem", serverRequest("GET", "/v1/items/1", "", nil), nil)
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v", err)
	}
	if pe.Pointer != "/properties/policyTemplateInstances/0/parameters/x-ms-apimTemplateParameter.urlTemplate" {
		t.Errorf("Pointer = %q", pe.Pointer)
	}
	if pe.Expr != "https://@connectionParameters('hostName')/api" || pe.Template != "dynamichosturl" {
		t.Errorf("Expr = %q, Template = %q", pe.Expr, pe.Template)
	}
	for _, want := range []string{"apiProperties.json#/properties/policyTemplateInstances/0", `"hostName"`, "Host name", "supply a value"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestRouteRequestToEndpoint(t *testing.T) {
	route := func(path, method string, ops ...string) string {
		p := map[string]any{"newPath": path}
		if method != "" {
			p["httpMethod"] = method
		}
		if len(ops) > 0 {
			p["operations"] = ops
		}
		return policyJSON("routerequesttoendpoint", "route", p)
	}
	runRequestCases(t, []reqCase{
		{name: "placeholder from the request path, original method", policies: []string{route("/items/{id}", "@Request.OriginalHTTPMethod", "DeleteItemV2")},
			op: "DeleteItemV2", method: "DELETE", target: "/v1/v2/items/7?force=1", wantURL: "https://api.example.com/v1/items/7?force=1", wantMethod: "DELETE",
			wantNote: "path → /items/7"},
		{name: "escaped path parameter is kept escaped", policies: []string{route("/items/{id}", "", "DeleteItemV2")},
			op: "DeleteItemV2", method: "DELETE", target: "/v1/v2/items/a%2Fb", wantURL: "https://api.example.com/v1/items/a%2Fb"},
		{name: "OData-style placeholder", policies: []string{route("/v2/me/tasks('{task_id}')/complete", "POST", "GetTask")},
			op: "GetTask", target: "/v1/me/tasks('T1')", wantURL: "https://api.example.com/v1/v2/me/tasks('T1')/complete", wantMethod: "POST",
			wantNote: "method GET → POST"},
		{name: "explicit pathParams win", policies: []string{route("/items/{id}", "", "DeleteItemV2")},
			op: "DeleteItemV2", method: "DELETE", target: "/v1/v2/items/7", pathParams: map[string]string{"id": "x y"}, wantURL: "https://api.example.com/v1/items/x%20y"},
		{name: "expressions in the path are escaped", policies: []string{route("/users/@connectionParameters('username')/graphs/@queryParameters('page')", "")},
			params: map[string]string{"username": "ann lee"}, op: "ListItems", target: "/v1/items?page=p/1",
			wantURL: "https://api.example.com/v1/users/ann%20lee/graphs/p%2F1?page=p/1"},
		{name: "literal %40 stays, method literal", policies: []string{route("/%40@connectionParameters('username')", "delete")},
			params: map[string]string{"username": "ann"}, op: "GetItem", method: "GET", target: "/v1/items/1", wantURL: "https://api.example.com/v1/%40ann", wantMethod: "DELETE"},
		{name: "relative newPath gets a slash", policies: []string{route("v1.0/users/{id}/check", "")},
			op: "GetItem", target: "/v1/items/9", wantURL: "https://api.example.com/v1/v1.0/users/9/check"},
		{name: "newPath with a query", policies: []string{route("/search?kind=item", "")},
			op: "ListItems", target: "/v1/items?page=2", wantURL: "https://api.example.com/v1/search?page=2&kind=item"},
		{name: "with dynamichosturl: path below the new host URL", policies: []string{
			policyJSON("dynamichosturl", "h", map[string]any{"urlTemplate": "https://@connectionParameters('hostName').atlassian.net/rest/api/"}),
			route("/2/issue/{id}", "@Request.OriginalHTTPMethod")},
			params: map[string]string{"hostName": "acme"}, op: "GetItem", target: "/v1/items/ABC-1", wantURL: "https://acme.atlassian.net/rest/api/2/issue/ABC-1"},
		{name: "unknown placeholder is left as written", policies: []string{route("/x/{nope}", "")},
			op: "GetItem", target: "/v1/items/1", wantURL: "https://api.example.com/v1/x/%7Bnope%7D", wantNote: "{nope} has no value"},
	})
}

func TestSetHeader(t *testing.T) {
	sh := func(name, value, action string) string {
		p := map[string]any{"name": name, "value": value, "section": "Request"}
		if action != "" {
			p["existsAction"] = action
		}
		return policyJSON("setheader", "h", p)
	}
	runRequestCases(t, []reqCase{
		{name: "override adds", policies: []string{sh("X-Api-Client", "PowerPlatform", "override")}, op: "GetItem", target: "/v1/items/1",
			wantHeader: map[string]string{"X-Api-Client": "PowerPlatform"}, wantNote: `header X-Api-Client = "PowerPlatform" (override)`},
		{name: "override replaces, case-insensitively", policies: []string{sh("content-type", "application/json", "override")}, op: "GetItem", target: "/v1/items/1",
			header: map[string]string{"Content-Type": "text/plain"}, wantValues: map[string][]string{"Content-Type": {"application/json"}}},
		{name: "default action is override", policies: []string{sh("Accept", "application/pdf", "")}, op: "GetItem", target: "/v1/items/1",
			header: map[string]string{"Accept": "*/*"}, wantHeader: map[string]string{"Accept": "application/pdf"}},
		{name: "append", policies: []string{sh("X-Tag", "b", "append")}, op: "GetItem", target: "/v1/items/1",
			header: map[string]string{"X-Tag": "a"}, wantValues: map[string][]string{"X-Tag": {"a", "b"}}},
		{name: "skip when present", policies: []string{sh("X-Tag", "b", "skip")}, op: "GetItem", target: "/v1/items/1",
			header: map[string]string{"X-Tag": "a"}, wantHeader: map[string]string{"X-Tag": "a"}, wantNote: "present; skipped"},
		{name: "skip sets when absent", policies: []string{sh("X-Tag", "b", "skip")}, op: "GetItem", target: "/v1/items/1",
			wantHeader: map[string]string{"X-Tag": "b"}},
		{name: "secret parameter is redacted in the trace", policies: []string{sh("Authorization", "Bearer @connectionParameters('apiKey')", "override")},
			params: map[string]string{"apiKey": "s3cr3t-key"}, op: "GetItem", target: "/v1/items/1",
			wantHeader: map[string]string{"Authorization": "Bearer s3cr3t-key"}, wantNote: "header Authorization = <redacted> (override)"},
		{name: "header copied from another header", policies: []string{sh("Authorization", "DeepL-Auth-Key @headers('Authorization')", "override")},
			op: "GetItem", target: "/v1/items/1", header: map[string]string{"Authorization": "abc"}, wantHeader: map[string]string{"Authorization": "DeepL-Auth-Key abc"}},
		{name: "two connection parameters", policies: []string{sh("X-Combo", "@connectionParameters('username','');@connectionParameters('hostName','')", "")},
			params: map[string]string{"username": "u"}, op: "GetItem", target: "/v1/items/1", wantHeader: map[string]string{"X-Combo": "u;"}},
		{name: "invalid header name is reported and not applied", policies: []string{sh("[[Dummy]]", "[[Dummy]]", "override")}, op: "GetItem", target: "/v1/items/1",
			wantNote: "not a valid HTTP header name"},
	})
}

func TestSetQueryParameter(t *testing.T) {
	sq := func(name, value, action string, ops ...string) string {
		p := map[string]any{"name": name, "value": value}
		if action != "" {
			p["existsAction"] = action
		}
		if len(ops) > 0 {
			p["operations"] = ops
		}
		return policyJSON("setqueryparameter", "q", p)
	}
	runRequestCases(t, []reqCase{
		{name: "adds after the client's, which keep their spelling", policies: []string{sq("format", "json", "override")}, op: "ListItems",
			target: "/v1/items?b=2&a=x%2Cy", wantURL: "https://api.example.com/v1/items?b=2&a=x%2Cy&format=json"},
		{name: "override replaces in place", policies: []string{sq("page", "9", "override")}, op: "ListItems",
			target: "/v1/items?page=1&z=0&page=2", wantURL: "https://api.example.com/v1/items?page=9&z=0"},
		{name: "skip keeps the client's", policies: []string{sq("page", "9", "skip")}, op: "ListItems",
			target: "/v1/items?page=1", wantURL: "https://api.example.com/v1/items?page=1"},
		{name: "append", policies: []string{sq("page", "9", "append")}, op: "ListItems",
			target: "/v1/items?page=1", wantURL: "https://api.example.com/v1/items?page=1&page=9"},
		{name: "encoded name and OData value", policies: []string{sq("%24filter", "IsArchived eq false", "")}, op: "ListItems",
			target: "/v1/items", wantURL: "https://api.example.com/v1/items?%24filter=IsArchived+eq+false"},
		{name: "value from a secret connection parameter is redacted in the trace URL", policies: []string{sq("api_username", "@connectionParameters('apiKey')", "")},
			params: map[string]string{"apiKey": "k-123456"}, op: "ListItems", target: "/v1/items",
			wantURL: "https://api.example.com/v1/items?api_username=k-123456", wantNote: "query api_username = <redacted>"},
		{name: "JSON value with a query expression", policies: []string{sq("criterias", `[{"lhs":"sender","rhs":"@queryParameters('page')"}]`, "override")},
			op: "ListItems", target: "/v1/items?page=bob",
			wantURL: "https://api.example.com/v1/items?page=bob&criterias=%5B%7B%22lhs%22%3A%22sender%22%2C%22rhs%22%3A%22bob%22%7D%5D"},
	})
}

func TestSetPropertyRequest(t *testing.T) {
	sp := func(parent, sub, value string) string {
		return policyJSON("setproperty", "p", map[string]any{"newPropertyParentPathTemplate": parent, "newPropertySubPathTemplate": sub,
			"propertyValuePathTemplate": value, "section": "Request", "operations": []string{"CreateItem"}})
	}
	runRequestCases(t, []reqCase{
		{name: "JSON array literal", policies: []string{sp("@body()", "topics", `["matter.created"]`)}, op: "CreateItem", method: "POST",
			target: "/v1/items", body: `{"url":"https://cb","b":1}`, wantBody: `{"url":"https://cb","b":1,"topics":["matter.created"]}`},
		{name: "string literal, body() without @", policies: []string{sp("body()", "type", "card")}, op: "CreateItem", method: "POST",
			target: "/v1/items", body: `{"title":"x"}`, wantBody: `{"title":"x","type":"card"}`},
		{name: "number literal stays a string (documented)", policies: []string{sp("@body()", "age", "30")}, op: "CreateItem", method: "POST",
			target: "/v1/items", body: `{}`, wantBody: `{"age":"30"}`},
		{name: "wrap a value in an array", policies: []string{sp("@body()", "payments", "[{@body().payments}]")}, op: "CreateItem", method: "POST",
			target: "/v1/items", body: `{"payments":{"amount":5},"n":12345678901234567890}`, wantBody: `{"payments":[{"amount":5}],"n":12345678901234567890}`},
		{name: "declared order: inner then outer", policies: []string{sp("@body().gifts", "payments", "[{@body().gifts.payments}]"), sp("body()", "gifts", "[{@body().gifts}]")},
			op: "CreateItem", method: "POST", target: "/v1/items", body: `{"gifts":{"payments":{"a":1}}}`, wantBody: `{"gifts":[{"payments":[{"a":1}]}]}`},
		{name: "interpolated string with a bracket key", policies: []string{sp("@body()", "['@odata.id']", "https://graph.microsoft.com/v1.0/directoryObjects/{@body()['@odata.id']}")},
			op: "CreateItem", method: "POST", target: "/v1/items", body: `{"@odata.id":"u1"}`, wantBody: `{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/u1"}`},
		{name: "filter expression text", policies: []string{sp("@body()", "filter", "and(eq(state, '{@body().state}'), startsWith(p, '{@body().p}'))")},
			op: "CreateItem", method: "POST", target: "/v1/items", body: `{"state":"on","p":"/x"}`, wantBody: `{"state":"on","p":"/x","filter":"and(eq(state, 'on'), startsWith(p, '/x'))"}`},
		{name: "each element of an array parent, with @item()", policies: []string{sp("@body().rows", "label", "'{@item()['id']}-{@item().ref}'")},
			op: "CreateItem", method: "POST", target: "/v1/items", body: `{"rows":[{"id":1,"ref":"a"},{"id":2,"ref":"b"},"skip"]}`,
			wantBody: `{"rows":[{"id":1,"ref":"a","label":"1-a"},{"id":2,"ref":"b","label":"2-b"},"skip"]}`},
		{name: "nested JSON object value with an expression inside a string", policies: []string{sp("@body()", "meta", `{"who": "{@body().name}", "n": {@body().n}}`)},
			op: "CreateItem", method: "POST", target: "/v1/items", body: `{"name":"a \"q\"","n":3}`, wantBody: `{"name":"a \"q\"","n":3,"meta":{"who":"a \"q\"","n":3}}`},
		{name: "absent parent: not applied, body untouched", policies: []string{sp("@body().nope", "x", "1")}, op: "CreateItem", method: "POST",
			target: "/v1/items", body: `{"a":1}`, wantBody: `{"a":1}`, wantNote: "@body().nope is absent"},
		{name: "non-JSON body: not applied, body untouched", policies: []string{sp("@body()", "x", "1")}, op: "CreateItem", method: "POST",
			target: "/v1/items", body: `a=1&b=2`, wantBody: `a=1&b=2`, wantNote: "the body is not JSON"},
		{name: "no body: not applied", policies: []string{sp("@body()", "x", "1")}, op: "CreateItem", method: "POST",
			target: "/v1/items", wantNote: "the request has no body"},
		{name: "absent typed value: not applied", policies: []string{sp("@body()", "x", "{@body().missing}")}, op: "CreateItem", method: "POST",
			target: "/v1/items", body: `{"a":1}`, wantBody: `{"a":1}`, wantNote: "is absent"},
	})
}

func TestMoveProperties(t *testing.T) {
	mv := policyJSON("moveproperties", "m", map[string]any{"srcParentPath": "@body()", "srcSubPath": "customProperties",
		"dstParentPath": "@body()", "dstSubPath": "null", "copyOnlySubProperties": "true", "section": "Request"})
	runRequestCases(t, []reqCase{
		{name: "spread sub-properties into the parent", policies: []string{mv}, op: "CreateItem", method: "POST", target: "/v1/items",
			body: `{"a":1,"customProperties":{"x":"1","y":2}}`, wantBody: `{"a":1,"x":"1","y":2}`},
		{name: "nothing to move", policies: []string{mv}, op: "CreateItem", method: "POST", target: "/v1/items",
			body: `{"a":1}`, wantBody: `{"a":1}`, wantNote: "is absent"},
	})
}

// TestSetValueFromURL runs the Cradl AI chain from the corpus against a
// real token server: basic auth, switch host, fetch a token, bearer auth,
// switch host back.
func TestSetValueFromURL(t *testing.T) {
	var mu sync.Mutex
	var tokenCalls []string
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		tokenCalls = append(tokenCalls, r.Method+" "+r.URL.RequestURI()+" auth="+r.Header.Get("Authorization")+" ct="+r.Header.Get("Content-Type"))
		mu.Unlock()
		switch r.URL.Path {
		case "/oauth2/token":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"access_token":"tok-abcdef","expires_in":3600}`)
		case "/team":
			fmt.Fprint(w, `{"team":{"id":"T-9"}}`)
		case "/broken":
			http.Error(w, "nope", http.StatusUnauthorized)
		case "/notjson":
			fmt.Fprint(w, `<html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer tokens.Close()

	sh := func(name, value string) string {
		return policyJSON("setheader", "sh "+name, map[string]any{"name": name, "value": value, "existsAction": "override", "section": "Request"})
	}
	chain := []string{
		sh("Authorization", "Basic @connectionParameters('apiKey')"),
		policyJSON("dynamichosturl", "to auth", map[string]any{"urlTemplate": tokens.URL, "section": "Request"}),
		sh("Content-Type", "application/x-www-form-urlencoded"),
		policyJSON("setvaluefromurl", "Authorize", map[string]any{"parameterTemplate": "@headers('Authorization')", "httpMethod": "POST",
			"parameterValueUrl": "/oauth2/token?grant_type=client_credentials", "parameterValuePathTemplate": "@body().access_token", "section": "Request"}),
		sh("Authorization", "Bearer @headers('Authorization')"),
		policyJSON("dynamichosturl", "back", map[string]any{"urlTemplate": "https://api.lucidtech.ai/v1", "section": "Request"}),
		sh("Content-Type", "application/json"),
	}
	svu := func(u, path, param string) string {
		return policyJSON("setvaluefromurl", "svu", map[string]any{"parameterTemplate": param, "httpMethod": "GET",
			"parameterValueUrl": u, "parameterValuePathTemplate": path})
	}
	var logs bytes.Buffer
	runRequestCases(t, []reqCase{
		{name: "Cradl token chain", policies: chain, params: map[string]string{"apiKey": "Y2xpZW50OnNlY3JldA=="},
			opts: func(o *Options) {
				o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			},
			op: "CreateItem", method: "POST", target: "/v1/items", body: `{}`,
			wantURL: "https://api.lucidtech.ai/v1/items", wantHeader: map[string]string{"Authorization": "Bearer tok-abcdef", "Content-Type": "application/json"},
			wantNote: "POST " + tokens.URL + "/oauth2/token → 200; header Authorization = <redacted> (from @body().access_token)"},
		{name: "value into a header used by a later route (Miro)", policies: []string{
			svu(tokens.URL+"/team", "@body().team.id", "@headers('TeamId')"),
			policyJSON("routerequesttoendpoint", "r", map[string]any{"newPath": "/teams/@headers('TeamId')/boards", "httpMethod": "@Request.OriginalHTTPMethod"})},
			op: "ListItems", target: "/v1/items", wantURL: "https://api.example.com/v1/teams/T-9/boards", wantHeader: map[string]string{"TeamId": "T-9"}},
		{name: "value into a query parameter", policies: []string{svu(tokens.URL+"/team", "@body().team.id", "@queryParameters('team')")},
			op: "ListItems", target: "/v1/items?page=1", wantURL: "https://api.example.com/v1/items?page=1&team=T-9"},
		{name: "side call answers 401", policies: []string{svu(tokens.URL+"/broken", "@body().x", "@headers('X')")}, op: "ListItems", target: "/v1/items",
			wantErrIs: ErrUpstream, wantErr: "answered 401"},
		{name: "side call answers non-JSON", policies: []string{svu(tokens.URL+"/notjson", "@body().x", "@headers('X')")}, op: "ListItems", target: "/v1/items",
			wantErrIs: ErrUpstream, wantErr: "not JSON"},
		{name: "value path absent", policies: []string{svu(tokens.URL+"/team", "@body().team.name", "@headers('X')")}, op: "ListItems", target: "/v1/items",
			wantErrIs: ErrUpstream, wantErr: "has no @body().team.name"},
	})
	mu.Lock()
	defer mu.Unlock()
	if len(tokenCalls) == 0 || tokenCalls[0] != "POST /oauth2/token?grant_type=client_credentials auth=Basic Y2xpZW50OnNlY3JldA== ct=application/x-www-form-urlencoded" {
		t.Errorf("token server saw %q", tokenCalls)
	}
	for _, canary := range []string{"Y2xpZW50OnNlY3JldA==", "tok-abcdef"} {
		if strings.Contains(logs.String(), canary) {
			t.Errorf("log output contains the secret %q:\n%s", canary, logs.String())
		}
	}
	if !strings.Contains(logs.String(), "setvaluefromurl") {
		t.Errorf("no debug log line for setvaluefromurl:\n%s", logs.String())
	}
}

func TestRequestDoesNotReadBodyWithoutBodyPolicy(t *testing.T) {
	c := loadFixture(t, policies(policyJSON("setheader", "h", map[string]any{"name": "X-A", "value": "1"})))
	e, _ := New(c, Options{})
	r := serverRequest("POST", "/v1/items", "", nil)
	r.Body = failingBody{}
	if _, err := e.Request(context.Background(), "CreateItem", r, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Body.(failingBody); !ok {
		t.Errorf("body was replaced without a body policy")
	}
}

type failingBody struct{}

func (failingBody) Read([]byte) (int, error) { return 0, errors.New("body must not be read") }
func (failingBody) Close() error             { return nil }

func TestRequestBodyLargerThanCapPassesThrough(t *testing.T) {
	c := loadFixture(t, policies(policyJSON("setproperty", "p", map[string]any{"newPropertyParentPathTemplate": "@body()",
		"newPropertySubPathTemplate": "x", "propertyValuePathTemplate": "1"})))
	e, _ := New(c, Options{MaxBodyBytes: 16})
	body := `{"a":"` + strings.Repeat("z", 100) + `"}`
	r := serverRequest("POST", "/v1/items", body, nil)
	tr, err := e.Request(context.Background(), "CreateItem", r, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, r.Body); got != body {
		t.Errorf("body changed: %q", got)
	}
	if !strings.Contains(strings.Join(tr.Notes(), "\n"), "larger than 16 bytes") {
		t.Errorf("trace does not say why: %q", tr.Notes())
	}
}

func TestNoUpstreamHost(t *testing.T) {
	c := loadFixture(t, "[]")
	c.Host = ""
	e, _ := New(c, Options{})
	r := serverRequest("GET", "/v1/items/1", "", nil)
	_, err := e.Request(context.Background(), "GetItem", r, nil)
	if !errors.Is(err, ErrNoUpstream) {
		t.Fatalf("err = %v, want ErrNoUpstream", err)
	}
	if r.URL.Path != "/v1/items/1" {
		t.Errorf("path = %q", r.URL.Path)
	}
}

// TestSecretsNeverLeak plants canary values in every secret parameter and
// checks traces, logs and errors.
func TestSecretsNeverLeak(t *testing.T) {
	const canary = "CANARY 7f3a9/+&"
	pols := policies(
		policyJSON("setheader", "a", map[string]any{"name": "X-Key", "value": "@connectionParameters('apiKey')"}),
		policyJSON("setqueryparameter", "q", map[string]any{"name": "k", "value": "@connectionParameters('apiKey')"}),
		policyJSON("routerequesttoendpoint", "r", map[string]any{"newPath": "/k/@connectionParameters('apiKey')"}),
		policyJSON("setproperty", "p", map[string]any{"newPropertyParentPathTemplate": "@body()", "newPropertySubPathTemplate": "k", "propertyValuePathTemplate": "@connectionParameters('apiKey')"}),
		policyJSON("setheader", "miss", map[string]any{"name": "X-Miss", "value": "@connectionParameters('undeclaredThing')"}),
	)
	c := loadFixture(t, pols)
	var logs bytes.Buffer
	e, _ := New(c, Options{Params: map[string]string{"apiKey": canary}, Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	r := serverRequest("POST", "/v1/items", `{"a":1}`, nil)
	tr, err := e.Request(context.Background(), "CreateItem", r, nil)
	if err == nil || !errors.Is(err, ErrMissingParameter) {
		t.Fatalf("err = %v, want the missing undeclaredThing", err)
	}
	all := strings.Join(tr.Notes(), "\n") + "\n" + tr.URL + "\n" + err.Error() + "\n" + logs.String()
	if strings.Contains(all, canary) {
		t.Errorf("a secret leaked:\n%s", all)
	}
	if !strings.HasSuffix(r.URL.Path, "/k/"+canary) || r.URL.Query().Get("k") != canary || r.Header.Get("X-Key") != canary {
		t.Errorf("the secret was not applied to the request itself: %s", r.URL)
	}
	for _, want := range []string{"<redacted>", "REDACTED"} {
		if !strings.Contains(all, want) {
			t.Errorf("no %s marker in:\n%s", want, all)
		}
	}

	// A secret that makes a bad host: the error says so without the value.
	hc := loadFixture(t, policies(policyJSON("dynamichosturl", "h", map[string]any{"urlTemplate": "https://@connectionParameters('apiKey').example"})))
	he, _ := New(hc, Options{Params: map[string]string{"apiKey": canary}})
	_, err = he.Request(context.Background(), "GetItem", serverRequest("GET", "/v1/items/1", "", nil), nil)
	if err == nil || strings.Contains(err.Error(), canary) || strings.Contains(err.Error(), url.PathEscape(canary)) {
		t.Errorf("host error = %v", err)
	}
}

func TestRequestTraceForUnknownAndDisabledPolicies(t *testing.T) {
	c := loadFixture(t, policies(
		`{"templateId": "fancyTemplate", "title": "f", "parameters": {}}`,
		`{"templateId": "stringtoarray", "title": "s", "parameters": {}}`,
		policyJSON("routerequesttoendpoint", "typo", map[string]any{"newPath": "/x/@queryParamters('page')", "operations": []string{"ListItems"}}),
		policyJSON("setheader", "", map[string]any{"name": "X-A", "value": "@connectionParameters('a'"}),
	))
	e, fs := New(c, Options{})
	want := []string{"policy-template-unknown", "policy-template-unsupported", "policy-expression-unknown-function", "policy-expression-invalid"}
	if got := findingIDs(fs); !slices.Equal(got, want) {
		t.Errorf("findings = %q, want %q", got, want)
	}
	for _, f := range fs {
		if !strings.HasPrefix(f.Pointer, "/properties/policyTemplateInstances/") || f.File == "" || f.Message == "" {
			t.Errorf("finding lacks a location: %+v", f)
		}
	}
	if !strings.Contains(fs[2].Message, "did you mean queryParameters?") {
		t.Errorf("no suggestion: %s", fs[2].Message)
	}
	r := serverRequest("GET", "/v1/items?page=1", "", nil)
	tr, err := e.Request(context.Background(), "ListItems", r, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Steps) != 4 || tr.Applied() != 0 {
		t.Fatalf("steps = %q", tr.Notes())
	}
	for _, s := range tr.Steps {
		if !strings.HasPrefix(s.Note, "not applied: ") {
			t.Errorf("step %s", s)
		}
	}
	if r.URL.String() != "https://api.example.com/v1/items?page=1" {
		t.Errorf("URL = %s", r.URL)
	}
}

func TestRequestConcurrent(t *testing.T) {
	c := loadFixture(t, policies(
		policyJSON("dynamichosturl", "h", map[string]any{"urlTemplate": "https://@connectionParameters('hostName')"}),
		policyJSON("setproperty", "p", map[string]any{"newPropertyParentPathTemplate": "@body()", "newPropertySubPathTemplate": "n", "propertyValuePathTemplate": "{@body().i}"}),
	))
	e, _ := New(c, Options{Params: map[string]string{"hostName": "h.example"}})
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := serverRequest("POST", "/v1/items", fmt.Sprintf(`{"i":%d}`, i), nil)
			if _, err := e.Request(context.Background(), "CreateItem", r, nil); err != nil {
				t.Error(err)
				return
			}
			if got, want := readAll(t, r.Body), fmt.Sprintf(`{"i":%d,"n":%d}`, i, i); got != want {
				t.Errorf("body %s, want %s", got, want)
			}
		}()
	}
	wg.Wait()
}

var _ io.Reader = failingBody{}
