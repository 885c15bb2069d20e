package conform

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"

	"github.com/connectorlab/connectorlab/recordings"
)

// UnmarshalRecorded decodes a recorded JSON body into v. Redaction scrubs
// a secret's value wherever it appears in the stored text, so a secret
// that was a number or a boolean (a secret-named "hasSignature": true)
// leaves bare placeholders where JSON values were ("closed":REDACTED-…),
// and the body no longer parses. A body that fails to parse only because
// of such placeholders is decoded with each bare token that holds one
// read as a string: the placeholder string that stands for any value.
// Any other invalid JSON is still an error.
func UnmarshalRecorded(b []byte, v *any) error {
	err := json.Unmarshal(b, v)
	if err == nil || !bytes.Contains(b, []byte(recordings.PlaceholderPrefix)) {
		return err
	}
	q, ok := quoteBarePlaceholders(b)
	if !ok {
		return err
	}
	if json.Unmarshal(q, v) != nil {
		return err
	}
	return nil
}

// quoteBarePlaceholders replaces every run of value characters outside
// JSON strings that contains a placeholder (REDACTED-…, or 5REDACTED-…7
// where the secret was part of a number) with that placeholder as a JSON
// string; ok is false when there is none.
func quoteBarePlaceholders(b []byte) (out []byte, ok bool) {
	out = make([]byte, 0, len(b)+16)
	inStr, esc := false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inStr {
			out = append(out, c)
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		if c == '"' {
			inStr = true
			out = append(out, c)
			continue
		}
		if !bareByte(c) {
			out = append(out, c)
			continue
		}
		j := i
		for j < len(b) && bareByte(b[j]) {
			j++
		}
		run := b[i:j]
		if loc := placeholderRun.FindIndex(run); loc != nil {
			// The whole token was the secret's text or held it: the
			// value is redacted, whatever digits stay around it.
			out = append(out, '"')
			out = append(out, run[loc[0]:loc[1]]...)
			out = append(out, '"')
			ok = true
		} else {
			out = append(out, run...)
		}
		i = j - 1
	}
	return out, ok
}

// bareByte: a byte of a bare JSON token (number, true, false, null) or of
// a placeholder.
func bareByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '+' || c == '.'
}

var placeholderRun = regexp.MustCompile(regexp.QuoteMeta(recordings.PlaceholderPrefix) + `[0-9a-f]{16}`)

// PlaceholderPattern matches the texts s can stand for, each redaction
// placeholder in it read as any non-empty text: a recorded name or path
// segment in which the scrub replaced a secret's text ("ipAdREDACTED-…"
// for ipAddress where a secret was "dress").
func PlaceholderPattern(s string) *regexp.Regexp {
	parts := placeholderRun.Split(s, -1)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile("^" + strings.Join(parts, ".+") + "$")
}

// IsRedacted reports whether s is a redaction placeholder, also one whose
// hex the scrub cut into: the scrub replaces a short secret ("1234")
// wherever its text appears, inside another placeholder's hash too
// ("REDACTED-1ced4b4dd30REDACTED-5cbc211f0d3f3dfe3"; the hashes are keyed
// per store, so which placeholders it hits changes from run to run).
// Such a value still stands for any value.
func IsRedacted(s string) bool {
	if !strings.HasPrefix(s, recordings.PlaceholderPrefix) || !placeholderRun.MatchString(s) {
		return false
	}
	rest := strings.TrimPrefix(placeholderRun.ReplaceAllString(s, ""), recordings.PlaceholderPrefix)
	for _, c := range rest {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
