package shape

import (
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/spelling"
)

// ChangeKind names a structural difference between two shapes.
type ChangeKind string

// Change kinds. Judging them (error, warning, info) is up to the caller.
const (
	Removed         ChangeKind = "removed"          // field in old, not in new
	Added           ChangeKind = "added"            // field in new, not in old
	Renamed         ChangeKind = "renamed"          // case-only rename in the same parent
	TypeChanged     ChangeKind = "type-changed"     // non-null types differ
	FormatChanged   ChangeKind = "format-changed"   // same type, other format
	NullableAdded   ChangeKind = "nullable-added"   // new may be null, old not
	NullableRemoved ChangeKind = "nullable-removed" // old may be null, new not
	EnumWidened     ChangeKind = "enum-widened"     // new allows values old did not
	EnumNarrowed    ChangeKind = "enum-narrowed"    // old allowed values new does not
	RequiredAdded   ChangeKind = "required-added"   // field became required
	RequiredRemoved ChangeKind = "required-removed" // field became optional
	BecameDynamic   ChangeKind = "became-dynamic"   // static shape → x-ms-dynamic-*
	BecameStatic    ChangeKind = "became-static"    // x-ms-dynamic-* → static shape
	ClosedAdded     ChangeKind = "closed-added"     // additionalProperties: false added
)

// Change is one structural difference at a path.
type Change struct {
	Kind ChangeKind `json:"kind"`
	Path string     `json:"path"`
	// NewPath is the new name of a Renamed field.
	NewPath string `json:"newPath,omitempty"`
	Old     *Node  `json:"old,omitempty"`
	New     *Node  `json:"new,omitempty"`
	// Values lists enum values added or removed.
	Values []string `json:"values,omitempty"`
	// Similar names an added sibling with a close name, for a Removed
	// field that was perhaps renamed ("compliant" → "complaint").
	Similar string `json:"similar,omitempty"`
}

// CompareOptions tune Compare.
type CompareOptions struct {
	// NumbersAlike treats integer and number as one type: right for
	// values, where 3 and 3.5 are both numbers; wrong for schemas.
	NumbersAlike bool
	// IgnoreRequired skips RequiredAdded/RequiredRemoved (value shapes,
	// where presence in every element is only evidence).
	IgnoreRequired bool
}

// Compare lists the changes from old to new, sorted by path. Below a
// field that was removed, added, changed container type or became
// dynamic nothing more is reported: one change, one finding.
func Compare(old, new Shape, opts CompareOptions) []Change {
	var out []Change
	stop := map[string]bool{} // paths below which nothing is reported
	below := func(p string) bool {
		for q := p; q != ""; {
			q, _ = Parent(q)
			if stop[q] {
				return true
			}
		}
		return false
	}
	paths := map[string]bool{}
	for p := range old {
		paths[p] = true
	}
	for p := range new {
		paths[p] = true
	}
	sorted := make([]string, 0, len(paths))
	for p := range paths {
		sorted = append(sorted, p)
	}
	// Parents sort before children ("a" < "a.b" < "a[]"), so stop marks
	// are set before the children are visited.
	sort.Strings(sorted)
	var removed, added []Change
	for _, p := range sorted {
		if below(p) {
			continue
		}
		o, n := old[p], new[p]
		if o == nil || n == nil {
			parent, _ := Parent(p)
			po, pn := old[parent], new[parent]
			// Below an open, dynamic, recursive or empty side nothing is
			// known, so absence there is not a change.
			if unknownBelow(po) || unknownBelow(pn) {
				stop[p] = true
				continue
			}
			if o == nil {
				added = append(added, Change{Kind: Added, Path: p, New: n})
			} else {
				removed = append(removed, Change{Kind: Removed, Path: p, Old: o})
			}
			stop[p] = true
			continue
		}
		if o.Dynamic != n.Dynamic {
			k := BecameDynamic
			if o.Dynamic {
				k = BecameStatic
			}
			out = append(out, Change{Kind: k, Path: p, Old: o, New: n})
			stop[p] = true
			continue
		}
		if o.Dynamic {
			stop[p] = true
			continue
		}
		ot, nt := effTypes(o, opts), effTypes(n, opts)
		if len(ot) > 0 && len(nt) > 0 && !equalStrings(ot, nt) ||
			len(ot) == 0 && len(nt) > 0 && !isValueNull(o) ||
			len(ot) > 0 && len(nt) == 0 && !isValueNull(n) {
			out = append(out, Change{Kind: TypeChanged, Path: p, Old: o, New: n})
			if container(ot) != container(nt) {
				stop[p] = true
				continue
			}
		} else if o.Format != n.Format && len(ot) > 0 && !opts.NumbersAlike && !formatAlias(o.Format, n.Format) {
			out = append(out, Change{Kind: FormatChanged, Path: p, Old: o, New: n})
		}
		on, nn := o.Nullable || o.HasType(TypeNull), n.Nullable || n.HasType(TypeNull)
		switch {
		case nn && !on:
			out = append(out, Change{Kind: NullableAdded, Path: p, Old: o, New: n})
		case on && !nn:
			out = append(out, Change{Kind: NullableRemoved, Path: p, Old: o, New: n})
		}
		if add, rem := enumDiff(o.Enum, n.Enum); len(add) > 0 || len(rem) > 0 || (len(o.Enum) == 0) != (len(n.Enum) == 0) {
			if len(add) > 0 || (len(o.Enum) > 0 && len(n.Enum) == 0) {
				out = append(out, Change{Kind: EnumWidened, Path: p, Old: o, New: n, Values: add})
			}
			if len(rem) > 0 || (len(o.Enum) == 0 && len(n.Enum) > 0) {
				out = append(out, Change{Kind: EnumNarrowed, Path: p, Old: o, New: n, Values: rem})
			}
		}
		if !opts.IgnoreRequired && p != "" {
			switch {
			case n.Required && !o.Required:
				out = append(out, Change{Kind: RequiredAdded, Path: p, Old: o, New: n})
			case o.Required && !n.Required:
				out = append(out, Change{Kind: RequiredRemoved, Path: p, Old: o, New: n})
			}
		}
		if n.Closed && !o.Closed {
			out = append(out, Change{Kind: ClosedAdded, Path: p, Old: o, New: n})
		}
		if o.Recursive || n.Recursive || o.Empty || n.Empty {
			stop[p] = true
		}
	}
	out = append(out, pairRenames(removed, added)...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

func unknownBelow(n *Node) bool {
	return n != nil && (n.Dynamic || n.Recursive || n.Empty || (n.Open && len(n.Types) == 0))
}

func isValueNull(n *Node) bool { return n.Count > 0 && len(n.Types) == 1 && n.Types[0] == TypeNull }

// pairRenames turns a Removed and an Added field of the same parent whose
// names differ only in case into one Renamed change, and notes close names.
func pairRenames(removed, added []Change) []Change {
	var out []Change
	used := map[int]bool{}
	for _, r := range removed {
		rp, rname := Parent(r.Path)
		match := -1
		for j, a := range added {
			ap, aname := Parent(a.Path)
			if !used[j] && ap == rp && strings.EqualFold(aname, rname) {
				match = j
				break
			}
		}
		if match >= 0 {
			used[match] = true
			out = append(out, Change{Kind: Renamed, Path: r.Path, NewPath: added[match].Path, Old: r.Old, New: added[match].New})
			continue
		}
		for _, a := range added {
			ap, aname := Parent(a.Path)
			if ap == rp && len(rname) > 3 && spelling.Distance(strings.ToLower(rname), strings.ToLower(aname)) <= 2 {
				r.Similar = a.Path
				break
			}
		}
		out = append(out, r)
	}
	for j, a := range added {
		if !used[j] {
			out = append(out, a)
		}
	}
	return out
}

func effTypes(n *Node, opts CompareOptions) []string {
	var out []string
	for _, t := range n.Types {
		if t == TypeNull {
			continue
		}
		if opts.NumbersAlike && t == TypeInteger {
			t = TypeNumber
		}
		if len(out) == 0 || out[len(out)-1] != t {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	// dedupe after the integer → number mapping
	w := 0
	for i, t := range out {
		if i == 0 || t != out[w-1] {
			out[w] = t
			w++
		}
	}
	return out[:w]
}

// container classifies types for the "stop below" rule.
func container(ts []string) string {
	for _, t := range ts {
		if t == TypeObject || t == TypeArray {
			return t
		}
	}
	return "scalar"
}

// formatAlias treats formats Power Platform and Swagger use for the same
// wire value as equal (guid/uuid, the absent format and "binary" on file).
func formatAlias(a, b string) bool {
	norm := func(s string) string {
		switch strings.ToLower(s) {
		case "guid", "uuid":
			return "uuid"
		}
		return strings.ToLower(s)
	}
	return norm(a) == norm(b)
}

func enumDiff(old, new []string) (added, removed []string) {
	if len(old) == 0 || len(new) == 0 {
		return nil, nil
	}
	in := func(l []string, v string) bool {
		for _, x := range l {
			if x == v {
				return true
			}
		}
		return false
	}
	for _, v := range new {
		if !in(old, v) {
			added = append(added, v)
		}
	}
	for _, v := range old {
		if !in(new, v) {
			removed = append(removed, v)
		}
	}
	return added, removed
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
