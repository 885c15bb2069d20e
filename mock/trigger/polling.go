package trigger

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/getkin/kin-openapi/openapi3"
)

// poller is the state of one polling trigger: the items made so far,
// numbered from 1. A cursor is the number of the last item a poller saw.
type poller struct {
	e        *Engine
	op       *connector.Operation
	policy   *PollingPolicy
	status   int
	envelope *openapi3.SchemaRef // the 200 response schema
	dataPath []string            // nil: the body is the item itself
	item     *openapi3.SchemaRef

	mu       sync.Mutex
	head     int          // number of the newest item
	first    int          // number of the oldest item kept
	items    []pollItem   // items first..head
	lastAt   time.Time    // time stamp of the newest item
	cursors  []CursorInfo // recent polls, newest last
	polls    int
	baseline int   // items made before Reset, never delivered
	bytes    int64 // JSON size of items
}

type pollItem struct {
	seq  int
	body any
	size int64 // JSON bytes, for the MaxItemBytes budget
}

// CursorInfo is one poll the engine answered, for the admin API.
type CursorInfo struct {
	OperationID string    `json:"operationId"`
	Cursor      int       `json:"cursor"`
	Next        int       `json:"next"`
	Status      int       `json:"status"`
	Items       int       `json:"items"`
	At          time.Time `json:"at"`
}

const keptCursors = 20

func (e *Engine) newPoller(op *connector.Operation, pp *PollingPolicy) *poller {
	p := &poller{e: e, op: op, policy: pp}
	p.status, p.envelope = successResponse(op)
	if p.status != http.StatusOK {
		// The protocol answers new data with 200 whatever the 2xx declared.
		p.status = http.StatusOK
	}
	if p.envelope == nil || p.envelope.Value == nil {
		p.envelope = &openapi3.SchemaRef{Value: openapi3.NewObjectSchema()}
	}
	if pp != nil && pp.DataPath != nil {
		if s := schemaAt(p.envelope, pp.DataPath); fake.IsType(s, "array") {
			p.dataPath = pp.DataPath
		} else if len(pp.DataPath) == 0 && fake.IsType(p.envelope, "array") {
			p.dataPath = []string{}
		}
	}
	if p.dataPath == nil {
		if path, ok := findCollection(p.envelope); ok {
			p.dataPath = path
		}
	}
	if p.dataPath != nil {
		if arr := schemaAt(p.envelope, p.dataPath); arr != nil && arr.Value != nil {
			p.item = arr.Value.Items
		}
		if p.item == nil {
			p.item = &openapi3.SchemaRef{Value: openapi3.NewObjectSchema()}
		}
	} else {
		p.item = p.envelope
	}
	p.seed()
	return p
}

// InitialItems is how many items a polling trigger has before any event.
const InitialItems = 2

func (p *poller) reset() {
	p.mu.Lock()
	p.baseline = p.head
	p.first = p.head + 1
	p.items, p.bytes = nil, 0
	p.cursors = nil
	p.polls = 0
	p.mu.Unlock()
	p.seed()
}

// seed makes the initial items.
func (p *poller) seed() {
	for i := 0; i < InitialItems; i++ {
		p.add(nil)
	}
}

// add makes one new item: body as given, or generated.
func (p *poller) add(body any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.head++
	seq := p.head
	if body == nil {
		body = p.e.gen.Generate(p.item, fake.Seed(p.e.seed, "item", p.op.ID, strconv.Itoa(seq)), "")
	}
	at := p.e.now().UTC().Truncate(time.Second)
	if !at.After(p.lastAt) {
		at = p.lastAt.Add(time.Second)
	}
	p.lastAt = at
	body = p.stamp(body, seq, at)
	size := int64(0)
	if b, err := json.Marshal(body); err == nil {
		size = int64(len(b))
	}
	p.items = append(p.items, pollItem{seq: seq, body: body, size: size})
	p.bytes += size
	if p.first == 0 {
		p.first = seq
	}
	// The oldest items go first, by count and by bytes (a --stateful
	// create of a 1 MiB resource feeds a polling trigger that resource:
	// 10,000 of them were 10 GB). The newest always stays.
	over := max(len(p.items)-p.e.maxItems, 0)
	for b := p.bytes; over < len(p.items)-1 && b > p.e.maxItemBytes; over++ {
		b -= p.items[over].size
	}
	if over > 0 {
		for _, it := range p.items[:over] {
			p.bytes -= it.size
		}
		p.items = append([]pollItem(nil), p.items[over:]...)
		p.first = p.items[0].seq
	}
}

var timeWords = regexp.MustCompile(`(?i:created|modified|updated|changed|timestamp|time|date|mtime|ctime)$|[a-z]At$|_at$`)

// stamp makes the fields the policy's triggerConfig reads (and created-at
// style fields) grow with seq, so a poller that follows them moves forward.
func (p *poller) stamp(body any, seq int, at time.Time) any {
	m, ok := body.(map[string]any)
	if !ok {
		return body
	}
	var fields [][]string
	if p.policy != nil {
		for _, c := range p.policy.Config {
			if c.Field != nil {
				fields = append(fields, c.Field)
			}
		}
	}
	for k := range m {
		if timeWords.MatchString(k) {
			fields = append(fields, []string{k})
		}
	}
	for _, f := range fields {
		s := schemaAt(p.item, f)
		if s == nil || s.Value == nil {
			continue
		}
		if _, ok := getPath(m, f); !ok && p.policy == nil {
			continue
		}
		var v any
		switch {
		case fake.IsType(s, "integer"), fake.IsType(s, "number"):
			v = int64(seq)
			if s.Value.Min != nil && *s.Value.Min > 0 {
				v = int64(*s.Value.Min) + int64(seq)
			}
			if s.Value.Max != nil && float64(v.(int64)) > *s.Value.Max {
				continue
			}
		case fake.IsType(s, "string") && (s.Value.Format == "date-time" || s.Value.Format == "" && len(s.Value.Enum) == 0 && s.Value.Pattern == ""):
			v = at.Format(time.RFC3339)
		case fake.IsType(s, "string") && s.Value.Format == "date":
			v = at.AddDate(0, 0, seq).Format("2006-01-02")
		default:
			continue
		}
		if s.Value.Format == "" && fake.IsType(s, "string") && !timeWords.MatchString(f[len(f)-1]) {
			// An ID the policy follows: keep it sortable as text.
			v = fmt.Sprintf("%012d", seq)
			if s.Value.MinLength > 12 || s.Value.MaxLength != nil && *s.Value.MaxLength < 12 {
				continue
			}
		}
		m = setPath(m, f, v).(map[string]any)
	}
	return m
}

// Poll answers one poll of a polling trigger.
func (e *Engine) Poll(op *connector.Operation, r Request) (Response, error) {
	p := e.polls[op.ID]
	if p == nil {
		return Response{}, fmt.Errorf("%w %q: not a polling trigger", ErrUnknownTrigger, op.ID)
	}
	q := r.query()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.polls++
	// A poller without state gets what is there (the seeded items at
	// first), then only what is new.
	cursor := p.first - 1
	if raw := q.Get(CursorParam); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			return Response{}, fmt.Errorf("%w: query parameter %s=%q was not issued by this mock; start again without it", ErrBadCursor, CursorParam, raw)
		}
		cursor = n
		if cursor > p.head {
			// The state outlived a reset: restart from now.
			cursor = p.head
		}
	}
	if cursor < p.first-1 {
		cursor = p.first - 1
	}
	var batch []pollItem
	for _, it := range p.items {
		if it.seq > cursor {
			batch = append(batch, it)
		}
	}
	limit := e.maxBatch
	if p.dataPath == nil || p.op.Trigger.Cardinality == "single" {
		limit = 1
	}
	if len(batch) > limit {
		batch = batch[:limit] // oldest first, so nothing is skipped
	}
	resp := Response{Header: http.Header{}, Notes: customCodeNote(op)}
	next := cursor
	if len(batch) == 0 {
		resp.Status = http.StatusAccepted
		resp.Header.Set("Retry-After", strconv.Itoa(int((e.after+time.Second-1)/time.Second)))
	} else {
		next = batch[len(batch)-1].seq
		resp.Status = p.status
		resp.Body = p.body(batch, filterValues(q))
	}
	resp.Header.Set("Location", p.location(r, next, resp.Body))
	resp.Notes = append(resp.Notes, recordings.Note{ID: "polling-trigger", Level: "info",
		Message: fmt.Sprintf("trigger state %d → %d: %d new item(s), %d made so far", cursor, next, len(batch), p.head-p.baseline)})
	p.cursors = append(p.cursors, CursorInfo{OperationID: op.ID, Cursor: cursor, Next: next, Status: resp.Status, Items: len(batch), At: e.now().UTC()})
	if len(p.cursors) > keptCursors {
		p.cursors = p.cursors[len(p.cursors)-keptCursors:]
	}
	return resp, nil
}

// body wraps items (oldest first) in the response envelope, newest first
// as trigger APIs list them and pollingtrigger policies read [0].
func (p *poller) body(batch []pollItem, filters map[string]string) any {
	if p.dataPath == nil {
		return fake.Honour(batch[0].body, p.item, filters, batch[0].seq)
	}
	arr := make([]any, 0, len(batch))
	for i := len(batch) - 1; i >= 0; i-- {
		arr = append(arr, fake.Honour(batch[i].body, p.item, filters, batch[i].seq))
	}
	if len(p.dataPath) == 0 {
		return arr
	}
	env := p.e.gen.Generate(p.envelope, fake.Seed(p.e.seed, "envelope", p.op.ID, strconv.Itoa(batch[0].seq)), "")
	return setPath(env, p.dataPath, arr)
}

// filterValues are the poll request's query values (the trigger's
// filters), the cursor left out; items carry them.
func filterValues(q url.Values) map[string]string {
	out := map[string]string{}
	for k, vs := range q {
		if k != CursorParam && len(vs) > 0 {
			out[k] = vs[0]
		}
	}
	return out
}

// location is the next poll URL: the request URL with the new trigger
// state, plus the parameters the pollingtrigger policy derives from the
// newest item.
func (p *poller) location(r Request, next int, body any) string {
	var u = *r.URL
	q := u.Query()
	q.Set(CursorParam, strconv.Itoa(next))
	if p.policy != nil && p.policy.Trigger != nil {
		// The policy engine evaluates triggerConfig against the answer,
		// as the gateway does; without new items the state stays.
		for _, c := range p.policy.Config {
			if c.Field == nil && c.Literal != "" {
				q.Set(c.Name, c.Literal)
			}
		}
		if body != nil {
			for k, vs := range p.policy.Trigger.Next(body) {
				q[k] = vs
			}
		}
	} else if p.policy != nil {
		for _, c := range p.policy.Config {
			if c.Field == nil {
				q.Set(c.Name, c.Literal)
				continue
			}
			if body == nil {
				continue
			}
			newest := body
			if p.dataPath != nil {
				arr, _ := getPath(body, p.dataPath)
				if len(p.dataPath) == 0 {
					arr = body
				}
				if a, ok := arr.([]any); ok && len(a) > 0 {
					newest = a[0]
				}
			}
			if v, ok := getPath(newest, c.Field); ok && v != nil {
				q.Set(c.Name, fmt.Sprint(v))
			}
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Cursors lists the recent polls of every polling trigger.
func (e *Engine) Cursors() []CursorInfo {
	var out []CursorInfo
	for _, id := range e.order {
		if p := e.polls[id]; p != nil {
			p.mu.Lock()
			out = append(out, p.cursors...)
			p.mu.Unlock()
		}
	}
	return out
}

var createWords = regexp.MustCompile(`(?i)new|creat|add|insert|register`)

// createsSameThing reports whether a POST that creates a resource is what a
// "when a ... is created" trigger reports, by the last literal path segment.
func createsSameThing(create, trig *connector.Operation) bool {
	if create == nil || trig == nil || create.Method != http.MethodPost || create.Trigger != nil {
		return false
	}
	if !createWords.MatchString(trig.ID + " " + trig.Summary) {
		return false
	}
	a, b := noun(create.Path), noun(trig.Path)
	return a != "" && a == b
}

func noun(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := len(segs) - 1; i >= 0; i-- {
		s := strings.ToLower(segs[i])
		if s == "" || strings.HasPrefix(s, "{") || s == "trigger" || s == "triggers" || s == "poll" || s == "new" {
			continue
		}
		return strings.TrimSuffix(s, "s")
	}
	return ""
}
