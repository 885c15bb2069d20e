package recordings

import (
	"mime"
	"testing"
)

// TestBodyMediaTypeAgreesWithMime checks the fast path of bodyMediaType
// against mime.ParseMediaType, which it replaces for plain values.
func TestBodyMediaTypeAgreesWithMime(t *testing.T) {
	t.Parallel()
	for _, v := range []string{
		"", "application/json", "Application/JSON", "text/html; charset=utf-8", "text/plain;charset=UTF-8",
		"application/json ; charset=utf-8", "text/html;", "text/html; ", "text/html; charset=", `text/html; charset="utf-8"`,
		" application/json", "application/", "/json", "application", "application/json; boundary=x",
		"application/json; charset=utf-8; x=y", "multipart/form-data; boundary=abc", "text/html; Charset=utf-8",
		"application/vnd.api+json", "application/problem+json", "application/x-www-form-urlencoded", "a/b/c", "téxt/html",
		"application/json\t", "application /json", "text/plain; charset=utf 8",
	} {
		want, _, _ := mime.ParseMediaType(v)
		if got := bodyMediaType(v); got != want {
			t.Errorf("bodyMediaType(%q) = %q, mime.ParseMediaType gives %q", v, got, want)
		}
	}
}
