package recordings

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/andybalholm/brotli"
)

// Body limits.
const (
	// DefaultBodyCap is how much of a body is stored; the rest is dropped
	// and the message marked Truncated (Size and SHA256 still describe it
	// all).
	DefaultBodyCap = 5 << 20
	// DefaultDecodedCap bounds how far a gzip/br/deflate body is decoded:
	// a decompression bomb stops there.
	DefaultDecodedCap = 64 << 20
)

// Limits configure body capture.
type Limits struct {
	BodyCap    int64 // stored bytes per body; 0: DefaultBodyCap
	DecodedCap int64 // decoded bytes read per encoded body; 0: DefaultDecodedCap
	// TempDir holds bodies larger than BodyCap while they are forwarded;
	// "" is os.TempDir.
	TempDir string
}

func (l Limits) bodyCap() int64 {
	if l.BodyCap > 0 {
		return l.BodyCap
	}
	return DefaultBodyCap
}

func (l Limits) decodedCap() int64 {
	if l.DecodedCap > 0 {
		return l.DecodedCap
	}
	return DefaultDecodedCap
}

// Captured is a body read in full: the first BodyCap bytes in memory and
// the rest spilled to a temporary file, with its length and SHA-256. Call
// Close to remove the file.
type Captured struct {
	mem  []byte
	file *os.File
	size int64
	sum  string
}

// CaptureBody reads r to its end under limits.
func CaptureBody(r io.Reader, l Limits) (*Captured, error) { return captureBody(r, l, -1) }

// maxPresize is the largest declared body length a capture buffer is
// sized for up front.
const maxPresize = 64 << 10

// captureBody is CaptureBody with the body's declared length (-1:
// unknown): a buffer of that size is read into at once, where growing one
// from nothing copied a small body twice (issue 17).
func captureBody(r io.Reader, l Limits, length int64) (*Captured, error) {
	c := &Captured{}
	if r == nil || r == http.NoBody {
		return c, nil
	}
	// Read straight into the buffer (no 32 KiB copy buffer per body) and
	// hash afterwards: most bodies are small and end well before the cap.
	var buf bytes.Buffer
	if length > 0 && length <= maxPresize && length < l.bodyCap() {
		// +MinRead: ReadFrom wants that much room before each read, also
		// the last one that sees EOF. Only small bodies: a peer's claimed
		// length is not trusted with a large allocation before its bytes
		// arrive.
		buf.Grow(int(length) + bytes.MinRead)
	}
	n, err := buf.ReadFrom(io.LimitReader(r, l.bodyCap()))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	c.mem, c.size = buf.Bytes(), n
	h := sha256.New()
	h.Write(c.mem)
	if n == l.bodyCap() {
		// Maybe more: spill the rest to an unlinked temporary file.
		var one [1]byte
		if k, _ := io.ReadFull(r, one[:]); k == 1 {
			f, err := os.CreateTemp(l.TempDir, "connectorlab-body-*")
			if err != nil {
				return nil, fmt.Errorf("spill body: %w", err)
			}
			os.Remove(f.Name()) // nothing left behind on kill -9
			c.file = f
			m, err := io.Copy(io.MultiWriter(f, h), io.MultiReader(bytes.NewReader(one[:]), r))
			c.size += m
			if err != nil {
				c.Close()
				return nil, fmt.Errorf("read body: %w", err)
			}
		}
	}
	if c.size > 0 {
		c.sum = hex.EncodeToString(h.Sum(nil))
	}
	return c, nil
}

// capturedBytes is a body already read whole into b (at most the body
// cap), as CaptureBody would have captured it.
func capturedBytes(b []byte) *Captured {
	c := &Captured{mem: b, size: int64(len(b))}
	if len(b) > 0 {
		sum := sha256.Sum256(b)
		c.sum = hex.EncodeToString(sum[:])
	}
	return c
}

// Size is the full length.
func (c *Captured) Size() int64 { return c.size }

// SHA256 is the hex SHA-256 of the full body.
func (c *Captured) SHA256() string { return c.sum }

// Head is the in-memory prefix (at most BodyCap bytes).
func (c *Captured) Head() []byte { return c.mem }

// Reader reads the whole body from the start; each call starts over.
func (c *Captured) Reader() io.Reader {
	if c.file == nil {
		return bytes.NewReader(c.mem)
	}
	return io.MultiReader(bytes.NewReader(c.mem), io.NewSectionReader(c.file, 0, c.size-int64(len(c.mem))))
}

// Close releases the spill file.
func (c *Captured) Close() error {
	if c == nil || c.file == nil {
		return nil
	}
	err := c.file.Close()
	c.file = nil
	return err
}

// Message describes the captured body as a Message with header h: the
// stored body is decoded when Content-Encoding is gzip, x-gzip, br or
// deflate. Notes report a decode limit or failure.
func (c *Captured) Message(h http.Header, l Limits) (Message, []Note) {
	return describe(h, c.Reader, c.mem, c.size, c.sum, l)
}

func describe(h http.Header, all func() io.Reader, head []byte, size int64, sum string, l Limits) (Message, []Note) {
	m := Message{Header: cloneHeader(h), Size: size, SHA256: sum}
	if size == 0 {
		return m, nil
	}
	if int64(len(head)) > l.bodyCap() {
		head = head[:l.bodyCap()]
	}
	codings, bad := ContentCodings(h)
	if len(codings) == 0 {
		m.Body, m.Truncated = head, size > int64(len(head))
		return m, nil
	}
	enc := strings.Join(codings, ", ")
	reason := bad
	if reason == "" {
		dm, note, err := decode(all(), codings, l)
		if err == nil {
			dm.Header, dm.Encoding, dm.WireSize = m.Header, enc, size
			var notes []Note
			if note != nil {
				notes = append(notes, *note)
			}
			return dm, notes
		}
		reason = fmt.Sprintf("%s (%v)", enc, err)
	}
	// Never the wire bytes: nobody could redact them. What is kept says
	// what the body was (length and hash of the bytes as sent).
	msg := fmt.Sprintf("not stored: undecodable coding %s; %d bytes, sha256 %s", reason, size, sum)
	m.Body, m.Truncated, m.Encoding, m.WireSize = []byte(msg), true, enc, size
	return m, []Note{{ID: "body-not-stored", Level: "warning", Message: "body " + msg}}
}

// DecodableCodings are the content codings the proxy can decode (and so
// redact): only these are forwarded in Accept-Encoding.
var DecodableCodings = map[string]bool{"gzip": true, "x-gzip": true, "deflate": true, "br": true}

// maxCodings bounds stacked content codings ("gzip, gzip, …").
const maxCodings = 4

// ContentCodings lists h's Content-Encoding codings in the order they were
// applied (identity dropped, lower case). bad names the first coding that
// cannot be decoded, or says there are too many.
func ContentCodings(h http.Header) (codings []string, bad string) {
	for name, vs := range h {
		if !strings.EqualFold(name, "Content-Encoding") {
			continue
		}
		for _, v := range vs {
			for _, c := range strings.Split(v, ",") {
				c = strings.ToLower(strings.TrimSpace(c))
				if c == "" || c == "identity" {
					continue
				}
				codings = append(codings, c)
				if bad == "" && !DecodableCodings[c] {
					bad = c
				}
			}
		}
	}
	if bad == "" && len(codings) > maxCodings {
		bad = fmt.Sprintf("%s (more than %d stacked codings)", strings.Join(codings, ", "), maxCodings)
	}
	return codings, bad
}

// AcceptDecodable filters an Accept-Encoding value to the codings the
// proxy can decode, so the upstream never answers in one it cannot
// redact (zstd, compress, …). "identity" is what remains when nothing does.
func AcceptDecodable(v string) string {
	var keep []string
	for _, part := range strings.Split(v, ",") {
		p := strings.TrimSpace(part)
		name, _, _ := strings.Cut(p, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if DecodableCodings[name] || name == "identity" {
			keep = append(keep, p)
		}
	}
	if len(keep) == 0 {
		return "identity"
	}
	return strings.Join(keep, ", ")
}

func decode(r io.Reader, codings []string, l Limits) (Message, *Note, error) {
	dr := r
	for i := len(codings) - 1; i >= 0; i-- {
		switch codings[i] {
		case "gzip", "x-gzip":
			z, err := gzip.NewReader(dr)
			if err != nil {
				return Message{}, nil, err
			}
			defer z.Close()
			dr = z
		case "br":
			dr = brotli.NewReader(dr)
		case "deflate":
			// HTTP's deflate is zlib-wrapped; many servers send raw
			// deflate. The zlib header tells them apart.
			br := bufio.NewReader(dr)
			if b, err := br.Peek(2); err == nil && b[0]&0x0f == 8 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0 {
				z, err := zlib.NewReader(br)
				if err != nil {
					return Message{}, nil, err
				}
				defer z.Close()
				dr = z
			} else {
				z := flate.NewReader(br)
				defer z.Close()
				dr = z
			}
		default:
			return Message{}, nil, fmt.Errorf("unsupported coding %s", codings[i])
		}
	}
	enc := strings.Join(codings, ", ")
	h := sha256.New()
	var head bytes.Buffer
	w := &capWriter{buf: &head, cap: l.bodyCap(), h: h}
	n, err := io.Copy(w, io.LimitReader(dr, l.decodedCap()+1))
	if err != nil {
		return Message{}, nil, err
	}
	m := Message{Body: head.Bytes()}
	if n > l.decodedCap() {
		// A bomb or just huge: stop decoding; Size and SHA256 cannot
		// describe the decoded whole, so they describe the decoded prefix.
		m.Size, m.SHA256, m.Truncated = l.decodedCap(), hashOf(h), true
		return m, &Note{ID: "body-decode-limit", Level: "warning", Message: fmt.Sprintf("%s body decodes to more than %d bytes; decoding stopped there (size and sha256 describe the first %d decoded bytes)", enc, l.decodedCap(), l.decodedCap())}, nil
	}
	m.Size, m.SHA256, m.Truncated = n, hashOf(h), n > int64(head.Len())
	return m, nil, nil
}

// capWriter hashes everything and keeps the first cap bytes.
type capWriter struct {
	buf *bytes.Buffer
	cap int64
	h   hash.Hash
}

func (w *capWriter) Write(p []byte) (int, error) {
	w.h.Write(p)
	if room := w.cap - int64(w.buf.Len()); room > 0 {
		if int64(len(p)) > room {
			w.buf.Write(p[:room])
		} else {
			w.buf.Write(p)
		}
	}
	return len(p), nil
}

func hashOf(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)) }

// BodyMessage builds a Message from a body held in memory (what the mock
// and importers have), applying the cap and decoding like the proxy does.
func BodyMessage(h http.Header, body []byte, l Limits) (Message, []Note) {
	if len(body) == 0 {
		return Message{Header: cloneHeader(h)}, nil
	}
	sum := sha256.Sum256(body)
	return describe(h, func() io.Reader { return bytes.NewReader(body) }, body, int64(len(body)), hex.EncodeToString(sum[:]), l)
}

func headerGet(h http.Header, k string) string {
	for name, vs := range h {
		if strings.EqualFold(name, k) && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

func cloneHeader(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
