package workflow

import (
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/recordings"
)

// MissingParams lists the parameters of set a recording or a test cannot do
// without and that have no value in vals: required, not hidden, without a
// default, and not an OAuth token (without one the client's own
// Authorization header is passed through).
func MissingParams(set connector.AuthSet, vals map[string]string) []connector.ConnectionParameter {
	var out []connector.ConnectionParameter
	for _, p := range set.Parameters {
		if p.Required && !p.Hidden && p.Default == nil && vals[p.Name] == "" && !strings.EqualFold(p.Type, "oauthSetting") {
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
	names := make([]string, len(missing))
	for i, p := range missing {
		names[i] = recordings.ParamEnvName(p.Name)
	}
	return Usage("required connection parameters are not set: "+strings.Join(names, ", "),
		"set them in the environment or the form; they stay in memory only")
}
