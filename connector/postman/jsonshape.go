package postman

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ShapeError reports a collection whose JSON is well formed but has a value
// of the wrong kind where the Postman collection format expects another.
// Pointer is an RFC 6901 JSON pointer into the collection ("" is the root).
type ShapeError struct {
	Pointer string
	Message string
}

func (e *ShapeError) Error() string {
	p := e.Pointer
	if p == "" {
		p = "(root)"
	}
	return "postman: " + p + ": " + e.Message
}

func shapeErr(ptr, format string, args ...any) error {
	return &ShapeError{Pointer: ptr, Message: fmt.Sprintf(format, args...)}
}

// decodeStrict decodes exactly one JSON value from data, keeping numbers as
// json.Number so large integers survive unchanged.
func decodeStrict(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty input")
		}
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("unexpected data after the top-level value (offset %d)", dec.InputOffset())
	}
	return v, nil
}

// escapeToken escapes one reference token per RFC 6901.
func escapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	s = strings.ReplaceAll(s, "~", "~0")
	return strings.ReplaceAll(s, "/", "~1")
}

func ptrKey(ptr, key string) string   { return ptr + "/" + escapeToken(key) }
func ptrIdx(ptr string, i int) string { return ptr + "/" + strconv.Itoa(i) }

// kind names a decoded JSON value's kind for error messages.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number, float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// asObject returns v as an object. Absent (nil) values give a nil map.
func asObject(v any, ptr string) (map[string]any, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return t, nil
	}
	return nil, shapeErr(ptr, "expected object, got %s", kind(v))
}

// asArray returns v as an array. Absent (nil) values give a nil slice.
func asArray(v any, ptr string) ([]any, error) {
	switch t := v.(type) {
	case nil:
		return nil, nil
	case []any:
		return t, nil
	}
	return nil, shapeErr(ptr, "expected array, got %s", kind(v))
}

// asString returns v as a string; null is the empty string.
func asString(v any, ptr string) (string, error) {
	switch t := v.(type) {
	case nil:
		return "", nil
	case string:
		return t, nil
	}
	return "", shapeErr(ptr, "expected string, got %s", kind(v))
}

// asScalar renders a string, number or boolean value as text; null is "".
func asScalar(v any, ptr string) (string, error) {
	switch t := v.(type) {
	case nil:
		return "", nil
	case string:
		return t, nil
	case json.Number:
		return t.String(), nil
	case float64:
		return strconv.FormatFloat(t, 'g', -1, 64), nil
	case bool:
		return strconv.FormatBool(t), nil
	}
	return "", shapeErr(ptr, "expected string, number or boolean, got %s", kind(v))
}

// asBool reads a boolean flag; null and absent are false. Postman exports
// occasionally carry "true"/"false" as strings, which are accepted.
func asBool(v any, ptr string) (bool, error) {
	switch t := v.(type) {
	case nil:
		return false, nil
	case bool:
		return t, nil
	case string:
		if b, err := strconv.ParseBool(t); err == nil {
			return b, nil
		}
	}
	return false, shapeErr(ptr, "expected boolean, got %s", kind(v))
}

// asDisabled reads an entry's "disabled" flag, or the "enabled": false that
// some v2.0 exports write instead.
func asDisabled(obj map[string]any, ptr string) (bool, error) {
	disabled, err := asBool(obj["disabled"], ptrKey(ptr, "disabled"))
	if err != nil || disabled {
		return disabled, err
	}
	if obj["enabled"] != nil {
		enabled, err := asBool(obj["enabled"], ptrKey(ptr, "enabled"))
		return !enabled, err
	}
	return false, nil
}

// asDescription reads a Postman description: a string or an object whose
// "content" holds the text.
func asDescription(v any, ptr string) (string, error) {
	switch t := v.(type) {
	case nil:
		return "", nil
	case string:
		return t, nil
	case map[string]any:
		return asString(t["content"], ptrKey(ptr, "content"))
	}
	return "", shapeErr(ptr, "expected string or object, got %s", kind(v))
}
