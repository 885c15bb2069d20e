package mock

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/getkin/kin-openapi/openapi3"
)

// ChooseResponse picks the response the operation answers with: the code
// Prefer asks for, else the lowest 2xx, else 2XX, else default, else the
// lowest 3xx. status is the HTTP status to send; resp may be nil when the
// operation declares nothing usable.
func ChooseResponse(op *openapi3.Operation, prefer int) (status int, key string, resp *openapi3.Response) {
	if op == nil || op.Responses == nil {
		return http.StatusOK, "", nil
	}
	m := op.Responses.Map()
	get := func(k string) *openapi3.Response {
		if r := m[k]; r != nil && r.Value != nil {
			return r.Value
		}
		return nil
	}
	if prefer != 0 {
		code := strconv.Itoa(prefer)
		if r := get(code); r != nil {
			return prefer, code, r
		}
		rng := code[:1] + "XX"
		for _, k := range []string{rng, strings.ToLower(rng)} {
			if r := get(k); r != nil {
				return prefer, k, r
			}
		}
		if r := get("default"); r != nil {
			return prefer, "default", r
		}
		return prefer, "", nil
	}
	best := 0
	for k := range m {
		if n, err := strconv.Atoi(k); err == nil && n >= 200 && n < 300 && (best == 0 || n < best) && get(k) != nil {
			best = n
		}
	}
	if best != 0 {
		return best, strconv.Itoa(best), get(strconv.Itoa(best))
	}
	for _, k := range []string{"2XX", "2xx"} {
		if r := get(k); r != nil {
			return http.StatusOK, k, r
		}
	}
	if r := get("default"); r != nil {
		return http.StatusOK, "default", r
	}
	for k := range m {
		if n, err := strconv.Atoi(k); err == nil && n >= 300 && n < 400 && (best == 0 || n < best) && get(k) != nil {
			best = n
		}
	}
	if best != 0 {
		return best, strconv.Itoa(best), get(strconv.Itoa(best))
	}
	return http.StatusOK, "", nil
}

// ChooseMediaType picks the response content type: the best match for
// Accept, else JSON, else the first declared (sorted).
func ChooseMediaType(content openapi3.Content, accept string) string {
	if len(content) == 0 {
		return ""
	}
	keys := make([]string, 0, len(content))
	for k := range content {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		ri, rj := mediaRank(keys[i]), mediaRank(keys[j])
		if ri != rj {
			return ri < rj
		}
		return keys[i] < keys[j]
	})
	if accept != "" && !strings.Contains(accept, "*/*") {
		bestQ := 0.0
		pick := ""
		for _, part := range strings.Split(accept, ",") {
			mt, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			mt = strings.ToLower(strings.TrimSpace(mt))
			q := 1.0
			for _, p := range strings.Split(params, ";") {
				if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && k == "q" {
					if f, err := strconv.ParseFloat(v, 64); err == nil {
						q = f
					}
				}
			}
			if q <= bestQ || q == 0 {
				continue
			}
			for _, k := range keys {
				if mediaMatches(mt, mediaBase(k)) {
					bestQ, pick = q, k
					break
				}
			}
		}
		if pick != "" {
			return pick
		}
	}
	return keys[0]
}

func mediaMatches(pattern, mt string) bool {
	if pattern == mt || pattern == "*/*" {
		return true
	}
	if strings.HasSuffix(pattern, "/*") {
		return strings.HasPrefix(mt, strings.TrimSuffix(pattern, "*"))
	}
	return false
}

func mediaRank(k string) int {
	mt := mediaBase(k)
	switch {
	case mt == "application/json":
		return 0
	case isJSONMedia(mt):
		return 1
	case mt == "*/*":
		return 4
	case strings.HasPrefix(mt, "text/"):
		return 2
	}
	return 3
}

// Simulate answers c from the definition: the chosen response, its
// example, or data generated from its schema. Behaviours call it to start
// from the simulated reply.
//
// Replies are memoised per (operation, seed, Accept, Prefer): determinism
// makes a repeated request's answer known, so it is built once. Callers may
// replace a returned Reply's Body or headers but must not modify the Body's
// bytes in place.
func (s *Server) Simulate(ctx context.Context, c *Call) (*Reply, error) {
	k := replyKey{op: c.Operation.ID, seed: c.Seed, accept: c.Request.Header.Get("Accept"), prefer: c.Prefer}
	if v, ok := s.replies.load(k); ok {
		c.Notes = append(c.Notes, v.notes...)
		return &Reply{Status: v.rep.Status, Header: v.rep.Header.Clone(), Body: v.rep.Body}, nil
	}
	n := len(c.Notes)
	rep, err := s.simulate(ctx, c)
	if err != nil {
		return nil, err
	}
	s.replies.store(k, cachedReply{rep: &Reply{Status: rep.Status, Header: rep.Header.Clone(), Body: rep.Body}, notes: append([]recordings.Note(nil), c.Notes[n:]...)}, len(rep.Body))
	return rep, nil
}

type replyKey struct {
	op     string
	seed   uint64
	accept string
	prefer Prefer
}

type cachedReply struct {
	rep   *Reply
	notes []recordings.Note
}

// replyCache memoises generated replies (see boundedCache).
type replyCache = boundedCache[replyKey, cachedReply]

func (s *Server) simulate(ctx context.Context, c *Call) (*Reply, error) {
	status, key, resp := ChooseResponse(c.Operation.Op, c.Prefer.Code)
	if c.Prefer.Code != 0 && key == "" {
		c.Note("prefer-undeclared", "warning", "", fmt.Sprintf("Prefer asked for %d, which the operation does not declare", c.Prefer.Code))
		return problemReply(status, "prefer-undeclared", http.StatusText(status),
			fmt.Sprintf("answering %d because the request's Prefer header asked for it; the operation does not declare it", status), nil), nil
	}
	rep := NewReply(status)
	if resp == nil {
		if key == "" && c.Prefer.Code == 0 {
			c.Note("no-success-response", "info", "", "the operation declares no success response; answering 200 with no body")
		}
		return rep, nil
	}
	s.headers(c, resp, rep)
	mtKey := ChooseMediaType(resp.Content, c.Request.Header.Get("Accept"))
	if mtKey == "" || !bodyAllowed(status) {
		return rep, nil
	}
	media := resp.Content[mtKey]
	mt := mediaBase(mtKey)
	if mt == "*/*" || mt == "" {
		mt = "application/json"
		if sch := schemaOf(media); sch != nil && (sch.Type.Is("string") || sch.Format == "binary") {
			mt = "application/octet-stream"
		}
	}
	value, has := s.bodyValue(c, mtKey, media, status)
	body, ct, err := encodeBody(mt, value, has, schemaOf(media), c.Seed)
	if err != nil {
		return nil, fmt.Errorf("encode %s response: %w", mt, err)
	}
	if ct == "" {
		ct = mtKey
		if !strings.Contains(ct, "/") || strings.Contains(ct, "*") {
			ct = mt
		}
	}
	if ct != "" {
		rep.Header.Set("Content-Type", ct)
	}
	rep.Body = body
	return rep, nil
}

func schemaOf(m *openapi3.MediaType) *openapi3.Schema {
	if m == nil || m.Schema == nil {
		return nil
	}
	return m.Schema.Value
}

type exampleKey struct {
	m    *openapi3.MediaType
	name string
}

// bodyValue returns the value to send: a named example (Prefer), the media
// type's example when it validates, or generated data.
func (s *Server) bodyValue(c *Call, mtKey string, media *openapi3.MediaType, status int) (any, bool) {
	if media == nil {
		return nil, false
	}
	if name := c.Prefer.Example; name != "" {
		if ex := media.Examples[name]; ex != nil && ex.Value != nil {
			return ex.Value.Value, true
		}
		c.Note("prefer-example-missing", "warning", "", fmt.Sprintf("no example named %q for %s; answering with generated data", name, mtKey))
	}
	if !c.Prefer.Dynamic {
		if v, ok := s.example(media); ok {
			return v, true
		}
	}
	if media.Schema == nil || media.Schema.Value == nil {
		return nil, false
	}
	v := s.gen.GenerateFor(media.Schema, c.Seed, "", status)
	s.echoID(c, media.Schema.Value, v)
	return v, true
}

// echoID makes a generated resource carry the id it was asked for: GET
// /orders/{orderId} answers an object whose id (or orderId) is the path's
// value, when that value fits the property's schema.
func (s *Server) echoID(c *Call, sch *openapi3.Schema, v any) {
	obj, ok := v.(map[string]any)
	if !ok || len(c.Params) == 0 {
		return
	}
	name := lastParam(c.Template)
	val, ok := c.Params[name]
	if !ok {
		return
	}
	lower := strings.ToLower(name)
	cands := []string{name}
	if lower == "id" || strings.HasSuffix(lower, "id") || strings.HasSuffix(lower, "_id") {
		cands = append(cands, "id", "Id", "ID")
	}
	for _, k := range cands {
		p := sch.Properties[k]
		if p == nil || p.Value == nil {
			continue
		}
		if _, present := obj[k]; !present {
			continue
		}
		var x any = val
		if p.Value.Type != nil && (p.Value.Type.Is("integer") || p.Value.Type.Is("number")) {
			f, err := strconv.ParseFloat(val, 64)
			if err != nil {
				continue
			}
			x = f
		}
		if safeVisit(p.Value, x, s.valid.schemaOpts(false)...) == nil {
			obj[k] = x
			return
		}
	}
}

// lastParam is the name of the last {parameter} of a path template.
func lastParam(tmpl string) string {
	i := strings.LastIndexByte(tmpl, '{')
	j := strings.LastIndexByte(tmpl, '}')
	if i < 0 || j < i {
		return ""
	}
	return tmpl[i+1 : j]
}

// example returns the media type's first valid example. Examples that do
// not validate against the schema are skipped: the mock promises schema-valid
// answers.
func (s *Server) example(media *openapi3.MediaType) (any, bool) {
	if v, ok := s.cache.Load(exampleKey{media, ""}); ok {
		e := v.(cachedExample)
		return e.v, e.ok
	}
	var cands []any
	if media.Example != nil {
		cands = append(cands, media.Example)
	}
	names := make([]string, 0, len(media.Examples))
	for k := range media.Examples {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, n := range names {
		if ex := media.Examples[n]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
			cands = append(cands, ex.Value.Value)
		}
	}
	out := cachedExample{}
	for _, x := range cands {
		if media.Schema == nil || media.Schema.Value == nil || safeVisit(media.Schema.Value, x, s.valid.schemaOpts(false)...) == nil {
			out = cachedExample{x, true}
			break
		}
	}
	s.cache.Store(exampleKey{media, ""}, out)
	return out.v, out.ok
}

type cachedExample struct {
	v  any
	ok bool
}

// headers fills declared response headers with generated values.
func (s *Server) headers(c *Call, resp *openapi3.Response, rep *Reply) {
	names := make([]string, 0, len(resp.Headers))
	for k := range resp.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, n := range names {
		h := resp.Headers[n]
		if h == nil || h.Value == nil || strings.EqualFold(n, "Content-Type") || strings.EqualFold(n, "Content-Length") {
			continue
		}
		if strings.EqualFold(n, "Location") {
			rep.Header.Set(n, s.location(c))
			continue
		}
		if strings.EqualFold(n, "Content-Encoding") || strings.EqualFold(n, "Transfer-Encoding") {
			// The mock's body is not encoded: a generated coding ("perfect
			// purse") makes clients and the recording proxy fail to
			// decode it. identity is the coding it has.
			if h.Value.Required {
				rep.Header.Set(n, "identity")
			}
			continue
		}
		if h.Value.Schema == nil {
			continue
		}
		v := s.gen.Generate(h.Value.Schema, fake.Seed(c.Seed, "header", n), n)
		if v == nil {
			continue
		}
		rep.Header.Set(n, scalarString(v))
	}
}

// location points at the request's own URL, which is where a created
// resource usually lives; stateful mode overrides it with the item URL.
func (s *Server) location(c *Call) string {
	u := url.URL{Path: c.Request.URL.Path}
	if c.Request.Host != "" {
		u.Scheme, u.Host = "http", c.Request.Host
	}
	return u.String()
}

func scalarString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// encodeBody serialises value for media type mt. ct, when not empty,
// overrides the declared content type (never needed today).
func encodeBody(mt string, value any, has bool, sch *openapi3.Schema, seed uint64) (body []byte, ct string, err error) {
	switch {
	case isJSONMedia(mt):
		if !has {
			return []byte("{}"), "", nil
		}
		b, err := marshalJSON(value)
		return b, "", err
	case strings.Contains(mt, "xml"):
		return encodeXML(value, rootName(sch)), "", nil
	case mt == "application/x-www-form-urlencoded":
		return []byte(formEncode(value)), "", nil
	case strings.HasPrefix(mt, "text/"):
		if !has {
			return nil, "", nil
		}
		if s, ok := value.(string); ok {
			return []byte(s), "", nil
		}
		if f, ok := value.(float64); ok {
			return []byte(strconv.FormatFloat(f, 'f', -1, 64)), "", nil
		}
		b, err := marshalJSON(value)
		return b, "", err
	}
	return binaryBody(mt, value, seed), "", nil
}

func rootName(sch *openapi3.Schema) string {
	if sch != nil && sch.XML != nil && sch.XML.Name != "" {
		return sch.XML.Name
	}
	return "root"
}

func formEncode(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return url.Values{"value": {scalarString(v)}}.Encode()
	}
	vals := url.Values{}
	for k, e := range m {
		vals.Set(k, scalarString(e))
	}
	return vals.Encode()
}

// binaryBody returns small, well-formed bytes for common binary types, and
// seeded bytes for the rest.
func binaryBody(mt string, value any, seed uint64) []byte {
	switch {
	case mt == "application/pdf":
		return []byte(minimalPDF)
	case mt == "image/png":
		b, _ := base64.StdEncoding.DecodeString(pngPixel)
		return b
	case mt == "image/gif":
		b, _ := base64.StdEncoding.DecodeString(gifPixel)
		return b
	case strings.HasPrefix(mt, "image/jpeg"), mt == "image/jpg":
		b, _ := base64.StdEncoding.DecodeString(jpegPixel)
		return b
	}
	if s, ok := value.(string); ok && s != "" {
		return []byte(s)
	}
	out := make([]byte, 64)
	x := seed | 1
	for i := range out {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		out[i] = byte(x)
	}
	return out
}

const (
	pngPixel   = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
	gifPixel   = "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
	jpegPixel  = "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA="
	minimalPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

// encodeXML writes a JSON-like value as XML: objects become elements per
// key (sorted), arrays repeat their parent element.
func encodeXML(v any, root string) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
	writeXML(&b, xmlName(root), v, 0)
	return b.Bytes()
}

func writeXML(b *bytes.Buffer, name string, v any, depth int) {
	if depth > 32 {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		b.WriteString("<" + name + ">")
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if arr, ok := x[k].([]any); ok {
				for _, e := range arr {
					writeXML(b, xmlName(k), e, depth+1)
				}
				continue
			}
			writeXML(b, xmlName(k), x[k], depth+1)
		}
		b.WriteString("</" + name + ">")
	case []any:
		b.WriteString("<" + name + ">")
		for _, e := range x {
			writeXML(b, "item", e, depth+1)
		}
		b.WriteString("</" + name + ">")
	case nil:
		b.WriteString("<" + name + "/>")
	default:
		b.WriteString("<" + name + ">")
		xmlEscape(b, scalarString(x))
		b.WriteString("</" + name + ">")
	}
}

func xmlEscape(b *bytes.Buffer, s string) {
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
}

func xmlName(s string) string {
	var b strings.Builder
	for i, r := range s {
		ok := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && (r == '-' || r == '.' || r >= '0' && r <= '9')
		if ok {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "item"
	}
	return b.String()
}
