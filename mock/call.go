package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/recordings"
)

// Call is one routed request on its way through the pipeline. Responders
// and Filters read it; they may append Notes and set Source.
type Call struct {
	Server    *Server
	Connector *connector.Connector
	Operation *connector.Operation
	// Template is the full path template matched (basePath included).
	Template string
	// Params are the path parameters, decoded, by declared name.
	Params map[string]string
	// Request is the client's request. Its Body has been read into Body and
	// replaced by a reader over the same bytes.
	Request *http.Request
	Body    []byte
	// JSON is Body decoded when the request content type is JSON (nil
	// otherwise, or when it did not decode).
	JSON any
	// Seed is the per-request seed: Options.Seed mixed with the operation,
	// path parameters, query and body, less the values a recording
	// redacts (see requestSeed). Derive data from it to stay
	// deterministic.
	Seed   uint64
	Prefer Prefer
	// Principal is who authenticated (nil when auth is off or not needed).
	Principal *Principal
	State     *State
	// Source is what answered; Responders that are not simulation set it
	// (replay, spy, proxy). Defaults to recordings.SourceMock.
	Source recordings.Source
	Notes  []recordings.Note
}

// Note attaches an observation to the exchange.
func (c *Call) Note(id, level, pointer, msg string) {
	c.Notes = append(c.Notes, recordings.Note{ID: id, Level: level, Pointer: pointer, Message: msg})
}

// Reply is a complete response, built in memory before it is written.
type Reply struct {
	Status int
	Header http.Header
	Body   []byte
	// Final skips the Filters: the Responder's answer is complete as it is
	// (a stateful list must not be re-paged with generated items).
	Final bool
}

// NewReply returns a Reply with an empty header map.
func NewReply(status int) *Reply { return &Reply{Status: status, Header: http.Header{}} }

// JSONReply encodes v as compact JSON (HTML characters not escaped) with
// the given content type, "application/json" when empty.
func JSONReply(status int, contentType string, v any) (*Reply, error) {
	b, err := marshalJSON(v)
	if err != nil {
		return nil, err
	}
	r := NewReply(status)
	if contentType == "" {
		contentType = "application/json"
	}
	r.Header.Set("Content-Type", contentType)
	r.Body = b
	return r, nil
}

func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Responder claims an operation's response. It returns nil, nil to let the
// next Responder (and finally simulation) answer. An error answers 500.
type Responder interface {
	Respond(ctx context.Context, c *Call) (*Reply, error)
}

// ResponderFunc adapts a function to Responder.
type ResponderFunc func(ctx context.Context, c *Call) (*Reply, error)

// Respond calls f.
func (f ResponderFunc) Respond(ctx context.Context, c *Call) (*Reply, error) { return f(ctx, c) }

// Filter rewrites a Reply before it is emitted and written.
type Filter interface {
	Filter(ctx context.Context, c *Call, r *Reply) error
}

// FilterFunc adapts a function to Filter.
type FilterFunc func(ctx context.Context, c *Call, r *Reply) error

// Filter calls f.
func (f FilterFunc) Filter(ctx context.Context, c *Call, r *Reply) error { return f(ctx, c, r) }

// Prefer is the scenario a client asked for with the Prefer header, the
// convention Prism users know: "Prefer: code=404, example=missing,
// dynamic=true".
type Prefer struct {
	Code    int    // 0: the operation's success response
	Example string // a named example of the chosen response
	Dynamic bool   // generate from the schema even when an example exists
	// Invalid says why a preference could not be honoured (a 1xx code, a
	// code that is not a status); the mock refuses such a request with 400
	// rather than answer something the client did not ask for.
	Invalid string
}

// maxPreferExample bounds the example name a Prefer header may carry.
const maxPreferExample = 256

// CheckPreferCode says why code cannot be a Prefer or scenario status: an
// informational (1xx) code would switch or break the protocol instead of
// answering (101 hands the connection over), and anything outside
// 200-599 is not a final status.
func CheckPreferCode(code int) string {
	switch {
	case code >= 100 && code < 200:
		return fmt.Sprintf("code=%d is an informational (1xx) status: the mock cannot answer with it (101 would hand the connection over to another protocol); ask for a final status, 200-599", code)
	case code < 200 || code > 599:
		return fmt.Sprintf("code=%d is not an HTTP status; ask for 200-599", code)
	}
	return ""
}

// ParsePrefer reads every Prefer header of h. Unknown preferences are
// ignored, as RFC 7240 asks.
func ParsePrefer(h http.Header) Prefer {
	var p Prefer
	for _, line := range h.Values("Prefer") {
		for _, part := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ';' }) {
			k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
			v = strings.Trim(strings.TrimSpace(v), `"`)
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "code":
				n, err := strconv.Atoi(v)
				if err != nil {
					if p.Invalid == "" {
						p.Invalid = fmt.Sprintf("code=%.40q is not a number; ask for a status such as code=404", v)
					}
					continue
				}
				if msg := CheckPreferCode(n); msg != "" {
					if p.Invalid == "" {
						p.Invalid = msg
					}
					continue
				}
				p.Code = n
			case "example":
				if len(v) > maxPreferExample {
					if p.Invalid == "" {
						p.Invalid = fmt.Sprintf("example= names a %d-byte example; example names are at most %d bytes", len(v), maxPreferExample)
					}
					continue
				}
				p.Example = v
			case "dynamic":
				p.Dynamic = v == "" || strings.EqualFold(v, "true")
			}
		}
	}
	return p
}
