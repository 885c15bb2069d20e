package workflow

import (
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/recordings"
)

// MissingParams lists the parameters of set a recording or a test cannot do
// without and that have no value in vals: required, not hidden, without a
// default, not an OAuth token (without one the client's own
// Authorization header is passed through) and not synthetic (derived from
// securityDefinitions, see connector.ConnectionParameter.Synthetic: the
// gateway would not ask for it; without it the client's own credential
// passes through, as the probe's does for test --generate). A replay
// needs those too: see MissingCredentialsError.
func MissingParams(set connector.AuthSet, vals map[string]string) []connector.ConnectionParameter {
	var out []connector.ConnectionParameter
	for _, p := range set.Parameters {
		if p.Required && !p.Hidden && !p.Synthetic && p.Default == nil && vals[p.Name] == "" && !strings.EqualFold(p.Type, "oauthSetting") {
			out = append(out, p)
		}
	}
	return out
}

// MissingParamsError is the error for MissingParams' answer, naming the
// environment variables (CONNECTORLAB_PARAM_<NAME>) that would fill them;
// nil when none are missing.
func MissingParamsError(missing []connector.ConnectionParameter) error {
	if len(missing) == 0 {
		return nil
	}
	names := paramEnvNames(missing)
	return Usage("required connection parameters are not set: "+strings.Join(names, ", "),
		"set them in the environment or the form; they stay in memory only")
}

// MissingCredentialsError is the error of a replay that meets a recorded
// credential (redacted when it was recorded) and has no connection
// parameter value to send instead (recordings.MissingCredentials): sent
// as recorded, the placeholder can only be refused (401). It names the
// environment variables that would fill them; nil when none are missing.
func MissingCredentialsError(missing []connector.ConnectionParameter) error {
	if len(missing) == 0 {
		return nil
	}
	names := paramEnvNames(missing)
	return Usage("the recorded credentials are redacted and the connection has none to replay them with: "+strings.Join(names, ", ")+" not set",
		"set them in the environment or the form (any value the target accepts; a mock takes any user, password and key, and tokens from its /oauth2/token); they stay in memory only")
}

// paramEnvNames names the environment variables (CONNECTORLAB_PARAM_<NAME>)
// of params.
func paramEnvNames(params []connector.ConnectionParameter) []string {
	names := make([]string, len(params))
	for i, p := range params {
		names[i] = recordings.ParamEnvName(p.Name)
	}
	return names
}
