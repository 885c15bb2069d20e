package cli

import "github.com/connectorlab/connectorlab/workflow/mockhost"

// overridesFlag is --overrides: alone, each connector's sidecar
// (.connectorlab/overrides.json beside it); --overrides=FILE, that file
// (one connector only).
type overridesFlag struct {
	on   bool
	file string
}

func (o *overridesFlag) String() string {
	if o == nil || !o.on {
		return ""
	}
	if o.file == "" {
		return "true"
	}
	return o.file
}

func (o *overridesFlag) Set(v string) error {
	switch v {
	case "true":
		o.on, o.file = true, ""
	case "false", "":
		o.on, o.file = false, ""
	default:
		o.on, o.file = true, v
	}
	return nil
}

func (o *overridesFlag) IsBoolFlag() bool { return true }

// spec is the flag as the workflow layer takes it.
func (o *overridesFlag) spec() mockhost.Overrides { return mockhost.Overrides{On: o.on, File: o.file} }
