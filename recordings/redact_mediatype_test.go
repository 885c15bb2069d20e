package recordings

import (
	"bytes"
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

// TestHasSchemeSepAgreesWithContains checks hasSchemeSep against the
// bytes.Contains it replaces in needsParse.
func TestHasSchemeSepAgreesWithContains(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"", ":", "//", "://", "a://b", `{"t":"03:04:05"}`, `{"u":"http://x/?a=1"}`, "a//b:", ":/ /", "x:///", "::://",
		`{"p":"/a//b"}`, "//:", "/://", ":/", "a:/b//c",
	} {
		if got, want := hasSchemeSep([]byte(s)), bytes.Contains([]byte(s), []byte("://")); got != want {
			t.Errorf("hasSchemeSep(%q) = %v, bytes.Contains gives %v", s, got, want)
		}
	}
}
