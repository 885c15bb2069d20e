package mock_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/internal/testkit"
	"github.com/connectorlab/connectorlab/mock"
)

// TestDeclaredContentEncodingIsNotGenerated: The Meal DB, Airly and
// PowerBI Robots declare a Content-Encoding response header; the mock
// filled it with fake words ("perfect purse") over a plain body, and
// clients and the recording proxy could not decode the answer. The mock
// sends no coding, or identity where the header is required.
func TestDeclaredContentEncodingIsNotGenerated(t *testing.T) {
	t.Parallel()
	const def = `{"swagger": "2.0", "info": {"title": "Enc", "version": "1"}, "host": "e.example.com", "basePath": "/",
	 "paths": {
	  "/a": {"get": {"operationId": "A", "produces": ["application/json"], "responses": {"200": {"description": "ok",
	    "headers": {"Content-Encoding": {"type": "string"}, "X-Other": {"type": "string"}}, "schema": {"type": "object"}}}}},
	  "/b": {"get": {"operationId": "B", "produces": ["application/json"], "responses": {"200": {"description": "ok",
	    "headers": {"Content-Encoding": {"type": "string", "x-ms-required": true}}, "schema": {"type": "object"}}}}}}}`
	c, err := connector.Load(context.Background(), testkit.Definition(t, def))
	if err != nil {
		t.Fatal(err)
	}
	m, err := mock.New(c, mock.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	srv := httptest.NewServer(m)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	for _, p := range []string{"/a", "/b"} {
		resp, err := client.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if ce := resp.Header.Get("Content-Encoding"); ce != "" && ce != "identity" {
			t.Errorf("%s: Content-Encoding %q over a plain body", p, ce)
		}
		if p == "/a" && resp.Header.Get("X-Other") == "" {
			t.Errorf("%s: other declared headers are still filled", p)
		}
	}
}
