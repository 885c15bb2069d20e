package sqlite

import (
	"net/http"
	"slices"
	"unicode/utf8"

	"github.com/connectorlab/connectorlab/recordings"
)

// The JSON columns of an exchange row (headers, notes, redactions),
// written by hand: encoding/json's reflection was 2.6 µs of the
// recorder's 56 µs per exchange (issue 17 profile). The output is the
// bytes json.Marshal gives for the same values (TestRowJSONMatchesEncodingJSON),
// so stored rows do not change.

// appendHeaderJSON appends h as json.Marshal(http.Header) would: keys
// sorted, a nil value as null; a nil h as {}.
func appendHeaderJSON(b []byte, h http.Header) []byte {
	b = append(b, '{')
	var small [16]string
	keys := small[:0]
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		vs := h[k]
		if vs == nil {
			b = append(b, "null"...)
			continue
		}
		b = append(b, '[')
		for j, v := range vs {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, v)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendNotesJSON(b []byte, ns []recordings.Note) []byte {
	b = append(b, '[')
	for i, n := range ns {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendJSONString(b, n.ID)
		if n.Level != "" {
			b = append(b, `,"level":`...)
			b = appendJSONString(b, n.Level)
		}
		if n.Pointer != "" {
			b = append(b, `,"pointer":`...)
			b = appendJSONString(b, n.Pointer)
		}
		b = append(b, `,"message":`...)
		b = appendJSONString(b, n.Message)
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendRedactionsJSON(b []byte, rs []recordings.Redaction) []byte {
	b = append(b, '[')
	for i, r := range rs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"where":`...)
		b = appendJSONString(b, r.Where)
		b = append(b, `,"name":`...)
		b = appendJSONString(b, r.Name)
		b = append(b, `,"hash":`...)
		b = appendJSONString(b, r.Hash)
		b = append(b, '}')
	}
	return append(b, ']')
}

const hexDigits = "0123456789abcdef"

// appendJSONString is encoding/json's string encoding with HTML escaping
// (its default): <, > and & as \u00XX, U+2028 and U+2029 escaped, invalid
// UTF-8 as U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// urlPathFast is urlPath without url.Parse for the common absolute
// http(s) URL whose path needs no unescaping; ok is false otherwise.
func urlPathFast(raw string) (path string, ok bool) {
	rest := raw
	switch {
	case len(rest) > 7 && rest[:7] == "http://":
		rest = rest[7:]
	case len(rest) > 8 && rest[:8] == "https://":
		rest = rest[8:]
	default:
		return "", false
	}
	end := len(rest)
	for i := 0; i < len(rest); i++ {
		switch rest[i] {
		case '%', '#', '@', '\\', ' ':
			return "", false // url.Parse decides these
		case '?':
			end = i
		}
		if end != len(rest) {
			break
		}
	}
	slash := -1
	for i := 0; i < end; i++ {
		if rest[i] == '/' {
			slash = i
			break
		}
	}
	if slash < 0 {
		return "/", true
	}
	return rest[slash:end], true
}
