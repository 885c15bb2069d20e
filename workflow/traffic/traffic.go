package traffic

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/recordings"
)

// Row is the one-line summary of an exchange the live lists show. The
// full exchange is fetched by its Seq (Log.Get) when a row is selected,
// so the events stay small however big the bodies are.
type Row struct {
	Seq         int64  `json:"seq"`
	Stream      string `json:"stream"`
	Source      string `json:"source"`
	At          int64  `json:"at"` // unix milliseconds
	Method      string `json:"method"`
	Path        string `json:"path"`
	Status      int    `json:"status"`
	Millis      int64  `json:"millis"`
	OperationID string `json:"operationId,omitempty"`
	Error       string `json:"error,omitempty"`
	// Notes counts validation problems and other notes; NoteLevel is the
	// worst of their levels.
	Notes      int    `json:"notes,omitempty"`
	NoteLevel  string `json:"noteLevel,omitempty"`
	Redactions int    `json:"redactions,omitempty"`
}

// Batch says what arrived since the previous one: counts and the streams
// that got rows, never the rows themselves. A list whose scope has new
// rows asks for the page it shows (Log.Page); the window never holds every
// exchange.
type Batch struct {
	// New counts the rows added since the previous batch; Total the rows
	// kept now, of every stream.
	New   int `json:"new"`
	Total int `json:"total"`
	// Latest is the Seq of the newest row.
	Latest int64 `json:"latest"`
	// Streams lists the streams that got rows, sorted.
	Streams []string `json:"streams"`
}

// Log is the recordings.Sink behind every live list. Exchanges arrive
// one at a time from server goroutines; OnBatch hears of them in batches
// (at most one call per Interval) so 10,000 exchanges a minute cost a few
// hundred events, not 10,000 re-renders. Set the fields before use.
type Log struct {
	// OnBatch hears of new rows; OnClear gets the scope whose rows were
	// dropped ("" for all). Either may be nil.
	OnBatch  func(Batch)
	OnClear  func(stream string)
	Interval time.Duration
	MaxBatch int
	Capacity int
	// BodyBudget bounds the bytes of bodies kept in memory; past it the
	// oldest exchanges keep their row and headers but drop their bodies,
	// so a long session does not grow the app without bound.
	BodyBudget int64
	// DetailCapacity bounds the exchanges kept whole (headers, bodies,
	// notes) for the detail pane; older ones keep only their Row, which is
	// all the list needs: 10,000 whole exchanges held 19 MB of the
	// desktop's heap, their rows 2 MB.
	DetailCapacity int

	mu sync.Mutex
	// seq numbers the exchanges; pending counts those not yet announced
	// by a batch, and pendingStreams their streams.
	seq            int64
	pending        int
	pendingStreams map[string]bool
	timer          *time.Timer
	// ring of kept exchanges, oldest evicted first.
	kept  map[int64]*kept
	order []int64
	// bodyBytes is the size of the bodies kept; bodyFrom indexes order at
	// the oldest exchange that may still hold its bodies.
	bodyBytes int64
	bodyFrom  int
	// detailed counts the exchanges kept whole; detailFrom indexes order
	// at the oldest one that may still be.
	detailed   int
	detailFrom int
}

type kept struct {
	row     Row
	x       *recordings.Exchange // nil once only the row is kept
	dropped bool                 // bodies dropped to stay within bodyBudget
}

// Defaults of NewLog.
const (
	DefaultCapacity       = 50000
	DefaultBodyBudget     = 8 << 20
	DefaultDetailCapacity = 2000
)

// NewLog returns a Log with the defaults: batches every 100ms (at most
// 2,000 rows), the rows of the newest 50,000 exchanges, the newest 2,000
// whole and 8 MiB of bodies kept.
func NewLog(onBatch func(Batch), onClear func(string)) *Log {
	return &Log{OnBatch: onBatch, OnClear: onClear, Interval: 100 * time.Millisecond, MaxBatch: 2000, Capacity: DefaultCapacity,
		BodyBudget: DefaultBodyBudget, DetailCapacity: DefaultDetailCapacity}
}

func bodySize(x *recordings.Exchange) int64 {
	return int64(len(x.Request.Body) + len(x.Response.Body))
}

// Sink returns a recordings.Sink that tags exchanges with stream.
func (t *Log) Sink(stream string) recordings.Sink {
	return recordings.SinkFunc(func(_ context.Context, x *recordings.Exchange) error {
		t.Add(stream, x)
		return nil
	})
}

// Add keeps x under stream and queues its row for the next batch.
func (t *Log) Add(stream string, x *recordings.Exchange) Row {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.kept == nil {
		t.kept = map[int64]*kept{}
	}
	t.seq++
	row := rowOf(t.seq, stream, x)
	cp := *x
	t.kept[row.Seq] = &kept{row: row, x: &cp}
	t.order = append(t.order, row.Seq)
	t.bodyBytes += bodySize(x)
	t.detailed++
	if over := len(t.order) - t.Capacity; over > 0 {
		for _, s := range t.order[:over] {
			t.forget(t.kept[s])
			delete(t.kept, s)
		}
		t.order = append(t.order[:0:0], t.order[over:]...)
		t.bodyFrom = max(0, t.bodyFrom-over)
		t.detailFrom = max(0, t.detailFrom-over)
	}
	for t.bodyBytes > t.BodyBudget && t.bodyFrom < len(t.order)-1 {
		k := t.kept[t.order[t.bodyFrom]]
		t.bodyFrom++
		if k == nil || k.dropped || k.x == nil {
			continue
		}
		t.bodyBytes -= bodySize(k.x)
		k.x.Request.Body, k.x.Response.Body, k.dropped = nil, nil, true
	}
	for t.DetailCapacity > 0 && t.detailed > t.DetailCapacity && t.detailFrom < len(t.order)-1 {
		k := t.kept[t.order[t.detailFrom]]
		t.detailFrom++
		if k == nil || k.x == nil {
			continue
		}
		t.forget(k)
		k.x = nil
	}
	t.pending++
	if t.pendingStreams == nil {
		t.pendingStreams = map[string]bool{}
	}
	t.pendingStreams[stream] = true
	if t.pending >= t.MaxBatch {
		t.flushLocked()
	} else if t.timer == nil {
		t.timer = time.AfterFunc(t.Interval, t.Flush)
	}
	return row
}

// forget takes k's whole exchange out of the counts (the row stays).
func (t *Log) forget(k *kept) {
	if k == nil || k.x == nil {
		return
	}
	if !k.dropped {
		t.bodyBytes -= bodySize(k.x)
	}
	t.detailed--
}

// Flush announces the rows added since the last batch now.
func (t *Log) Flush() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.flushLocked()
}

func (t *Log) flushLocked() {
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
	if t.pending == 0 {
		return
	}
	b := Batch{New: t.pending, Total: len(t.order), Latest: t.seq, Streams: make([]string, 0, len(t.pendingStreams))}
	for s := range t.pendingStreams {
		b.Streams = append(b.Streams, s)
	}
	sort.Strings(b.Streams)
	t.pending, t.pendingStreams = 0, nil
	if t.OnBatch != nil {
		t.OnBatch(b)
	}
}

// Rows returns the kept rows of scope (see Filter.Scope), oldest first.
// The window pages them instead (Page); Go callers and tests read them all.
func (t *Log) Rows(scope string) []Row {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Row, 0, len(t.order))
	for _, s := range t.order {
		k := t.kept[s]
		if InScope(scope, k.row.Stream) {
			out = append(out, k.row)
		}
	}
	return out
}

// Get returns the row and exchange seq, whether its bodies were dropped,
// and whether it is still kept whole (false too for an exchange of which
// only the row is left: see DetailCapacity).
func (t *Log) Get(seq int64) (Row, recordings.Exchange, bool, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	k, ok := t.kept[seq]
	if !ok || k.x == nil {
		return Row{}, recordings.Exchange{}, false, false
	}
	return k.row, *k.x, k.dropped, true
}

// Clear drops the rows of scope (see Filter.Scope; "" for all).
func (t *Log) Clear(scope string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	order := t.order[:0]
	for _, s := range t.order {
		if k := t.kept[s]; InScope(scope, k.row.Stream) {
			t.forget(k)
			delete(t.kept, s)
			continue
		}
		order = append(order, s)
	}
	t.order = order
	t.bodyFrom, t.detailFrom = 0, 0
	if t.OnClear != nil {
		t.OnClear(scope)
	}
}

// BodyBytes is how many bytes of bodies are kept.
func (t *Log) BodyBytes() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.bodyBytes
}

func rowOf(seq int64, stream string, x *recordings.Exchange) Row {
	r := Row{
		Seq: seq, Stream: stream, Source: string(x.Source), At: x.StartedAt.UnixMilli(),
		Method: x.Request.Method, Path: pathOf(x.Request.URL), Status: x.Response.Status,
		Millis: x.Duration.Milliseconds(), OperationID: x.OperationID, Error: x.Error,
		Notes: len(x.Notes), Redactions: len(x.Redactions),
	}
	for _, n := range x.Notes {
		if levelRank(n.Level) > levelRank(r.NoteLevel) {
			r.NoteLevel = n.Level
		}
	}
	return r
}

func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" {
		return raw
	}
	if u.RawQuery != "" {
		return u.Path + "?" + u.RawQuery
	}
	return u.Path
}

// ExchangeView is one exchange in full, for the detail pane. Bodies are
// strings the window renders as text, never as markup.
type ExchangeView struct {
	Row        Row                    `json:"row"`
	URL        string                 `json:"url"`
	Request    MessageView            `json:"request"`
	Response   MessageView            `json:"response"`
	Notes      []recordings.Note      `json:"notes"`
	Redactions []recordings.Redaction `json:"redactions"`
	Upstream   int64                  `json:"upstreamMillis,omitempty"`
}

// MessageView is one side of an exchange.
type MessageView struct {
	Headers []HeaderView `json:"headers"`
	// Kind is json, text, binary or empty. JSON bodies are re-indented.
	Kind      string `json:"kind"`
	Body      string `json:"body"`
	Size      int64  `json:"size"`
	Truncated bool   `json:"truncated,omitempty"`
}

// HeaderView is one header line; Redacted marks values replaced before
// the exchange was stored.
type HeaderView struct {
	Name     string `json:"name"`
	Value    string `json:"value"`
	Redacted bool   `json:"redacted,omitempty"`
}

// View is exchange x (of row) in full, for a detail pane.
func View(row Row, x recordings.Exchange) ExchangeView {
	red := map[string]bool{}
	for _, r := range x.Redactions {
		red[r.Where+"|"+strings.ToLower(r.Name)] = true
	}
	v := ExchangeView{
		Row: row, URL: x.Request.URL,
		Request:    messageView(x.Request.Message, red, "request.header"),
		Response:   messageView(x.Response.Message, red, "response.header"),
		Notes:      x.Notes,
		Redactions: x.Redactions,
		Upstream:   x.Upstream.Milliseconds(),
	}
	if v.Notes == nil {
		v.Notes = []recordings.Note{}
	}
	if v.Redactions == nil {
		v.Redactions = []recordings.Redaction{}
	}
	return v
}

func messageView(m recordings.Message, redacted map[string]bool, where string) MessageView {
	v := MessageView{Headers: HeaderViews(m.Header, redacted, where), Size: m.Size, Truncated: m.Truncated}
	if v.Size == 0 {
		v.Size = int64(len(m.Body))
	}
	v.Kind, v.Body = BodyText(m.Body, m.Header.Get("Content-Type"))
	return v
}

// HeaderViews lists h sorted by name, marking the redacted values
// (redacted is keyed "where|lower-case name").
func HeaderViews(h http.Header, redacted map[string]bool, where string) []HeaderView {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	out := []HeaderView{}
	for _, n := range names {
		for _, val := range h[n] {
			out = append(out, HeaderView{Name: n, Value: val, Redacted: redacted[where+"|"+strings.ToLower(n)]})
		}
	}
	return out
}

// BodyText renders a body for display: JSON indented, text as is, binary
// as a short base64 preview.
func BodyText(b []byte, contentType string) (kind, text string) {
	if len(b) == 0 {
		return "empty", ""
	}
	if json.Valid(b) {
		var out strings.Builder
		var v any
		if err := json.Unmarshal(b, &v); err == nil {
			enc := json.NewEncoder(&out)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			if enc.Encode(v) == nil {
				return "json", strings.TrimSuffix(out.String(), "\n")
			}
		}
		return "json", string(b)
	}
	if utf8.Valid(b) {
		return "text", string(b)
	}
	const preview = 4096
	p := b
	if len(p) > preview {
		p = p[:preview]
	}
	return "binary", fmt.Sprintf("%d bytes of %s; base64 of the first %d:\n%s", len(b), orDefault(contentType, "binary data"), len(p), base64.StdEncoding.EncodeToString(p))
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// levelRank orders finding levels (error > warning > info > anything else).
func levelRank(l string) int {
	lv, err := connector.ParseLevel(l)
	if err != nil {
		return 0
	}
	return int(lv)
}
