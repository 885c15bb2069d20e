package app

import "github.com/connectorlab/connectorlab/workflow/mockhost"

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
	s.mu.Lock()
	m := s.find(req.Path)
	s.mu.Unlock()
	if m == nil {
		return nil, &UserError{Message: "the mock of this connector is not running", Fix: "start it on the Mock screen to fill dropdowns"}
	}
	r := req.Ref
	opts, err := m.h.Lookup(s.ctx, s.client, mockhost.Lookup{OperationID: r.OperationID, Parameters: r.Parameters,
		ValueCollection: r.ValueCollection, ValuePath: r.ValuePath, ValueTitle: r.ValueTitle}, req.Values)
	if err != nil {
		return nil, err
	}
	out := make([]LookupOption, len(opts))
	for i, o := range opts {
		out[i] = LookupOption(o)
	}
	return out, nil
}
