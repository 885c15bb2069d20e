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
// allocating (the segments are substrings of path on the stack), through
// the same indexed lookup as Find.
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
	// Base and path segments decoded into one stack buffer (append copies
	// the path's segments onto themselves unless a long path outgrew it).
	var buf [maxStackSegs]string
	segs := buf[:0]
	if base != "" {
		segs = decodeSegmentsInto(segs, base)
	}
	segs = append(segs, decodeSegmentsInto(segs[len(segs):], path)...)
	best, _ := r.lookup(upper(method), segs, false)
	if best == nil {
		return nil
	}
	return best.op
}
