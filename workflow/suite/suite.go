package suite

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract/replay"
	"github.com/connectorlab/connectorlab/policy"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/workflow"
)

// ParseTarget parses the base URL a run sends requests to. It may carry
// the connector's basePath or not: replay.TargetBase adds it when missing
// and never doubles it.
func ParseTarget(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, workflow.Usage("no target URL given", "give the base URL to test, e.g. the URL 'connectorlab mock' prints or https://staging.example.com/v1")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, workflow.Usage(fmt.Sprintf("target %q is not an http(s) URL with a host", raw), "give the base URL to test, e.g. the URL 'connectorlab mock' prints or https://staging.example.com/v1")
	}
	if u.User != nil {
		return nil, workflow.Usage("the target URL carries user:password@", "remove the credentials from the URL and give them as connection parameters (CONNECTORLAB_PARAM_*)")
	}
	return u, nil
}

// Connection is the auth set and the parameter values a run signs its
// requests with.
type Connection struct {
	Set    connector.AuthSet
	Params map[string]string
}

// Connect picks the auth set (name "" = the first) and checks vals
// against it: a required parameter without a value is a usage error
// naming its environment variable, unless allowMissing.
func Connect(c *connector.Connector, authSet string, vals map[string]string, allowMissing bool) (Connection, error) {
	set, err := recordings.AuthSet(c, authSet)
	if err != nil {
		return Connection{}, &workflow.Error{Kind: workflow.KindUsage, Message: "auth set: " + err.Error(), Fix: "pick one of the connector's connection types", Err: err}
	}
	params := map[string]string{}
	for k, v := range vals {
		if v != "" {
			params[k] = v
		}
	}
	if !allowMissing {
		if err := workflow.MissingParamsError(workflow.MissingParams(set, params)); err != nil {
			return Connection{}, err
		}
	}
	return Connection{Set: set, Params: params}, nil
}

// ConnectFromEnv is Connect with the values of the
// CONNECTORLAB_PARAM_<NAME> environment variables (lookup is os.LookupEnv).
func ConnectFromEnv(c *connector.Connector, authSet string, lookup func(string) (string, bool)) (Connection, error) {
	set, err := recordings.AuthSet(c, authSet)
	if err != nil {
		return Connect(c, authSet, nil, false)
	}
	vals, _ := recordings.ParamsFromEnv(set, lookup)
	return Connect(c, authSet, vals, false)
}

// Options are the replay options for a run of c against target with
// conn: auth, and the connector's request policies unless noPolicies.
// The policy findings of warning level and above are returned to show.
func Options(c *connector.Connector, target *url.URL, conn Connection, noPolicies bool, log *slog.Logger) (replay.Options, []connector.Finding) {
	opts := replay.Options{Target: target, Auth: recordings.AuthFor(conn.Set, conn.Params), Params: conn.Params, Log: log,
		MissingCredentials: workflow.MissingCredentialsError(recordings.MissingCredentials(conn.Set, conn.Params))}
	var shown []connector.Finding
	if !noPolicies && len(c.Policies) > 0 {
		eng, pfs := policy.New(c, policy.Options{Params: conn.Params, Upstream: replay.TargetBase(c, target), Logger: log})
		for _, f := range pfs {
			if f.Level >= connector.LevelWarning {
				shown = append(shown, f)
			}
		}
		opts.Policies = eng
	}
	return opts, shown
}
