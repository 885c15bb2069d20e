package trigger

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
)

// PollingPolicy is the meaning of one pollingtrigger policy template for
// the mock: where the new items sit in the trigger's response and which
// query parameters the next poll carries.
type PollingPolicy struct {
	// DataPath locates the item array in the response body
	// (triggerDataPath "@triggerBody().value" → ["value"]).
	DataPath []string
	// Config maps next-poll query parameters to their values.
	Config []ConfigParam
}

// ConfigParam is one triggerConfig entry: a literal, or a field read from
// the newest item of the last response ("@{triggerBody().value[0].createdAt}").
type ConfigParam struct {
	Name    string
	Literal string
	// Field is the item field the value comes from, below DataPath; nil for
	// a literal.
	Field []string
}

// PollingPolicies decodes the pollingtrigger policies of c by operation ID.
// Policies that cannot be read are returned as errors naming the policy.
func PollingPolicies(c *connector.Connector) (map[string]PollingPolicy, []error) {
	out := map[string]PollingPolicy{}
	var errs []error
	for _, p := range c.Policies {
		if p.Template != "pollingtrigger" {
			continue
		}
		pp, err := decodePollingPolicy(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("policy %s (%s): %w", p.Title, p.Pointer, err))
			continue
		}
		for _, op := range p.Operations {
			out[op] = pp
		}
	}
	return out, errs
}

func decodePollingPolicy(p connector.Policy) (PollingPolicy, error) {
	var pp PollingPolicy
	if dp := p.Param("triggerDataPath"); dp != "" {
		segs, err := parseTriggerBody(dp)
		if err != nil {
			return pp, fmt.Errorf("triggerDataPath %q: %w", dp, err)
		}
		for _, s := range segs {
			if s.index >= 0 {
				return pp, fmt.Errorf("triggerDataPath %q: an index is not allowed here", dp)
			}
			pp.DataPath = append(pp.DataPath, s.name)
		}
	}
	cfg, _ := p.Parameters["triggerConfig"].(map[string]any)
	names := make([]string, 0, len(cfg))
	for k := range cfg {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		raw := fmt.Sprint(cfg[name])
		cp := ConfigParam{Name: name}
		if !strings.HasPrefix(strings.TrimSpace(raw), "@") {
			cp.Literal = raw
			pp.Config = append(pp.Config, cp)
			continue
		}
		segs, err := parseTriggerBody(raw)
		if err != nil {
			return pp, fmt.Errorf("triggerConfig.%s %q: %w", name, raw, err)
		}
		// Expect DataPath, then [0], then the field.
		i := 0
		for ; i < len(segs) && i < len(pp.DataPath) && segs[i].name == pp.DataPath[i] && segs[i].index < 0; i++ {
		}
		if i < len(segs) && segs[i].name == "" && segs[i].index >= 0 {
			i++ // the [0] of the newest item
		}
		for ; i < len(segs); i++ {
			if segs[i].name != "" {
				cp.Field = append(cp.Field, segs[i].name)
			}
		}
		if len(cp.Field) == 0 {
			return pp, fmt.Errorf("triggerConfig.%s %q names no item field", name, raw)
		}
		pp.Config = append(pp.Config, cp)
	}
	return pp, nil
}

type seg struct {
	name  string
	index int // -1: none
}

// parseTriggerBody reads "@triggerBody().a.b[0].c" or "@{triggerBody()?['a']...}"
// into segments; an index becomes a separate nameless segment.
func parseTriggerBody(expr string) ([]seg, error) {
	s := strings.TrimSpace(expr)
	s = strings.TrimPrefix(s, "@")
	if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
		s = s[1 : len(s)-1]
	}
	const fn = "triggerbody()"
	if len(s) < len(fn) || !strings.EqualFold(s[:len(fn)], fn) {
		return nil, fmt.Errorf("want an expression starting with triggerBody()")
	}
	s = s[len(fn):]
	var out []seg
	for len(s) > 0 {
		s = strings.TrimPrefix(s, "?")
		switch s[0] {
		case '.':
			j := 1
			for j < len(s) && s[j] != '.' && s[j] != '[' && s[j] != '?' {
				j++
			}
			if j == 1 {
				return nil, fmt.Errorf("empty property name")
			}
			out = append(out, seg{name: s[1:j], index: -1})
			s = s[j:]
		case '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return nil, fmt.Errorf("unclosed [")
			}
			in := strings.TrimSpace(s[1:end])
			if n, err := strconv.Atoi(in); err == nil {
				out = append(out, seg{index: n})
			} else {
				out = append(out, seg{name: strings.Trim(in, `'"`), index: -1})
			}
			s = s[end+1:]
		default:
			return nil, fmt.Errorf("unexpected %q", s)
		}
	}
	return out, nil
}
