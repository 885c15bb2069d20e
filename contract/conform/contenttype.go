package conform

import (
	"fmt"
	"mime"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/contract"
	"github.com/getkin/kin-openapi/openapi3"
)

// checkContentType: a body's Content-Type must be one the response
// declares. It returns the media type to read the body as.
func checkContentType(resp *openapi3.Response, r Response, add func(contract.Finding)) string {
	got := r.Header.Get("Content-Type")
	media, _, err := mime.ParseMediaType(got)
	if err != nil {
		media = strings.ToLower(strings.TrimSpace(got))
	}
	if len(resp.Content) == 0 || len(r.Body) == 0 {
		return media
	}
	if got == "" {
		add(contract.Finding{ID: ContentTypeMissing, Level: contract.LevelWarning, Where: "response.header", Field: "Content-Type",
			Message: "the response has a body but no Content-Type"})
		return media
	}
	var declared []string
	for k := range resp.Content {
		declared = append(declared, k)
		if mediaMatches(k, media) {
			return media
		}
	}
	sort.Strings(declared)
	add(contract.Finding{ID: ContentTypeUndeclared, Level: contract.LevelWarning, Where: "response.header", Field: "Content-Type",
		Old: strings.Join(declared, ","), New: media,
		Message: fmt.Sprintf("Content-Type %s is not declared (declared: %s)", media, strings.Join(declared, ", "))})
	return media
}

// mediaMatches compares a declared media range with an actual type.
func mediaMatches(declared, actual string) bool {
	d, _, err := mime.ParseMediaType(declared)
	if err != nil {
		d = strings.ToLower(declared)
	}
	if d == actual || d == "*/*" {
		return true
	}
	if strings.HasSuffix(d, "/*") {
		return strings.HasPrefix(actual, strings.TrimSuffix(d, "*"))
	}
	return false
}
