package contract

import "sort"

// Rule describes one finding ID: its usual level and what it means. The
// level of a single finding may differ where the context says so (a
// removed parameter that was internal is info, not a warning); the ID
// never changes meaning.
type Rule struct {
	ID      string `json:"id"`
	Level   Level  `json:"level"`
	Kind    Kind   `json:"kind"` // diff, test or drift
	Summary string `json:"summary"`
}

// Catalogue collects rules from the packages that define them.
type Catalogue []Rule

// Sorted returns the rules ordered by kind and ID.
func (c Catalogue) Sorted() Catalogue {
	out := append(Catalogue(nil), c...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Lookup finds a rule by ID.
func (c Catalogue) Lookup(id string) (Rule, bool) {
	for _, r := range c {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
