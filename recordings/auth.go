package recordings

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
)

// ParamEnvPrefix starts the environment variables that hold connection
// parameter values: CONNECTORLAB_PARAM_API_KEY for "api_key".
const ParamEnvPrefix = "CONNECTORLAB_PARAM_"

// ParamEnvName is the environment variable for a connection parameter:
// the name upper-cased, every character other than A-Z and 0-9 replaced by
// "_" ("token:clientSecret" → CONNECTORLAB_PARAM_TOKEN_CLIENTSECRET).
func ParamEnvName(name string) string {
	var b strings.Builder
	b.WriteString(ParamEnvPrefix)
	for _, r := range strings.ToUpper(name) {
		if 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// ParamsFromEnv reads the values of a set's connection parameters from
// the environment through lookup (os.LookupEnv). It returns the values
// found and the parameters without one (a prompt may ask for those).
func ParamsFromEnv(set connector.AuthSet, lookup func(string) (string, bool)) (map[string]string, []connector.ConnectionParameter) {
	vals := map[string]string{}
	var missing []connector.ConnectionParameter
	for _, p := range set.Parameters {
		if v, ok := lookup(ParamEnvName(p.Name)); ok && v != "" {
			vals[p.Name] = v
			continue
		}
		if strings.EqualFold(p.Type, "oauthSetting") {
			// The access token of an OAuth connection: CONNECTORLAB_PARAM_<NAME>
			// holds a token obtained elsewhere; without it the client's own
			// Authorization header is passed through.
			continue
		}
		missing = append(missing, p)
	}
	return vals, missing
}

// SecretValues are the values of secret parameters (securestring,
// oauthSetting): the redactor scrubs them wherever they appear.
func SecretValues(set connector.AuthSet, vals map[string]string) []string {
	var out []string
	for _, p := range set.Parameters {
		if v := vals[p.Name]; v != "" && p.Secret() {
			out = append(out, v)
		}
	}
	if set.APIKey != nil && set.APIKey.Parameter != "" {
		if v := vals[set.APIKey.Parameter]; v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Authenticator adds a connection's credentials to an outgoing request the
// way the Power Platform gateway does.
type Authenticator func(r *http.Request) error

// AuthFor builds the Authenticator of an auth set from parameter values:
// an API key in its header or query parameter, basic credentials, or an
// OAuth 2.0 access token as a Bearer header. A credential without a value
// leaves the client's own header or parameter in place.
func AuthFor(set connector.AuthSet, vals map[string]string) Authenticator {
	switch {
	case set.APIKey != nil && set.APIKey.Name != "":
		param := set.APIKey.Parameter
		if param == "" {
			for _, p := range set.Parameters {
				if p.Secret() {
					param = p.Name
					break
				}
			}
		}
		key := vals[param]
		name, in := set.APIKey.Name, strings.ToLower(set.APIKey.In)
		return func(r *http.Request) error {
			if key == "" {
				return nil
			}
			if in == "query" {
				q := r.URL.Query()
				q.Set(name, key)
				r.URL.RawQuery = q.Encode()
				return nil
			}
			r.Header.Set(name, key)
			return nil
		}
	case set.Basic != nil:
		user, pass := vals[set.Basic.UsernameParameter], vals[set.Basic.PasswordParameter]
		return func(r *http.Request) error {
			if user == "" && pass == "" {
				return nil
			}
			r.SetBasicAuth(user, pass)
			return nil
		}
	case set.OAuth2 != nil:
		token := vals[set.OAuth2.Parameter]
		return func(r *http.Request) error {
			if token == "" {
				return nil
			}
			r.Header.Set("Authorization", "Bearer "+token)
			return nil
		}
	}
	return func(*http.Request) error { return nil }
}

// AuthSet picks a connector's auth set by name ("" is the first).
func AuthSet(c *connector.Connector, name string) (connector.AuthSet, error) {
	if len(c.Auth.Sets) == 0 {
		return connector.AuthSet{Kind: connector.AuthNone}, nil
	}
	if name == "" {
		return c.Auth.Sets[0], nil
	}
	var names []string
	for _, s := range c.Auth.Sets {
		if strings.EqualFold(s.Name, name) {
			return s, nil
		}
		names = append(names, s.Name)
	}
	return connector.AuthSet{}, fmt.Errorf("connector %s has no connection parameter set %q (it has: %s)", c.Name, name, strings.Join(names, ", "))
}
