// Package pairtruth reads the ground truth of the corpus version pairs
// (contract/testdata/pairs-truth.json, transcribed from the pairs README)
// and scores findings against it. Tests of specdiff and of the end-to-end
// drift run share it so both are measured on the same list.
package pairtruth

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/contract"
)

// Item is one listed change.
type Item struct {
	Kind      string `json:"kind"`
	Operation string `json:"operation,omitempty"`
	Field     string `json:"field,omitempty"`
	Count     int    `json:"count,omitempty"`
	Note      string `json:"note,omitempty"`
}

func (it Item) String() string {
	s := it.Kind
	if it.Operation != "" {
		s += " " + it.Operation
	}
	if it.Field != "" {
		s += " " + it.Field
	}
	if it.Count > 0 {
		s += fmt.Sprintf(" ×%d", it.Count)
	}
	return s
}

// Truth maps a pair folder name to its listed changes.
type Truth map[string][]Item

// Load reads the truth file.
func Load(path string) (Truth, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f struct {
		Pairs Truth `json:"pairs"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f.Pairs, nil
}

// Pairs returns the pair names in order.
func (t Truth) Pairs() []string {
	out := make([]string, 0, len(t))
	for k := range t {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Matcher says which finding IDs name a kind of change. Count kinds
// ("operations-added") match when at least Count findings carry the IDs.
type Matcher map[string][]string

// Score is the outcome for one pair.
type Score struct {
	Pair    string
	Listed  int
	Found   int
	Missed  []Item
	Ignored []Item // kinds the matcher does not score
}

// Recall is Found / Listed (1 when nothing is listed).
func (s Score) Recall() float64 {
	if s.Listed == 0 {
		return 1
	}
	return float64(s.Found) / float64(s.Listed)
}

// Match scores findings against the items of one pair.
func Match(pair string, items []Item, fs []contract.Finding, m Matcher) Score {
	sc := Score{Pair: pair}
	for _, it := range items {
		ids, ok := m[it.Kind]
		if !ok {
			sc.Ignored = append(sc.Ignored, it)
			continue
		}
		sc.Listed++
		if matches(it, ids, fs) {
			sc.Found++
		} else {
			sc.Missed = append(sc.Missed, it)
		}
	}
	return sc
}

func matches(it Item, ids []string, fs []contract.Finding) bool {
	_, ok := Find(it, ids, fs)
	return ok
}

// Find returns the finding that names a listed change (for count kinds,
// the first of them), and whether there is one.
func Find(it Item, ids []string, fs []contract.Finding) (contract.Finding, bool) {
	has := func(id string) bool {
		for _, x := range ids {
			if x == id {
				return true
			}
		}
		return false
	}
	if it.Kind == "not-a-break" {
		for _, f := range fs {
			if f.Level >= contract.LevelWarning {
				return f, false
			}
		}
		return contract.Finding{ID: "(none at warning or above)", Level: contract.LevelInfo}, true
	}
	if it.Count > 0 {
		n := 0
		var first contract.Finding
		for _, f := range fs {
			if has(f.ID) {
				if n == 0 {
					first = f
				}
				n++
			}
		}
		first.Count = n
		return first, n >= it.Count
	}
	for _, f := range fs {
		if !has(f.ID) {
			continue
		}
		if strings.HasPrefix(it.Kind, "operation-renamed") {
			if f.Old == it.Operation && (it.Field == "" || f.New == it.Field) ||
				f.Operation == it.Field && (f.Old == "" || f.Old == it.Operation) {
				return f, true
			}
			continue
		}
		if it.Operation != "" && f.Operation != it.Operation {
			continue
		}
		if it.Field != "" && f.Field != it.Field && !(it.Kind == "parameter-removed" && strings.EqualFold(f.Field, it.Field)) {
			continue
		}
		return f, true
	}
	return contract.Finding{}, false
}
