package suite

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
)

// sample is the bundled connector, a value for each of its connection
// parameters, and its mock (seed 1) listening on 127.0.0.1 until the test ends.
func sample(t *testing.T) (c *connector.Connector, params map[string]string, target string) {
	t.Helper()
	c, err := (&connector.Loader{}).Load(context.Background(), "../../examples/contoso-orders")
	if err != nil {
		t.Fatal(err)
	}
	params = map[string]string{}
	for _, p := range c.Auth.Sets[0].Parameters {
		params[p.Name] = "k"
	}
	m, err := mock.New(c, mock.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return c, params, srv.URL
}
