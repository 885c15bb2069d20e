package policy

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// BaseURL returns the base URL (scheme://host/basePath) that requests for
// opID are sent to: Options.Upstream when set, else the connector's
// declared host after the dynamichosturl policies covering opID, evaluated
// with the engine's connection parameters and, when r is non-nil, r's
// headers and query. opID "" considers only policies not scoped to
// operations. The recording proxy uses it to reach the real API when the
// definition's host is a placeholder or absent.
//
// It fails with ErrNoUpstream when no host results, and with an *Error
// when a dynamichosturl expression cannot be evaluated (a connection
// parameter without a value, say).
func (e *Engine) BaseURL(opID string, r *http.Request) (*url.URL, error) {
	if r == nil {
		r = &http.Request{Method: http.MethodGet, URL: &url.URL{Path: e.basePath + "/"}, Header: http.Header{}}
	} else {
		// Only r's headers and query count: its host is the mock's or
		// proxy's own when r is a client request.
		r = r.Clone(context.Background())
		r.Body = nil
		r.URL.Scheme, r.URL.Host = "", ""
	}
	st := e.newRequestState(context.Background(), opID, r, nil)
	if e.opts.Upstream == nil {
		for _, cp := range e.policies {
			if cp.disabled != "" || cp.section != SectionRequest || !cp.p.AppliesTo(opID) {
				continue
			}
			if cp.kind != "dynamichosturl" && cp.kind != "dynamicsubdomain" {
				continue
			}
			if _, _, err := st.dynamicHost(cp); err != nil {
				return nil, e.wrap(cp, st.exprFor, err, st.learnt)
			}
		}
	}
	if st.base.Host == "" {
		return nil, fmt.Errorf("%w: %s declares no host and no dynamichosturl policy gives one; give the upstream URL explicitly", ErrNoUpstream, e.c.Name)
	}
	u := *st.base
	return &u, nil
}
