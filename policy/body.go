package policy

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// jsonBody is a request or response body, read at most once and only when
// a body policy applies, so streaming bodies pass through untouched
// otherwise.
type jsonBody struct {
	loaded bool
	val    any    // decoded JSON (ordered model) when ok
	ok     bool   // the body is JSON and may be rewritten
	why    string // why not, for the trace
	dirty  bool   // a policy changed val
	size   int    // decoded length, a hint for re-encoding
}

// readBody reads rc up to max bytes. It returns the bytes read and a body
// that replays exactly what the caller would have read: the bytes, then the
// rest of rc when the cap was hit (over is then true).
func readBody(rc io.ReadCloser, max int64) (data []byte, replay io.ReadCloser, over bool, err error) {
	data, err = io.ReadAll(io.LimitReader(rc, max+1))
	if err != nil {
		return nil, rc, false, err
	}
	if int64(len(data)) > max {
		return data, struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(data), rc), rc}, true, nil
	}
	_ = rc.Close()
	return data, io.NopCloser(bytes.NewReader(data)), false, nil
}

// decodeContent undoes a Content-Encoding, bounded by max decoded bytes.
func decodeContent(enc string, data []byte, max int64) ([]byte, error) {
	var r io.Reader
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "", "identity":
		return data, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		r = zr
	case "deflate":
		// RFC 9110 deflate is zlib-wrapped; some servers send raw deflate.
		if zr, err := zlib.NewReader(bytes.NewReader(data)); err == nil {
			r = zr
		} else {
			r = flate.NewReader(bytes.NewReader(data))
		}
	default:
		return nil, fmt.Errorf("%s encoding is not supported", enc)
	}
	out, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(out)) > max {
		return nil, fmt.Errorf("decoded body is larger than %d bytes", max)
	}
	return out, nil
}

// parse fills b from the (decoded) bytes.
func (b *jsonBody) parse(data []byte) {
	if len(bytes.TrimSpace(data)) == 0 {
		b.why = "the body is empty"
		return
	}
	v, err := decodeJSON(data)
	if err != nil {
		b.why = "the body is not JSON (" + err.Error() + ")"
		return
	}
	b.val, b.ok, b.size = v, true, len(data)
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func readCloser(data []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(data)) }
