package suite_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract/replay"
	"github.com/connectorlab/connectorlab/internal/corpus"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/probe"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
	"github.com/connectorlab/connectorlab/workflow"
	"github.com/connectorlab/connectorlab/workflow/exchanges"
	"github.com/connectorlab/connectorlab/workflow/recorder"
	"github.com/connectorlab/connectorlab/workflow/suite"
)

// authRoundTrip are corpus connectors whose security scheme no declared
// connection parameter held (Vonage: basic, Insiders Cloud: oauth2;
// Scrive eSign: a username/password set beside an OAuth set, only an
// oauth2 scheme). The recording redacted the Authorization the probe
// brought, and `test --recordings --target <mock>` had nothing to send
// instead: 401 on every case (drift-status-changed, status-undeclared).
var authRoundTrip = []string{
	"certified-connectors/Vonage",
	"certified-connectors/Insiders Cloud",
	"certified-connectors/Scrive eSign",
}

// TestAuthSchemeWithoutParameterRoundTrips: with the parameter the
// connection rule gives the scheme (connector.ConnectionParameter.
// Synthetic or Scrive's own username/password), record → replay against
// the mock passes the whole self-consistency invariant.
func TestAuthSchemeWithoutParameterRoundTrips(t *testing.T) {
	root := corpus.Root(t)
	store, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "auth.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for _, d := range authRoundTrip {
		c, err := connector.Load(context.Background(), filepath.Join(root, d))
		if err != nil {
			t.Fatal(err)
		}
		if problems := invariant(t, store, d, c); len(problems) > 0 {
			t.Errorf("%s: %s", d, strings.Join(problems, "; "))
		}
	}
}

// TestReplayWithoutCredentialsNamesParameters: replaying those recordings
// without the credentials is a usage error naming the environment
// variables (exit 2), not a run of 401s.
func TestReplayWithoutCredentialsNamesParameters(t *testing.T) {
	ctx := context.Background()
	root := corpus.Root(t)
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "auth.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for d, want := range map[string]string{
		"certified-connectors/Vonage":       "CONNECTORLAB_PARAM_USERNAME, CONNECTORLAB_PARAM_PASSWORD",
		"certified-connectors/Scrive eSign": "CONNECTORLAB_PARAM_USERNAME, CONNECTORLAB_PARAM_PASSWORD",
		"certified-connectors/HubPlanner":   "CONNECTORLAB_PARAM_API_KEY",
	} {
		c, err := connector.Load(ctx, filepath.Join(root, d))
		if err != nil {
			t.Fatal(err)
		}
		srv, err := mock.New(c, mock.Options{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv)
		// Recorded without connection values: the probe's credentials
		// pass through the proxy and are redacted in the store.
		rec, err := recorder.Start(ctx, store, c, recorder.Config{Upstream: hs.URL, UpstreamIsMock: true, Session: d, AllowMissing: true, Host: "127.0.0.1"})
		if err != nil {
			t.Fatal(err)
		}
		// Synthetic parameters do not block generate or record (Scrive
		// declares its own as required).
		if _, err := suite.Connect(c, "", nil, false); (err == nil) != !strings.Contains(d, "Scrive") {
			t.Errorf("%s: connect without values: %v", d, err)
		}
		none, err := suite.Connect(c, "", nil, true)
		if err != nil {
			t.Fatal(err)
		}
		proxy, _ := url.Parse(rec.URL())
		opts, _ := suite.Options(c, proxy, none, true, nil)
		if _, _, err := replay.New(c, opts).RunGenerated(ctx, probe.Options{Seed: 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := rec.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		xs, err := exchanges.All(ctx, store, rec.Session().ID)
		if err != nil || len(xs) == 0 {
			t.Fatalf("%s: %d exchanges, %v", d, len(xs), err)
		}
		target, _ := url.Parse(hs.URL)
		topts, _ := suite.Options(c, target, none, true, nil)
		_, err = replay.New(c, topts).Run(ctx, d, xs)
		var we *workflow.Error
		if !errors.As(err, &we) || we.Kind != workflow.KindUsage || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: replay without credentials: %v; want a usage error naming %s", d, err, want)
		}
		hs.Close()
	}
}
