package policy

import "testing"

// A parsed query that no policy touched is given back as written; that
// shortcut must agree with encoding it pair by pair.
func TestQueryUntouchedMatchesPairwise(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw       string
		untouched bool
	}{
		{"", true},
		{"expand=lines", true},
		{"a=1&b=%41&c", true},
		{"a=1&", false},
		{"&a=1", false},
		{"a=1&&b=2", false},
		{"&", false},
		{"api_key=s3cr3t&x=1", true},
		{"a+b=c%20d", true},
	}
	for _, tc := range tests {
		q := parseQuery(tc.raw)
		if q.untouched != tc.untouched {
			t.Errorf("parseQuery(%q).untouched = %v, want %v", tc.raw, q.untouched, tc.untouched)
		}
		slow := *q
		slow.untouched = false
		if got, want := q.encode(), slow.encode(); got != want {
			t.Errorf("%q: encode = %q, pairwise %q", tc.raw, got, want)
		}
		if got, want := q.redacted(""), slow.redacted(""); got != want {
			t.Errorf("%q: redacted = %q, pairwise %q", tc.raw, got, want)
		}
	}
}

// Any change to the pairs ends the shortcut.
func TestQueryChangesEndUntouched(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*queryList)
		want   string
	}{
		{"set", func(q *queryList) { q.set("a", "2") }, "a=2&b=x"},
		{"add", func(q *queryList) { q.add("c", "3") }, "a=1&b=x&c=3"},
		{"del", func(q *queryList) { q.del("b") }, "a=1"},
		{"merge", func(q *queryList) { q.merge(parseQuery("b=y")) }, "a=1&b=y"},
		{"del absent", func(q *queryList) { q.del("zz") }, "a=1&b=x"},
	}
	for _, tc := range tests {
		q := parseQuery("a=1&b=x")
		tc.change(q)
		if got := q.encode(); got != tc.want {
			t.Errorf("%s: encode = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// A secret query key is redacted even when nothing was rewritten.
func TestQueryUntouchedStillRedacts(t *testing.T) {
	t.Parallel()
	q := parseQuery("api_key=s3cr3t&x=1")
	if got, want := q.redacted(""), "api_key=REDACTED&x=1"; got != want {
		t.Errorf("redacted = %q, want %q", got, want)
	}
	q = parseQuery("sub=abc&x=1")
	q.secretKeys = append(q.secretKeys, "SUB")
	if got, want := q.redacted(""), "sub=REDACTED&x=1"; got != want {
		t.Errorf("redacted with a secret key = %q, want %q", got, want)
	}
	if got, want := q.redacted("v=1"), "v=1&sub=REDACTED&x=1"; got != want {
		t.Errorf("redacted with a base query = %q, want %q", got, want)
	}
}

// A query parsed into a request's spare room behaves like one parsed on
// its own, whether its pairs fit there or not.
func TestQueryParseIntoBuffer(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"a=1", "a=1&b=2", "a=1&b=2&c=3", "a=1&&b=2"} {
		var buf [2]qpair
		var q queryList
		q.parse(raw, buf[:0])
		q.add("z", "9")
		q.set("a", "x")
		want := parseQuery(raw)
		want.add("z", "9")
		want.set("a", "x")
		if got, w := q.encode(), want.encode(); got != w {
			t.Errorf("%q: encode = %q, want %q", raw, got, w)
		}
	}
}
