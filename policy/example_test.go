package policy_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"os"
	"path/filepath"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/policy"
)

// Example_reverseProxy wires the engine into an httputil.ReverseProxy the
// way the recording proxy does: Request in Rewrite (on pr.Out), Response
// in ModifyResponse (with pr.In as the client's request), and a policy
// error answered as 502 by ErrorHandler.
func Example_reverseProxy() {
	// The "live API": echoes what reached it and returns a next link.
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"got":%q,"key":%q,"nextLink":"http://%s/api/items?page=2"}`, r.URL.RequestURI(), r.Header.Get("X-Api-Key"), r.Host)
	}))
	defer api.Close()

	c := exampleConnector(`[
	  {"templateId": "dynamicHostUrl", "title": "host", "parameters": {
	    "x-ms-apimTemplateParameter.urlTemplate": "@connectionParameters('hostUrl')/api"}},
	  {"templateId": "setHeader", "title": "key", "parameters": {
	    "x-ms-apimTemplateParameter.name": "X-Api-Key",
	    "x-ms-apimTemplateParameter.value": "@connectionParameters('apiKey')",
	    "x-ms-apimTemplateParameter.existsAction": "override",
	    "x-ms-apimTemplate-policySection": "Request"}},
	  {"templateId": "updatenextlink", "title": "paging", "parameters": {
	    "x-ms-apimTemplateParameter.nextLinkPropertyName": "nextLink"}}]`)
	eng, findings := policy.New(c, policy.Options{Params: map[string]string{"hostUrl": api.URL, "apiKey": "k-secret"}})
	fmt.Println("findings:", len(findings))

	type callKey struct{}
	type call struct {
		in  *http.Request
		err error
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			cl := pr.In.Context().Value(callKey{}).(*call)
			cl.in = pr.In
			tr, err := eng.Request(pr.Out.Context(), "ListItems", pr.Out, nil)
			cl.err = err
			fmt.Println("upstream:", strings.Replace(tr.URL, api.URL, "API", 1))
		},
		Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if cl := r.Context().Value(callKey{}).(*call); cl.err != nil {
				return nil, cl.err
			}
			return http.DefaultTransport.RoundTrip(r)
		}),
		ModifyResponse: func(resp *http.Response) error {
			cl := resp.Request.Context().Value(callKey{}).(*call)
			_, err := eng.Response(resp.Request.Context(), "ListItems", cl.in, resp)
			return err
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			var pe *policy.Error
			if errors.As(err, &pe) {
				http.Error(w, `{"error":"policy failed"}`, http.StatusBadGateway)
				return
			}
			http.Error(w, `{"error":"upstream unreachable"}`, http.StatusBadGateway)
		},
	}
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxy.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callKey{}, &call{})))
	}))
	defer front.Close()

	resp, err := http.Get(front.URL + "/v1/items?page=1")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(strings.NewReplacer(front.URL, "PROXY", strings.TrimPrefix(api.URL, "http://"), "API").Replace(string(body)))
	// Output:
	// findings: 0
	// upstream: API/api/items?page=1
	// {"got":"/api/items?page=1","key":"k-secret","nextLink":"PROXY/v1/items?page=2"}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// ExampleParse shows the parts of a template.
func ExampleParse() {
	t, err := policy.Parse("https://@connectionParameters('tenant').example.com/@{triggerBody().files[0].id}", policy.ModeText)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range t.Parts {
		if p.Expr != nil {
			fmt.Printf("expr %s %q path %v\n", p.Expr.Func, p.Expr.Args, p.Expr.Path)
		} else {
			fmt.Printf("text %q\n", p.Lit)
		}
	}
	// Output:
	// text "https://"
	// expr connectionparameters ["tenant"] path []
	// text ".example.com/"
	// expr triggerbody [] path [.files [0] .id]
}

// exampleConnector writes a two-file connector to a temporary folder and
// loads it.
func exampleConnector(policies string) *connector.Connector {
	dir, err := os.MkdirTemp("", "policy-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	swagger := `{"swagger": "2.0", "info": {"title": "Example", "version": "1"}, "host": "placeholder.invalid", "basePath": "/v1",
	  "schemes": ["https"], "paths": {"/items": {"get": {"operationId": "ListItems",
	  "parameters": [{"name": "page", "in": "query", "type": "string"}], "responses": {"200": {"description": "ok"}}}}}}`
	props := `{"properties": {"connectionParameters": {"hostUrl": {"type": "string"}, "apiKey": {"type": "securestring"}},
	  "policyTemplateInstances": ` + policies + `}}`
	_ = os.WriteFile(filepath.Join(dir, "apiDefinition.swagger.json"), []byte(swagger), 0o644)
	_ = os.WriteFile(filepath.Join(dir, "apiProperties.json"), []byte(props), 0o644)
	c, err := connector.Load(context.Background(), dir)
	if err != nil {
		panic(err)
	}
	return c
}
