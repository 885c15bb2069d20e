package route

import (
	"strings"

	"github.com/connectorlab/connectorlab/connector"
)

// maxStackSegs is how many path segments Operation splits without
// allocating.
const maxStackSegs = 16

// Operation is Find for callers that need only the operation (the
// recording proxy names each exchange's operation): the operation that
// serves method and path (a query is ignored), or nil. Paths without
// percent-escapes and with at most 16 segments are matched without
// allocating (the segments are substrings of path on the stack); others
// take Find's way.
func (r *Router) Operation(method, path string) *connector.Operation {
	return r.operation(method, "", path)
}

// OperationBelowBase is Operation for a path below the connector's
// basePath ("/orders/1" for "/v1/orders/1"): Operation(method,
// Join(basePath, path)) without building the joined string.
func (r *Router) OperationBelowBase(method, path string) *connector.Operation {
	return r.operation(method, strings.TrimPrefix(strings.TrimRight(r.basePath, "/"), "/"), path)
}

func (r *Router) operation(method, base, path string) *connector.Operation {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		path = "/"
	}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path // as Join would (allocates; not the proxy's case)
	}
	var buf [maxStackSegs]string
	var segs []string
	if strings.IndexByte(path, '%') >= 0 || strings.IndexByte(base, '%') >= 0 || strings.Count(base, "/")+strings.Count(path, "/") >= maxStackSegs {
		if base != "" {
			path = "/" + base + path
		}
		segs = decodeSegments(path)
	} else {
		segs = buf[:0]
		if base != "" {
			segs = appendSegs(segs, base)
		}
		segs = appendSegs(segs, strings.TrimPrefix(path, "/"))
	}
	method = strings.ToUpper(method)
	var best *entry
	for _, e := range r.bySegs[len(segs)] {
		if e.method != method || !e.match(segs, nil) {
			continue
		}
		if best == nil || better(e, best) {
			best = e
		}
	}
	if best == nil {
		return nil
	}
	return best.op
}

// appendSegs appends the "/"-separated segments of p (no leading "/").
func appendSegs(segs []string, p string) []string {
	for {
		i := strings.IndexByte(p, '/')
		if i < 0 {
			return append(segs, p)
		}
		segs = append(segs, p[:i])
		p = p[i+1:]
	}
}
