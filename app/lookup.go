package app

import (
	"encoding/json"
	"fmt"
	"strings"
)

// LookupOption is one entry of a dynamic dropdown.
type LookupOption struct {
	Value string `json:"value"`
	Title string `json:"title"`
}

// LookupRequest asks the running mock for a dynamic dropdown's entries.
type LookupRequest struct {
	Path string `json:"path"`
	// Ref is the parameter's dynamic reference (from OperationView).
	Ref DynamicRefView `json:"ref"`
	// Values are the calling operation's current form values, keyed
	// "in:name", for lookup parameters mapped to them.
	Values map[string]string `json:"values"`
}

// Lookup fills a dynamic dropdown the way the designer does: it calls the
// lookup operation on the mock and picks value and title out of each item.
func (s *MockService) Lookup(req LookupRequest) ([]LookupOption, error) {
	ref := req.Ref
	if ref.OperationID == "" {
		return nil, &UserError{Message: "this dropdown names no lookup operation", Fix: "type the value instead"}
	}
	s.mu.Lock()
	m := s.find(req.Path)
	s.mu.Unlock()
	if m == nil {
		return nil, &UserError{Message: "the mock of this connector is not running", Fix: "start it on the Mock screen to fill dropdowns"}
	}
	op := m.connector().Operation(ref.OperationID)
	if op == nil {
		return nil, &UserError{Message: fmt.Sprintf("lookup operation %q is not in the definition", ref.OperationID), Fix: "fix x-ms-dynamic-values (see the validation findings)"}
	}
	params := map[string]string{}
	byName := map[string]string{}
	for k, v := range req.Values {
		_, name, _ := strings.Cut(k, ":")
		byName[name] = v
	}
	ov := operationView(op, nil)
	for name, src := range ref.Parameters {
		val := ""
		if p, ok := strings.CutPrefix(src, "param:"); ok {
			val = byName[p]
		} else if l, ok := strings.CutPrefix(src, "literal:"); ok {
			val = l
		}
		in := "query"
		for _, p := range ov.Parameters {
			if p.Name == name {
				in = p.In
			}
		}
		params[in+":"+name] = val
	}
	res, err := s.Try(TryRequest{Path: req.Path, OperationID: ref.OperationID, Params: params})
	if err != nil {
		return nil, err
	}
	if res.Status < 200 || res.Status > 299 {
		return nil, &UserError{Message: fmt.Sprintf("lookup %s answered %d", ref.OperationID, res.Status), Fix: "see the exchange in the traffic list for why"}
	}
	var body any
	if err := json.Unmarshal([]byte(res.Response.Body), &body); err != nil {
		return nil, &UserError{Message: "lookup " + ref.OperationID + " did not answer JSON", Fix: "check its response schema"}
	}
	return lookupOptions(body, ref), nil
}

// lookupOptions extracts the entries at value-collection with value-path
// and value-title (slash-separated paths, as Power Platform writes them).
func lookupOptions(body any, ref DynamicRefView) []LookupOption {
	coll := dig(body, ref.ValueCollection)
	items, _ := coll.([]any)
	out := []LookupOption{}
	for _, it := range items {
		v := dig(it, ref.ValuePath)
		if ref.ValuePath == "" {
			v = it
		}
		if v == nil {
			continue
		}
		val := scalar(v)
		title := val
		if ref.ValueTitle != "" {
			if t := dig(it, ref.ValueTitle); t != nil {
				title = scalar(t)
			}
		}
		out = append(out, LookupOption{Value: val, Title: title})
	}
	return out
}

func dig(v any, path string) any {
	path = strings.Trim(path, "/")
	if path == "" {
		return v
	}
	for _, part := range strings.FieldsFunc(path, func(r rune) bool { return r == '/' || r == '.' }) {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	return v
}

func scalar(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case nil:
		return ""
	case float64, bool:
		return fmt.Sprint(t)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
