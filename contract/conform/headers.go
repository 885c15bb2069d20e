package conform

import (
	"fmt"
	"sort"

	"github.com/connectorlab/connectorlab/contract"
	"github.com/getkin/kin-openapi/openapi3"
)

// checkHeaders: declared response headers marked required must be present.
func checkHeaders(resp *openapi3.Response, r Response, add func(contract.Finding)) {
	names := make([]string, 0, len(resp.Headers))
	for name := range resp.Headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		h := resp.Headers[name]
		if h == nil || h.Value == nil || !h.Value.Required {
			continue
		}
		if r.Header.Get(name) == "" {
			add(contract.Finding{ID: HeaderMissing, Level: contract.LevelWarning, Where: "response.header", Field: name,
				Message: fmt.Sprintf("required response header %s is missing", name)})
		}
	}
}
