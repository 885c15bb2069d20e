package recordings

import (
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
)

// OperationFunc tags a request with the connector operation it calls: it
// gets the method and the request path relative to the connector's base
// path and returns the operationId, or "" when none matches. A route.Router
// adapts with a one-line closure; OperationsOf is a self-contained default.
type OperationFunc func(method, path string) string

// OperationsOf matches requests against the connector's path templates:
// literal segments must be equal, "{name}" matches one segment, and the
// template with the most literal segments wins.
func OperationsOf(c *connector.Connector) OperationFunc {
	type tmpl struct {
		method string
		segs   []string
		lits   int
		id     string
	}
	var ts []tmpl
	if c != nil {
		for _, op := range c.Operations {
			if op == nil || op.ID == "" {
				continue
			}
			t := tmpl{method: strings.ToUpper(op.Method), segs: splitPath(op.Path), id: op.ID}
			for _, s := range t.segs {
				if !strings.Contains(s, "{") {
					t.lits++
				}
			}
			ts = append(ts, t)
		}
	}
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].lits > ts[j].lits })
	return func(method, path string) string {
		method = strings.ToUpper(method)
		segs := splitPath(path)
		for _, t := range ts {
			if t.method != method || len(t.segs) != len(segs) {
				continue
			}
			ok := true
			for i, s := range t.segs {
				if !segMatch(s, segs[i]) {
					ok = false
					break
				}
			}
			if ok {
				return t.id
			}
		}
		return ""
	}
}

func splitPath(p string) []string {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// segMatch matches a template segment such as "{id}", "items({id})" or
// "v1" against a path segment.
func segMatch(t, s string) bool {
	if !strings.Contains(t, "{") {
		return t == s
	}
	open := strings.IndexByte(t, '{')
	closeAt := strings.LastIndexByte(t, '}')
	if closeAt < open {
		return t == s
	}
	prefix, suffix := t[:open], t[closeAt+1:]
	return len(s) > len(prefix)+len(suffix) && strings.HasPrefix(s, prefix) && strings.HasSuffix(s, suffix)
}
