package traffic

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Filter selects the rows of one live list. Scope is which streams the
// list is about (see InScope); the other fields are its filter bar, all of
// which must match. The window never holds the rows it does not show: it
// asks for the page it scrolls to, and filtering happens here.
type Filter struct {
	// Scope: "" every stream, "mock:PATH#*" every mock of the connector at
	// PATH, any other string one stream.
	Scope string `json:"scope"`
	// Stream: "" any, else one stream (a mock, a recording session).
	Stream string `json:"stream"`
	// Status: "" any, "1xx"…"5xx" a status class, "problems" errors,
	// error notes, 4xx/5xx and no response.
	Status string `json:"status"`
	// Operation: "" any, "-" rows that matched no operation, else one
	// operationId.
	Operation string `json:"operation"`
	// Text matches method, path, operation, status or source, case
	// insensitively; "4xx" matches a status class and "!" problems.
	Text string `json:"text"`
}

// Page is a window of the rows matching a Filter, newest first, and what
// the list shows around it (counts and the values of its filter menus).
type Page struct {
	// From is the index of Rows[0] among the matching rows, newest first.
	From int   `json:"from"`
	Rows []Row `json:"rows"`
	// Matching counts the rows that pass the filter; Total those in scope.
	Matching int `json:"matching"`
	Total    int `json:"total"`
	// Operations and Streams are the distinct operationIds and streams of
	// the rows in scope, sorted, for the filter menus.
	Operations []string `json:"operations"`
	Streams    []string `json:"streams"`
	// Latest is the Seq of the newest row in scope (0 when none).
	Latest int64 `json:"latest"`
}

// MaxPage bounds the rows of one Page: a window holds a few hundred
// around what it shows, never the whole list.
const MaxPage = 1000

// InScope says whether stream belongs to scope (see Filter.Scope).
func InScope(scope, stream string) bool {
	if scope == "" {
		return true
	}
	if path, ok := strings.CutSuffix(scope, "#*"); ok && strings.HasPrefix(path, "mock:") {
		return stream == path || strings.HasPrefix(stream, path+"#")
	}
	return stream == scope
}

// ParseFilter checks f's menus and returns the matcher for its rows.
func ParseFilter(f Filter) (func(*Row) bool, error) {
	status, err := statusMatch(f.Status)
	if err != nil {
		return nil, err
	}
	text := textMatch(f.Text)
	return func(r *Row) bool {
		if f.Stream != "" && r.Stream != f.Stream {
			return false
		}
		switch f.Operation {
		case "":
		case "-":
			if r.OperationID != "" {
				return false
			}
		default:
			if r.OperationID != f.Operation {
				return false
			}
		}
		return status(r) && text(r)
	}, nil
}

func statusMatch(s string) (func(*Row) bool, error) {
	switch {
	case s == "":
		return func(*Row) bool { return true }, nil
	case s == "problems":
		return isProblem, nil
	case len(s) == 3 && s[0] >= '1' && s[0] <= '5' && s[1:] == "xx":
		c := int(s[0] - '0')
		return func(r *Row) bool { return r.Status/100 == c }, nil
	}
	return nil, fmt.Errorf("traffic filter: status %q is not one of 1xx, 2xx, 3xx, 4xx, 5xx or problems", s)
}

func isProblem(r *Row) bool {
	return r.Error != "" || r.NoteLevel == "error" || r.Status >= 400 || r.Status == 0
}

func textMatch(q string) func(*Row) bool {
	needle := strings.ToLower(strings.TrimSpace(q))
	switch {
	case needle == "":
		return func(*Row) bool { return true }
	case needle == "!":
		return isProblem
	case len(needle) == 3 && needle[0] >= '1' && needle[0] <= '5' && needle[1:] == "xx":
		c := int(needle[0] - '0')
		return func(r *Row) bool { return r.Status/100 == c }
	}
	nb := []byte(needle)
	var buf [20]byte
	return func(r *Row) bool {
		return containsFold(r.Method, needle) || containsFold(r.Path, needle) || containsFold(r.OperationID, needle) ||
			containsFold(r.Source, needle) || bytes.Contains(strconv.AppendInt(buf[:0], int64(r.Status), 10), nb)
	}
}

// containsFold reports whether s contains the lower-case needle, ignoring
// case. ASCII s (paths, methods, operation ids: nearly every row) is
// compared in place, because a scan of 50,000 rows must not allocate a
// lower-case copy of each field.
func containsFold(s, needle string) bool {
	if len(needle) > len(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.Contains(strings.ToLower(s), needle)
		}
	}
	for i := 0; i+len(needle) <= len(s); i++ {
		j := 0
		for ; j < len(needle); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != needle[j] {
				break
			}
		}
		if j == len(needle) {
			return true
		}
	}
	return false
}

// Page returns count rows (at most MaxPage) of those matching f, newest
// first, starting at index from, with the counts and menus of the list.
// A from past the end gives no rows and the counts, so a window that
// scrolled past a Clear learns the new length.
func (t *Log) Page(f Filter, from, count int) (Page, error) {
	match, err := ParseFilter(f)
	if err != nil {
		return Page{}, err
	}
	if from < 0 || count < 0 {
		return Page{}, fmt.Errorf("traffic page: from %d and count %d must not be negative", from, count)
	}
	count = min(count, MaxPage)
	p := Page{From: from, Rows: []Row{}, Operations: []string{}, Streams: []string{}}
	ops, streams := map[string]bool{}, map[string]bool{}
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := len(t.order) - 1; i >= 0; i-- {
		k := t.kept[t.order[i]]
		r := &k.row
		if !InScope(f.Scope, r.Stream) {
			continue
		}
		if p.Total == 0 {
			p.Latest = r.Seq
		}
		p.Total++
		if r.OperationID != "" && !ops[r.OperationID] {
			ops[r.OperationID] = true
			p.Operations = append(p.Operations, r.OperationID)
		}
		if !streams[r.Stream] {
			streams[r.Stream] = true
			p.Streams = append(p.Streams, r.Stream)
		}
		if !match(r) {
			continue
		}
		if p.Matching >= from && len(p.Rows) < count {
			p.Rows = append(p.Rows, *r)
		}
		p.Matching++
	}
	sort.Strings(p.Operations)
	sort.Strings(p.Streams)
	return p, nil
}
