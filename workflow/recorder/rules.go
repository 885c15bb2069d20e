package recorder

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/route"
	"github.com/connectorlab/connectorlab/workflow"
)

// ParseUpstream parses the upstream base URL, defaulting to the
// connector's scheme://host/basePath when raw is empty.
func ParseUpstream(c *connector.Connector, raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		if c.Host == "" {
			return nil, workflow.Usage("the upstream URL is required: connector "+c.Name+" declares no host", "give the live API's base URL, e.g. https://api.example.com/v1")
		}
		scheme := "https"
		if len(c.Schemes) > 0 {
			scheme = c.Schemes[0]
		}
		raw = scheme + "://" + c.Host + c.BasePath
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, workflow.Usage(fmt.Sprintf("upstream %q is not an absolute http or https URL", raw), "give the base URL with its scheme, e.g. https://api.example.com/v1")
	}
	if u.User != nil {
		return nil, workflow.Usage("the upstream URL carries user:password@", "remove the credentials from the URL and give them as connection parameters (CONNECTORLAB_PARAM_* or the form)")
	}
	if u.RawQuery != "" {
		return nil, workflow.Usage("upstream "+u.Redacted()+" has a query string", "drop it; query parameters come from the requests (or the connector's policies)")
	}
	return u, nil
}

// MockBase is a mock's URL with the connector's basePath: the mock serves
// operations below it, and `connectorlab mock` prints the URL without it.
func MockBase(c *connector.Connector, u *url.URL) *url.URL {
	out := *u
	bp := strings.TrimRight(c.BasePath, "/")
	p := strings.TrimRight(out.Path, "/")
	if bp != "" && p != bp && !strings.HasSuffix(p, bp) {
		p += bp
	}
	out.Path, out.RawPath = p, ""
	return &out
}

// SessionName is the session name to use: given (trimmed) or
// CONNECTOR-YYYYMMDD-HHMMSS.
func SessionName(connectorName, given string, now time.Time) string {
	if s := strings.TrimSpace(given); s != "" {
		return s
	}
	return Slug(connectorName) + "-" + now.Format("20060102-150405")
}

// Slug is name in lower case with runs of other characters as one dash;
// "connector" when nothing is left.
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	if s := strings.TrimSuffix(b.String(), "-"); s != "" {
		return s
	}
	return "connector"
}

// OperationIDs names the operation of a proxied request (method and path
// below the basePath), "" when none matches: ProxyOptions.Operation.
func OperationIDs(c *connector.Connector) func(method, path string) string {
	router := route.New(c)
	return func(method, path string) string {
		// The proxy passes paths below the basePath; the lookup
		// allocates nothing (issue 17).
		if op := router.OperationBelowBase(method, path); op != nil {
			return op.ID
		}
		return ""
	}
}
