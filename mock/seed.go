package mock

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"net/url"
	"sort"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/connectorlab/connectorlab/recordings"
)

// requestSeed mixes the server seed with everything that identifies the
// request's data: operation, path parameters, query and body — but not
// the values a recording of this connector redacts (s.redacts, the one
// rule recordings/ applies: secret-named query keys, and secret-named
// JSON or form fields with everything below them). A replay has to send
// something else in their place (a placeholder fails the schema), so an
// answer seeded from them would differ between the recorded and the
// replayed request (issue 12: drift-field-absent on replay). Headers,
// where credentials travel, were never part of the seed.
func (s *Server) requestSeed(c *Call) uint64 {
	parts := []string{c.Operation.ID}
	keys := make([]string, 0, len(c.Params))
	for k := range c.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k, c.Params[k])
	}
	if q := c.Request.URL.RawQuery; q != "" {
		vals, _ := url.ParseQuery(q)
		for k := range vals {
			if s.redacts.Redacts(recordings.InQuery, k) {
				delete(vals, k)
			}
		}
		parts = append(parts, "?", vals.Encode())
	}
	if len(c.Body) > 0 {
		sum := sha256.Sum256(s.seedBody(c.Request.Header.Get("Content-Type"), c.Body))
		parts = append(parts, string(sum[:8]))
	}
	return fake.Seed(s.opts.Seed, parts...)
}

// seedBody is the body as the seed sees it: as sent, unless it holds a
// field the recording redacts. Then it is the body without those fields
// in canonical form — JSON re-encoded with sorted keys, a form sorted —
// because a replay rewrites such a body (substitutes, key order,
// escaping) and only its other values are the same.
func (s *Server) seedBody(contentType string, body []byte) []byte {
	mt := mediaBase(contentType)
	switch {
	case mt == "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return body
		}
		n := len(form)
		for k := range form {
			if s.redacts.Redacts(recordings.InField, k) {
				delete(form, k)
			}
		}
		if len(form) == n {
			return body
		}
		return []byte(form.Encode())
	case mt == "" || isJSONMedia(mt):
		t := bytes.TrimLeft(body, " \t\r\n")
		if len(t) == 0 || t[0] != '{' && t[0] != '[' || !s.redacts.NamesRedactedField(body) {
			return body
		}
		// Bounded like checkBody (which runs later): a nesting bomb is
		// hashed, never parsed.
		if jsonDepth(body, s.opts.MaxJSONDepth) > s.opts.MaxJSONDepth || connector.CountJSONNodes(body, s.opts.MaxJSONNodes) > s.opts.MaxJSONNodes {
			return body
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) != nil || dec.More() {
			return body
		}
		if !s.stripRedacted(v) {
			return body
		}
		out, err := json.Marshal(v)
		if err != nil {
			return body
		}
		return out
	}
	return body
}

// stripRedacted deletes, at any depth, the object members whose key the
// recording redacts; it reports whether it deleted any.
func (s *Server) stripRedacted(v any) bool {
	stripped := false
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s.redacts.Redacts(recordings.InField, k) {
				delete(x, k)
				stripped = true
				continue
			}
			stripped = s.stripRedacted(e) || stripped
		}
	case []any:
		for _, e := range x {
			stripped = s.stripRedacted(e) || stripped
		}
	}
	return stripped
}
