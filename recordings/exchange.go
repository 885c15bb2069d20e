package recordings

import (
	"context"
	"net/http"
	"time"
)

// Source says what produced an exchange.
type Source string

// Sources of exchanges.
const (
	SourceMock   Source = "mock"   // answered by the mock from the definition
	SourceReplay Source = "replay" // answered by the mock from a recording
	SourceProxy  Source = "proxy"  // forwarded to the live API by the recording proxy
	SourceSpy    Source = "spy"    // a replay miss forwarded to the live API
	SourceImport Source = "import" // imported from a HAR file
	SourceTest   Source = "test"   // sent by a contract test run
	SourceEvent  Source = "event"  // a webhook delivery made by the mock
)

// Message is one side of an exchange. Body holds at most the store's body
// cap; Size and SHA256 always describe the full body as it crossed the wire
// (decoded when it was gzip or br encoded).
type Message struct {
	Header    http.Header `json:"headers,omitempty"`
	Body      []byte      `json:"body,omitempty"`
	Size      int64       `json:"size"`
	SHA256    string      `json:"sha256,omitempty"`
	Truncated bool        `json:"truncated,omitempty"`
	// Encoding is the Content-Encoding the body crossed the wire with
	// ("gzip", "br", "deflate"); Body, Size and SHA256 describe the decoded
	// body and WireSize the encoded one. Header keeps Content-Encoding as
	// sent, so a replay must drop it (and Content-Length) when it serves
	// Body.
	Encoding string `json:"encoding,omitempty"`
	WireSize int64  `json:"wireSize,omitempty"`
}

// Request is the request side of an exchange.
type Request struct {
	Method string `json:"method"`
	// URL is the request URL as the client sent it (path and query, plus
	// scheme and host when known), after redaction.
	URL string `json:"url"`
	Message
}

// Response is the response side of an exchange. Status is 0 when no
// response was received (see Exchange.Error).
type Response struct {
	Status int `json:"status"`
	Message
}

// Note is an observation attached to an exchange: a request validation
// problem, a fault the mock injected, a policy that ran, a redaction.
type Note struct {
	ID      string `json:"id"`              // stable, e.g. "request-param-invalid"
	Level   string `json:"level,omitempty"` // error | warning | info
	Pointer string `json:"pointer,omitempty"`
	Message string `json:"message"`
}

// Redaction marks one value that was replaced before the exchange was
// stored. Hash is a keyed hash of the original value, stable per store, so
// replay can still match on it without the secret being kept.
type Redaction struct {
	Where string `json:"where"` // "request.header", "request.query", "request.body", "response.header", "response.body", "request.url"
	Name  string `json:"name"`  // header, query key or JSON pointer
	Hash  string `json:"hash"`
}

// Exchange is one request and its response.
type Exchange struct {
	ID        int64  `json:"id,omitempty"` // assigned by the store
	SessionID int64  `json:"sessionId,omitempty"`
	Source    Source `json:"source"`
	// Connector is the connector name; OperationID the matched operation
	// ("" when no operation matched).
	Connector   string `json:"connector,omitempty"`
	OperationID string `json:"operationId,omitempty"`

	StartedAt time.Time     `json:"startedAt"`
	Duration  time.Duration `json:"duration"`
	// Upstream is the time spent waiting for the live API, when there was one.
	Upstream time.Duration `json:"upstream,omitempty"`

	Request  Request  `json:"request"`
	Response Response `json:"response"`
	// Error says why no (or no valid) response was produced: upstream
	// unreachable, timeout, connection reset injected, ...
	Error string `json:"error,omitempty"`

	Notes      []Note      `json:"notes,omitempty"`
	Redactions []Redaction `json:"redactions,omitempty"`
}

// Sink receives exchanges as they happen: the mock's traffic log, the
// recording proxy's store writer and the desktop UI's live list all
// implement it. Record returns only once the exchange is as durable as the
// sink promises (a database sink: committed), so callers that must not lose
// an exchange wait for it before answering their client.
type Sink interface {
	Record(ctx context.Context, x *Exchange) error
}

// SinkFunc adapts a function to Sink.
type SinkFunc func(ctx context.Context, x *Exchange) error

// Record calls f.
func (f SinkFunc) Record(ctx context.Context, x *Exchange) error { return f(ctx, x) }

// Sinks fans an exchange out to several sinks in order and returns the
// first error; every sink is called even when an earlier one fails.
type Sinks []Sink

// Record implements Sink.
func (s Sinks) Record(ctx context.Context, x *Exchange) error {
	var first error
	for _, k := range s {
		if k == nil {
			continue
		}
		if err := k.Record(ctx, x); err != nil && first == nil {
			first = err
		}
	}
	return first
}
