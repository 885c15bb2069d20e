package sqlite

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
)

// TestRowJSONMatchesEncodingJSON: the hand-written JSON columns are the
// bytes encoding/json wrote before (so rows read back the same), for the
// strings that json escapes differently: quotes, controls, HTML
// characters, U+2028/2029, invalid UTF-8.
func TestRowJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	tricky := []string{"", "plain", `q"uote\back`, "tab\tnl\ncr\r\b\f\x00\x1f", "<a href='x'>&amp;</a>", "line\u2028sep\u2029", "bad\xff\xfeutf8", "ünïcödé €", "\x7f"}
	headers := []http.Header{nil, {}, {"Accept": {"application/json"}, "X-Empty": {}, "X-Nil": nil}}
	for i, s := range tricky {
		headers = append(headers, http.Header{s: {s, "v"}, "Z-" + s: {s}, "A": {"1", "2"}, string(rune('a' + i)): {s}})
	}
	for _, h := range headers {
		want, _ := json.Marshal(h)
		if h == nil {
			want = []byte("{}") // a nil header is stored as an empty object
		}
		if got := appendHeaderJSON(nil, h); string(got) != string(want) {
			t.Errorf("header %q:\n got %s\nwant %s", h, got, want)
		}
	}
	var notes []recordings.Note
	var reds []recordings.Redaction
	for _, s := range tricky {
		notes = append(notes, recordings.Note{ID: s, Message: s}, recordings.Note{ID: "x", Level: s, Pointer: s, Message: "m"})
		reds = append(reds, recordings.Redaction{Where: s, Name: s, Hash: s})
	}
	for _, ns := range [][]recordings.Note{nil, {}, notes[:1], notes} {
		want, _ := json.Marshal(ns)
		if ns == nil {
			want = []byte("[]")
		}
		if got := appendNotesJSON(nil, ns); string(got) != string(want) {
			t.Errorf("notes:\n got %s\nwant %s", got, want)
		}
	}
	for _, rs := range [][]recordings.Redaction{nil, reds[:1], reds} {
		want, _ := json.Marshal(rs)
		if rs == nil {
			want = []byte("[]")
		}
		if got := appendRedactionsJSON(nil, rs); string(got) != string(want) {
			t.Errorf("redactions:\n got %s\nwant %s", got, want)
		}
	}
}

// TestURLPathFastMatchesURLParse: the fast path gives url.Parse's path or
// declines.
func TestURLPathFastMatchesURLParse(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"http://127.0.0.1:8080/v1/orders/42?api_key=x", "https://h/", "https://h", "http://h?x=1", "http://h/a/b?x=/c",
		"http://h/a%2Fb", "http://u:p@h/x", "http://h/x#frag", "http://h/x y", "/relative?x", "ftp://h/x", "http://h/a;b/c",
		"http://[::1]:80/p?q", "http://h//double//", "http://", "https://",
	} {
		got, ok := urlPathFast(raw)
		if !ok {
			continue
		}
		u, err := url.Parse(raw)
		if err != nil {
			t.Errorf("%q: fast path took a URL url.Parse rejects", raw)
			continue
		}
		want := u.Path
		if want == "" {
			want = "/"
		}
		if got != want {
			t.Errorf("%q: fast path %q, url.Parse %q", raw, got, want)
		}
	}
	if _, ok := urlPathFast("http://127.0.0.1/v1/orders/1"); !ok {
		t.Fatal("the common URL took the slow path: the test checks nothing")
	}
}
