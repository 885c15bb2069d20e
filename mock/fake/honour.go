package fake

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// eventNames are the names an event type goes by, in a subscribe request
// and in a payload.
var eventNames = map[string]bool{
	"event": true, "events": true, "eventtype": true, "eventtypes": true, "eventname": true, "eventnames": true,
	"type": true, "types": true, "trigger": true, "triggertype": true, "action": true, "actions": true,
	"changetype": true, "changetypes": true, "notificationtype": true, "topic": true, "topics": true,
	"subscriptiontype": true, "eventfilter": true, "eventkind": true, "kind": true, "webhookevent": true,
}

// notCarried are subscription values that describe the delivery, not the
// events: the callback, secrets, paging.
func notCarried(nk, v string) bool {
	if strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") {
		return true
	}
	for _, w := range []string{"callback", "notificationurl", "url", "uri", "hook", "secret", "token", "signature",
		"password", "apikey", "auth", "cursor", "page", "limit", "top", "skip", "offset", "apiversion", "format", "expand", "select"} {
		if strings.Contains(nk, w) {
			return true
		}
	}
	return false
}

// Honour returns a copy of a generated trigger payload that carries the
// values the subscriber chose: each subscription value (a subscribe body,
// query or path value) lands on the payload properties of the same name,
// and an event type on the payload's event-type property (event, eventType,
// type, action, changeType, ...), at any depth up to 4, where the value
// fits the property's schema. A comma-separated list ("created,updated")
// contributes its seq-th member, so successive events cycle through it.
// schema may be nil; values that do not fit are left out.
func Honour(payload any, schema *openapi3.SchemaRef, values map[string]string, seq int) any {
	if len(values) == 0 || payload == nil {
		return payload
	}
	byName := map[string]string{}
	event := ""
	for _, k := range slices.Sorted(maps.Keys(values)) {
		v := strings.TrimSpace(values[k])
		nk := norm(k)
		if v == "" || notCarried(nk, v) {
			continue
		}
		if parts := strings.Split(v, ","); len(parts) > 1 {
			v = strings.TrimSpace(parts[seq%len(parts)])
		}
		byName[nk] = v
		byName[norm(singular(k))] = v
		if eventNames[nk] && event == "" {
			event = v
		}
	}
	out := deepCopy(payload)
	honour(out, schema, byName, event, 0)
	return out
}

func honour(v any, sr *openapi3.SchemaRef, byName map[string]string, event string, depth int) {
	if depth > 4 {
		return
	}
	var s *openapi3.Schema
	if sr != nil {
		s = sr.Value
	}
	switch x := v.(type) {
	case []any:
		var items *openapi3.SchemaRef
		if s != nil {
			items = s.Items
		}
		for _, e := range x {
			honour(e, items, byName, event, depth+1)
		}
	case map[string]any:
		for k, e := range x {
			var ps *openapi3.SchemaRef
			if s != nil {
				ps = Property(s, k)
			}
			switch e.(type) {
			case map[string]any, []any:
				honour(e, ps, byName, event, depth+1)
				continue
			}
			nk := norm(k)
			want, ok := byName[nk]
			if !ok && eventNames[nk] && event != "" {
				want, ok = event, true
			}
			if !ok {
				continue
			}
			if t, fits := typed(want, e, ps); fits {
				x[k] = t
			}
		}
	}
}

// typed converts a subscription value to the type of the payload value
// cur (and its schema ps), reporting whether it fits.
func typed(want string, cur any, ps *openapi3.SchemaRef) (any, bool) {
	var t any = want
	switch cur.(type) {
	case int64:
		i, err := strconv.ParseInt(want, 10, 64)
		if err != nil {
			return nil, false
		}
		t = i
	case float64:
		f, err := strconv.ParseFloat(want, 64)
		if err != nil {
			return nil, false
		}
		t = f
	case bool:
		b, err := strconv.ParseBool(want)
		if err != nil {
			return nil, false
		}
		t = b
	case string, nil:
	default:
		return nil, false
	}
	if ps != nil && ps.Value != nil && safeVisit(ps.Value, t, openapi3.VisitAsResponse()) != nil && !EnumAccepts(ps.Value, t) {
		return nil, false
	}
	return t, true
}
