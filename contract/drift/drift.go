package drift

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/conform"
	"github.com/connectorlab/connectorlab/contract/shape"
	"github.com/connectorlab/connectorlab/recordings"
)

// Finding IDs of drift against a recording.
const (
	StatusChanged      = "drift-status-changed"
	ContentTypeChanged = "drift-content-type-changed"
	FieldRemoved       = "drift-field-removed"
	FieldAbsent        = "drift-field-absent"
	FieldAdded         = "drift-field-added"
	TypeChanged        = "drift-type-changed"
	ShapeChanged       = "drift-shape-changed"
	NullChanged        = "drift-null-changed"
	EnumValueNew       = "drift-enum-value-new"
	ValueChanged       = "drift-value-changed"
	HeaderRemoved      = "drift-header-removed"
	BodyNotJSON        = "drift-body-not-json"
	OperationRenamed   = "drift-operation-renamed"
	OperationMissing   = "drift-operation-missing"
	OperationMoved     = "drift-operation-moved"
	OperationUntested  = contract.OperationUntested
	CustomCode         = "custom-code"
)

// Rules is the catalogue of drift findings.
func Rules() contract.Catalogue {
	r := func(id string, l contract.Level, s string) contract.Rule {
		return contract.Rule{ID: id, Level: l, Kind: contract.KindTest, Summary: s}
	}
	E, W, I := contract.LevelError, contract.LevelWarning, contract.LevelInfo
	return contract.Catalogue{
		r(StatusChanged, E, "the status differs from the recording"),
		r(ContentTypeChanged, E, "the media type differs from the recording"),
		r(FieldRemoved, E, "a recorded field is gone and the definition does not declare it (or requires it)"),
		r(FieldAbsent, E, "a recorded field is absent; the definition declares it optional (info where it leaves the object open)"),
		r(FieldAdded, I, "a field the recording lacked (an extra field breaks no flow, as diff's response-field-added)"),
		r(TypeChanged, E, "a field's JSON type differs from the recording (info where the definition leaves it untyped)"),
		r(ShapeChanged, E, "a field turned from object to array or back, or from a scalar into either"),
		r(NullChanged, W, "a field is now null where the recording had a value (info when the definition allows null)"),
		r(EnumValueNew, W, "a value outside the definition's enum"),
		r(ValueChanged, E, "a value differs from the recording, for fields the config opts in"),
		r(HeaderRemoved, W, "a recorded, non-volatile response header is gone"),
		r(BodyNotJSON, E, "the recording had a JSON body; the answer does not parse"),
		r(OperationRenamed, E, "the recorded request now maps to another operationId in the definition"),
		r(OperationMoved, W, "the recorded operation now lives at another path; it was replayed there"),
		r(OperationMissing, E, "the recorded request maps to no operation of the definition"),
		r(OperationUntested, I, "no recorded exchange exercises an operation of the definition"),
		r(CustomCode, I, "the operation runs custom code: differences may come from the script"),
	}
}

// Message is one side of the comparison.
type Message struct {
	Status int
	Header http.Header
	Body   []byte
	// Decoded, when set, is Body already decoded as JSON.
	Decoded any
}

// Differ compares replayed responses with recorded ones.
type Differ struct {
	cfg *Config
}

// New returns a Differ using cfg (nil: defaults only).
func New(cfg *Config) *Differ { return &Differ{cfg: cfg} }

// Config returns the configuration in use (may be nil).
func (d *Differ) Config() *Config { return d.cfg }

func mediaOf(h http.Header) string {
	ct := h.Get("Content-Type")
	if ct == "" {
		return ""
	}
	m, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(ct)
	}
	return m
}

func decode(b []byte) (any, bool) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, false
	}
	var v any
	if conform.UnmarshalRecorded(b, &v) != nil {
		return nil, false
	}
	return v, true
}

// Lookup finds the schema node for a value path, following
// additionalProperties ("*") where the definition has no named field.
func Lookup(def shape.Shape, p string) *shape.Node {
	if def == nil {
		return nil
	}
	if n := def[p]; n != nil {
		return n
	}
	var segs []string
	for q := p; q != ""; {
		var s string
		q, s = shape.Parent(q)
		segs = append(segs, s)
	}
	sp := ""
	for i := len(segs) - 1; i >= 0; i-- {
		s := segs[i]
		if cur := def[sp]; cur != nil && (cur.Dynamic || cur.Recursive) {
			return cur
		}
		switch {
		case s == "[]":
			sp = shape.Items(sp)
		case def[shape.Child(sp, s)] != nil:
			sp = shape.Child(sp, s)
		case def[shape.Additional(sp)] != nil:
			sp = shape.Additional(sp)
		default:
			return nil
		}
	}
	return def[sp]
}

// openAt reports whether the definition leaves the field at p
// unconstrained: its nearest declared ancestor is open, dynamic or
// recursive (or there is no definition at all).
func openAt(def shape.Shape, p string) bool {
	if def == nil {
		return true
	}
	for q := p; q != ""; {
		q, _ = shape.Parent(q)
		if n := Lookup(def, q); n != nil {
			return n.Dynamic || n.Recursive || n.Open
		}
	}
	return false
}

func fits(n *shape.Node, t string) bool {
	if n == nil || len(n.Types) == 0 {
		return true
	}
	for _, d := range n.Types {
		if d == t || d == shape.TypeNumber && t == shape.TypeInteger {
			return true
		}
	}
	return false
}

// Exchange compares a replayed response with the recorded one. def is the
// definition's flattened body schema for the replayed status (nil when
// none is declared); it decides how much each change matters.
func (d *Differ) Exchange(op *connector.Operation, recorded, replayed Message, def shape.Shape) []contract.Finding {
	opID := ""
	if op != nil {
		opID = op.ID
	}
	var out []contract.Finding
	add := func(f contract.Finding) {
		if op != nil {
			f.Operation, f.Method, f.Path, f.CustomCode = op.ID, op.Method, op.Path, op.CustomCode
		}
		out = append(out, f)
	}
	if recorded.Status != replayed.Status && recorded.Status != 0 {
		add(contract.Finding{ID: StatusChanged, Level: contract.LevelError, Where: "response.status",
			Old: fmt.Sprint(recorded.Status), New: fmt.Sprint(replayed.Status),
			Message: fmt.Sprintf("status %d was recorded, the target answered %d", recorded.Status, replayed.Status)})
	}
	rm, pm := mediaOf(recorded.Header), mediaOf(replayed.Header)
	if rm != "" && pm != "" && rm != pm {
		add(contract.Finding{ID: ContentTypeChanged, Level: contract.LevelError, Where: "response.header", Field: "Content-Type",
			Old: rm, New: pm, Message: fmt.Sprintf("Content-Type %s was recorded, now %s", rm, pm)})
	}
	d.headers(recorded.Header, replayed.Header, add)
	rv, rok := recorded.Decoded, recorded.Decoded != nil
	if !rok {
		rv, rok = decode(recorded.Body)
	}
	if !rok {
		return out
	}
	if recorded.Status/100 != replayed.Status/100 {
		// A 404 against a recorded 200 says it all; field diffs of an
		// error body would only repeat it.
		return out
	}
	pv, pok := replayed.Decoded, replayed.Decoded != nil
	if !pok {
		pv, pok = decode(replayed.Body)
	}
	if !pok {
		if len(bytes.TrimSpace(replayed.Body)) > 0 {
			add(contract.Finding{ID: BodyNotJSON, Level: contract.LevelError, Where: "response.body",
				Message: "the recording had a JSON body; the answer is not JSON"})
		} else {
			add(contract.Finding{ID: FieldRemoved, Level: contract.LevelError, Where: "response.body", Field: "(root)",
				Message: "the recording had a JSON body; the answer has none"})
		}
		return out
	}
	rv = unredact(rv, pv)
	before := shape.FromValue(rv, shape.ValueOptions{})
	after := shape.FromValue(pv, shape.ValueOptions{})
	for _, ch := range shape.Compare(before, after, shape.CompareOptions{NumbersAlike: true, IgnoreRequired: true}) {
		if d.cfg.Ignored(opID, ch.Path) {
			continue
		}
		if f, ok := judge(ch, def); ok {
			add(f)
		}
	}
	d.values(opID, before, after, def, add)
	return out
}

func (d *Differ) headers(rec, rep http.Header, add func(contract.Finding)) {
	var names []string
	for name := range rec {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if d.cfg.volatileHeader(name) || strings.EqualFold(name, "Content-Type") {
			continue
		}
		if rep.Get(name) == "" {
			add(contract.Finding{ID: HeaderRemoved, Level: contract.LevelWarning, Where: "response.header", Field: http.CanonicalHeaderKey(name),
				Message: fmt.Sprintf("response header %s was recorded, now absent", http.CanonicalHeaderKey(name))})
		}
	}
}

// judge turns a structural change into a finding, with the definition
// deciding the level.
func judge(ch shape.Change, def shape.Shape) (contract.Finding, bool) {
	f := contract.Finding{Where: "response.body", Field: shape.Display(ch.Path)}
	n := Lookup(def, ch.Path)
	open := openAt(def, ch.Path)
	switch ch.Kind {
	case shape.Removed, shape.Renamed:
		f.ID, f.Level, f.Old = FieldRemoved, contract.LevelError, ch.Old.TypeString()
		switch {
		case n != nil && !n.Required:
			// Flows read optional fields as dynamic content too: gone is
			// as breaking as diff's response-field-removed.
			f.ID = FieldAbsent
			f.Message = fmt.Sprintf("%s was recorded, now absent (the definition declares it optional; flows reading it break)", f.Field)
		case n != nil:
			f.Message = fmt.Sprintf("%s was recorded, now absent, though the definition requires it", f.Field)
		case open:
			f.ID, f.Level = FieldAbsent, contract.LevelInfo
			f.Message = fmt.Sprintf("%s was recorded, now absent (the definition leaves this object open)", f.Field)
		default:
			f.Message = fmt.Sprintf("%s was recorded, now absent, and the definition does not declare it", f.Field)
		}
		if ch.Kind == shape.Renamed {
			f.New = ch.NewPath
			f.Message = fmt.Sprintf("%s was recorded, now %s (only the case differs)", ch.Path, ch.NewPath)
		} else if ch.Similar != "" {
			f.Message += "; perhaps renamed to " + ch.Similar
		}
	case shape.Added:
		f.ID, f.Level, f.New = FieldAdded, contract.LevelInfo, ch.New.TypeString()
		f.Message = fmt.Sprintf("new field %s", f.Field)
		if n == nil && !open {
			f.Message += " (not in the definition either)"
		}
	case shape.TypeChanged:
		o, nw := ch.Old.PrimaryType(), ch.New.PrimaryType()
		f.ID, f.Level, f.Old, f.New = TypeChanged, contract.LevelError, typeName(ch.Old), typeName(ch.New)
		if isContainer(o) || isContainer(nw) {
			f.ID = ShapeChanged
		}
		f.Message = fmt.Sprintf("%s was %s in the recording, now %s", f.Field, f.Old, f.New)
		switch {
		case n == nil && open, n != nil && (len(n.Types) == 0 || n.Dynamic):
			f.Level = contract.LevelInfo
			f.Message += " (the definition leaves its type open)"
		case n != nil && fits(n, nw) && fits(n, o):
			f.Level = contract.LevelWarning
			f.Message += " (the definition allows both)"
		case n != nil && fits(n, nw):
			f.Message += " — the definition now says " + n.TypeString()
		}
	case shape.NullableAdded:
		f.ID, f.Level, f.Old, f.New = NullChanged, contract.LevelWarning, typeName(ch.Old), "null"
		f.Message = fmt.Sprintf("%s is now null (the recording had %s)", f.Field, typeName(ch.Old))
		if n == nil || n.Nullable || n.HasType(shape.TypeNull) || open {
			f.Level = contract.LevelInfo
		}
	default:
		return f, false
	}
	return f, true
}

func typeName(n *shape.Node) string {
	if n == nil {
		return "absent"
	}
	if t := n.PrimaryType(); t != "" {
		return t
	}
	var ts []string
	for _, t := range n.Types {
		if t != shape.TypeNull {
			ts = append(ts, t)
		}
	}
	if len(ts) == 0 {
		return "null"
	}
	return strings.Join(ts, "|")
}

func isContainer(t string) bool { return t == shape.TypeObject || t == shape.TypeArray }

// values reports opt-in value changes and values outside declared enums.
func (d *Differ) values(opID string, before, after shape.Shape, def shape.Shape, add func(contract.Finding)) {
	for _, p := range after.Paths() {
		a := after[p]
		if len(a.Samples) == 0 || d.cfg.Ignored(opID, p) {
			continue
		}
		if n := Lookup(def, p); n != nil && len(n.Enum) > 0 {
			for _, s := range a.Samples {
				if !inEnum(n.Enum, s) {
					add(contract.Finding{ID: EnumValueNew, Level: contract.LevelWarning, Where: "response.body", Field: shape.Display(p),
						Old: strings.Join(n.Enum, ","), New: s,
						Message: fmt.Sprintf("%s is %s, not one of the declared values %s", shape.Display(p), s, strings.Join(n.Enum, ", "))})
				}
			}
		}
		b := before[p]
		if b == nil || !d.cfg.Compared(opID, p) {
			continue
		}
		if strings.Join(b.Samples, ",") != strings.Join(a.Samples, ",") {
			add(contract.Finding{ID: ValueChanged, Level: contract.LevelError, Where: "response.body", Field: shape.Display(p),
				Old: strings.Join(b.Samples, ","), New: strings.Join(a.Samples, ","),
				Message: fmt.Sprintf("%s was %s in the recording, now %s", shape.Display(p), strings.Join(b.Samples, ", "), strings.Join(a.Samples, ", "))})
		}
	}
}

func inEnum(enum []string, s string) bool {
	for _, e := range enum {
		if e == s {
			return true
		}
		// string enums on booleans and numbers: "true" matches true
		if len(e) > 1 && e[0] == '"' && e[1:len(e)-1] == s {
			return true
		}
	}
	return false
}

// unredact puts the replayed value where the recording has a redaction
// placeholder: the recorder replaced a secret (a token string, or a whole
// object) with it, so its type says nothing about what was recorded.
func unredact(rec, rep any) any {
	switch r := rec.(type) {
	case string:
		if conform.IsRedacted(r) && rep != nil {
			return rep
		}
	case map[string]any:
		pm, _ := rep.(map[string]any)
		var out map[string]any
		if rk := redactedKeys(r, pm); rk != nil {
			r, out = rk, rk
		}
		for k, v := range r {
			nv := unredact(v, pm[k])
			if out == nil && !sameValue(nv, v) {
				out = make(map[string]any, len(r))
				for k2, v2 := range r {
					out[k2] = v2
				}
			}
			if out != nil {
				out[k] = nv
			}
		}
		if out != nil {
			return out
		}
	case []any:
		pa, _ := rep.([]any)
		var out []any
		for i, v := range r {
			var pv any
			if i < len(pa) {
				pv = pa[i]
			} else if len(pa) > 0 {
				pv = pa[0]
			}
			nv := unredact(v, pv)
			if out == nil && !sameValue(nv, v) {
				out = append([]any(nil), r...)
			}
			if out != nil {
				out[i] = nv
			}
		}
		if out != nil {
			return out
		}
	}
	return rec
}

// redactedKeys handles the keys of a recorded object that hold a
// placeholder: the scrub replaced a secret's text inside a name
// ("ipAdREDACTED-…" where a secret was "dress", or a map keyed by a token).
// Such a key stands for a replayed key that matches it with each
// placeholder read as any text, taken in order from those the recording
// does not name itself; with no such key it is left out (a redacted name
// cannot be compared). nil when r has no such key.
func redactedKeys(r, rep map[string]any) map[string]any {
	var red []string
	for k := range r {
		if strings.Contains(k, recordings.PlaceholderPrefix) {
			red = append(red, k)
		}
	}
	if len(red) == 0 {
		return nil
	}
	sort.Strings(red)
	cands := make([]string, 0, len(rep))
	for k := range rep {
		if _, named := r[k]; !named {
			cands = append(cands, k)
		}
	}
	sort.Strings(cands)
	used := map[string]bool{}
	out := make(map[string]any, len(r))
	for k, v := range r {
		if !strings.Contains(k, recordings.PlaceholderPrefix) {
			out[k] = v
		}
	}
	for _, k := range red {
		re := conform.PlaceholderPattern(k)
		for _, c := range cands {
			if !used[c] && re.MatchString(c) {
				used[c] = true
				out[c] = r[k]
				break
			}
		}
	}
	return out
}

// sameValue: unredact returns its input unchanged unless it replaced a
// placeholder string, so only strings need comparing.
func sameValue(a, b any) bool {
	as, aok := a.(string)
	bs, bok := b.(string)
	if aok != bok {
		return false
	}
	if aok {
		return as == bs
	}
	// Maps and slices come back as the same value when nothing changed.
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		return ok && len(av) == len(bv) && fmt.Sprintf("%p", av) == fmt.Sprintf("%p", bv)
	case []any:
		bv, ok := b.([]any)
		return ok && len(av) == len(bv) && (len(av) == 0 || &av[0] == &bv[0])
	}
	return true
}
