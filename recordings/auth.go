package recordings

import (
	"encoding/base64"
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

// SecretValues are every value the proxy adds to what it forwards that is
// a credential, in every form it takes on the wire: the values of secret
// parameters (securestring, oauthSetting), the API key, the basic
// password, "user:password" and its base64, the header values the
// Authenticator sets ("Basic …", "Bearer …"). The redactor scrubs each
// (and its URL-, JSON- and base64 spellings) wherever it appears, so an
// upstream that echoes the request's Authorization header is covered too.
func SecretValues(set connector.AuthSet, vals map[string]string) []string {
	var out []string
	add := func(v string) {
		if v != "" {
			out = append(out, v)
		}
	}
	for _, p := range set.Parameters {
		if v := vals[p.Name]; v != "" && p.Secret() {
			add(v)
		}
	}
	switch {
	case set.APIKey != nil && set.APIKey.Parameter != "":
		add(vals[set.APIKey.Parameter])
	case set.Basic != nil:
		userP, passP := BasicParams(set)
		user, pass := vals[userP], vals[passP]
		if user != "" || pass != "" {
			add(pass) // the user name only when it is itself a secure parameter (above)
			pair := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
			add(user + ":" + pass)
			add(pair)
			add("Basic " + pair)
		}
	case set.OAuth2 != nil:
		if t := vals[set.OAuth2.Parameter]; t != "" {
			add("Bearer " + t)
		}
	}
	return out
}

// BasicParams names the user-name and password parameters of a basic
// auth set. The connector's reading picks the first secure parameter as
// the password, so a user name declared as securestring (common) would be
// taken for the password and the user name left empty: here a parameter
// whose name says user/login/email/account is the user name whatever its
// type, and the password is the secure parameter that is not it.
func BasicParams(set connector.AuthSet) (user, pass string) {
	if set.Basic == nil {
		return "", ""
	}
	user, pass = set.Basic.UsernameParameter, set.Basic.PasswordParameter
	isUser := func(name string) bool {
		n := normName(name)
		return strings.Contains(n, "user") || strings.Contains(n, "login") || strings.Contains(n, "email") || strings.Contains(n, "account")
	}
	if user == "" || pass == "" || isUser(pass) {
		var u, pw string
		for _, p := range set.Parameters {
			switch {
			case u == "" && isUser(p.Name) && !strings.Contains(normName(p.Name), "pass"):
				u = p.Name
			case pw == "" && p.Secret():
				pw = p.Name
			}
		}
		if u != "" {
			user = u
		}
		if pw != "" && pw != user {
			pass = pw
		}
		if pass == user {
			pass = ""
		}
	}
	return user, pass
}

// MissingCredentials lists the parameters that hold set's credential
// (the API key, the basic user name and password, the OAuth 2.0 token:
// what AuthFor sends) and have no value in vals; none when at least one
// of them has a value (AuthFor then sends what it has). Without them a
// recorded credential, which the recording redacted, cannot be replayed.
func MissingCredentials(set connector.AuthSet, vals map[string]string) []connector.ConnectionParameter {
	var names []string
	switch {
	case set.APIKey != nil && set.APIKey.Name != "":
		names = []string{set.APIKey.Parameter}
	case set.Basic != nil:
		u, p := BasicParams(set)
		names = []string{u, p}
	case set.OAuth2 != nil:
		names = []string{set.OAuth2.Parameter}
	}
	var out []connector.ConnectionParameter
	for _, n := range names {
		if n == "" {
			continue
		}
		if vals[n] != "" {
			return nil
		}
		for _, p := range set.Parameters {
			if p.Name == n {
				out = append(out, p)
			}
		}
	}
	return out
}

// CheckAuth reports a connection that cannot authenticate as configured:
// basic auth with a password but no user name (it would send
// "Basic base64(:password)" and fail at the API with a confusing 401).
func CheckAuth(set connector.AuthSet, vals map[string]string) error {
	if set.Basic == nil {
		return nil
	}
	userP, passP := BasicParams(set)
	user, pass := vals[userP], vals[passP]
	switch {
	case user != "" || pass == "":
		return nil
	case userP == "":
		return fmt.Errorf("basic auth: the user name is missing: the connection parameter set declares no user-name parameter (only %s), so the proxy would send \"Basic :password\"; add a user-name parameter (e.g. \"username\") to apiProperties.json", paramNames(set))
	default:
		return fmt.Errorf("basic auth: the user name is missing: connection parameter %q has no value, so the proxy would send \"Basic :password\"; set %s", userP, ParamEnvName(userP))
	}
}

func paramNames(set connector.AuthSet) string {
	var n []string
	for _, p := range set.Parameters {
		n = append(n, p.Name)
	}
	if len(n) == 0 {
		return "none"
	}
	return strings.Join(n, ", ")
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
		userP, passP := BasicParams(set)
		user, pass := vals[userP], vals[passP]
		problem := CheckAuth(set, vals)
		return func(r *http.Request) error {
			if problem != nil {
				return problem
			}
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
