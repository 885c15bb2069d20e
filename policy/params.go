package policy

import (
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
)

// PlaceholderParams returns a value for every connection parameter the
// connector declares or its policies reference, for running the policies
// without a real connection (the mock when the user supplied none, tests,
// the corpus sweep). A declared defaultValue or the first allowed value is
// used when there is one; otherwise a name-derived token that is valid
// inside a host name ("token:customHost" → "token-customhost"), prefixed
// with "placeholder-" for secrets. Callers' real values should be layered
// on top.
func PlaceholderParams(c *connector.Connector) map[string]string {
	out := map[string]string{}
	for _, set := range c.Auth.Sets {
		for _, p := range set.Parameters {
			if _, ok := out[p.Name]; ok {
				continue
			}
			switch {
			case p.Default != nil && paramValue(p.Default) != "":
				out[p.Name] = paramValue(p.Default)
			case len(p.Allowed) > 0 && allowedValue(p.Allowed[0]) != "":
				out[p.Name] = allowedValue(p.Allowed[0])
			case p.Secret():
				out[p.Name] = "placeholder-" + hostToken(p.Name)
			default:
				out[p.Name] = hostToken(p.Name)
			}
		}
	}
	var names []string
	for _, pol := range c.Policies {
		keys := make([]string, 0, len(pol.Parameters))
		for k := range pol.Parameters {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			s, ok := pol.Parameters[k].(string)
			if !ok {
				continue
			}
			t, err := Parse(s, ModeText)
			if err != nil {
				continue
			}
			for _, x := range t.Exprs() {
				if x.Func == FuncConnectionParameters && len(x.Args) > 0 {
					names = append(names, x.Args[0])
				}
			}
		}
	}
	for _, n := range names {
		if _, ok := lookupFold(out, n); !ok {
			out[n] = hostToken(n)
		}
	}
	return out
}

// allowedValue reads an allowedValues entry: {"text": …, "value": …} or a
// bare value.
func allowedValue(v any) string {
	if m, ok := v.(map[string]any); ok {
		return paramValue(m["value"])
	}
	return paramValue(v)
}

// hostToken turns a name into lower-case letters, digits and dashes.
func hostToken(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			b.WriteRune(r)
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		s = "value"
	}
	return s
}
