package policy

import (
	"strconv"
	"testing"
)

// Where quotesAsIs holds, strconv.Quote (and so fmt's %q, which the
// setheader note used) only adds the quotes; elsewhere the note still uses
// strconv.Quote. Checked for every byte, and the shortcut must hold for a
// plain value.
func TestQuoteMatchesStrconv(t *testing.T) {
	t.Parallel()
	tests := []string{"", "connectorlab-sample", "a b~c", `say "hi"`, `back\slash`, "tab\there", "line\nbreak", "caf\u00e9", "\u212A", "\x7f", "\xff", "emoji \U0001F600"}
	for b := 0; b < 256; b++ {
		tests = append(tests, "x"+string([]byte{byte(b)})+"y")
	}
	for _, s := range tests {
		if quotesAsIs(s) && strconv.Quote(s) != `"`+s+`"` {
			t.Errorf("quotesAsIs(%q), but strconv.Quote gives %s", s, strconv.Quote(s))
		}
	}
	if !quotesAsIs("connectorlab-sample") {
		t.Error(`quotesAsIs("connectorlab-sample") = false; the shortcut never applies`)
	}
}
