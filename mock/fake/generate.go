package fake

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/getkin/kin-openapi/openapi3"
)

// recursionLimit is how many times a schema may appear on the generation
// stack before optional properties and arrays of it are left out: 2 lets a
// recursive type nest once (a folder holding folders that hold nothing).
const recursionLimit = 2

// hardDepthSlack is how far past MaxDepth required properties may still nest
// before objects and arrays are cut off empty (best effort: a chain of
// required self-references has no finite valid value).
const hardDepthSlack = 16

// cutOff reports whether the schema stack is so deep that objects and arrays
// must be cut off empty. Depth counts objects only; the stack also counts
// arrays, so it bounds recursion through arrays of arrays too.
func (st *state) cutOff() bool {
	return len(st.stack) > 2*(st.g.opts.MaxDepth+hardDepthSlack) || st.exhausted()
}

// exhausted reports whether the document has grown so far past MaxNodes
// that even required properties and minItems are dropped (best effort: a
// schema whose minimum valid value is that big gets a truncated one).
func (st *state) exhausted() bool {
	return st.nodes >= 8*st.g.opts.MaxNodes || st.size > maxDocBytes
}

// maxDocBytes bounds the string bytes of one generated document.
const maxDocBytes = 8 << 20

// state is one Generate call: its faker, its node count and its schema stack.
type state struct {
	g *Generator
	f *gofakeit.Faker
	// src is f's source, reseeded at every value from ptr: each value
	// depends on (seed, JSON pointer) only, so adding or removing a
	// property leaves the others alone.
	src   *rand.PCG
	ptr   uint64 // hash of the seed and the JSON pointer of the value being generated
	nodes int    // values generated
	// rsrc and rf draw records (records.go) without touching src.
	rsrc   *rand.PCG
	rf     *gofakeit.Faker
	frames []frame
	// Storage for the above, so that one Generate call allocates once.
	pcg      [2]rand.PCG
	fk       [2]gofakeit.Faker
	frameBuf [8]frame
	recs     []record // records are allocated from here
	recBuf   [2]record
	memoHint string    // the last name st.hi was asked about
	memo     *hintInfo // and its answer
	now      time.Time // the anchor of generated dates
	status   int       // the HTTP status the value is served with (0: unknown)
	size     int       // string bytes generated
	stack    []*openapi3.Schema
	// disc is the discriminator value the next generated object must carry,
	// set while generating a oneOf/anyOf branch.
	disc string
}

func (st *state) gen(ref *openapi3.SchemaRef, hint string, depth int) any {
	if ref == nil || ref.Value == nil {
		return nil
	}
	s := ref.Value
	st.nodes++
	st.reseed(0)
	if a := s.Always; a != nil {
		if !*a {
			return nil
		}
		return st.genAny(hint, depth)
	}
	v := st.g.view(s)

	st.stack = append(st.stack, s)
	defer func() { st.stack = st.stack[:len(st.stack)-1] }()

	if v.Const != nil {
		return deepCopy(v.Const)
	}
	var unbelievable any // a valid example the realism checks reject
	if !st.g.opts.IgnoreExamples {
		x, ok, rejected := st.example(s, v, hint)
		if ok {
			return x
		}
		unbelievable = rejected
	}
	var x any
	if len(v.Enum) == 0 && (len(v.OneOf) > 0 || len(v.AnyOf) > 0) {
		x = st.genXOf(ref, v, hint, depth)
	} else {
		x = st.genView(v, refName(ref.Ref), hint, depth)
	}
	if unbelievable != nil && safeVisit(s, x, st.g.visitOpts()...) != nil {
		return deepCopy(unbelievable) // nothing generated fits: the definition's example beats an invalid value
	}
	return x
}

// genView generates from an allOf-free view.
func (st *state) genView(v *openapi3.Schema, name, hint string, depth int) any {
	if len(v.Enum) > 0 {
		if successKeys[st.hi(hint).n] && slices.Contains(v.Enum, any(st.success())) {
			return st.success()
		}
		if x, ok := st.recordEnum(v, hint); ok {
			return x
		}
		return st.pickEnum(v)
	}
	switch t := typeOf(v); t {
	case typeNull:
		return nil
	case typeObject:
		return st.genObject(v, name, hint, depth)
	case typeArray:
		return st.genArray(v, hint, depth)
	case typeInteger:
		return st.genInteger(v, hint)
	case typeNumber:
		return st.genNumber(v, hint)
	case typeBoolean:
		if successKeys[st.hi(hint).n] {
			return st.success()
		}
		return st.f.Bool()
	case typeAny:
		return st.genAny(hint, depth)
	default: // string, and unknown type names
		if st.exhausted() {
			return ""
		}
		x := st.genString(v, hint)
		st.size += len(x)
		return x
	}
}

// limited reports whether generation should keep to the minimum: required
// properties and minItems elements.
func (st *state) limited(depth int) bool {
	return depth >= st.g.opts.MaxDepth || st.nodes >= st.g.opts.MaxNodes
}

func (st *state) recursion(s *openapi3.Schema) int {
	n := 0
	for _, x := range st.stack {
		if x == s {
			n++
		}
	}
	return n
}

// recursive reports whether generating ref would re-enter a schema already
// on the stack recursionLimit times.
func (st *state) recursive(ref *openapi3.SchemaRef) bool {
	return ref != nil && ref.Value != nil && st.recursion(ref.Value) >= recursionLimit
}

// example returns the schema's own example (or, for scalars, its default)
// when it validates. Identifier-like properties skip examples so that ids
// vary with the seed.
func (st *state) example(s, v *openapi3.Schema, hint string) (x any, ok bool, unbelievable any) {
	x = s.Example
	if x == nil {
		switch typeOf(v) {
		case typeObject, typeArray, typeAny:
			return nil, false, nil
		}
		x = s.Default
	}
	if x == nil || isPlaceholder(x) || st.hi(hint).k.identifier() || st.personPart(hint) {
		return nil, false, nil
	}
	verdict, cached := st.g.examples.load(s)
	if !cached {
		opt := openapi3.VisitAsResponse()
		if st.g.opts.Direction == Request {
			opt = openapi3.VisitAsRequest()
		}
		verdict = exampleInvalid
		if safeVisit(s, x, opt) == nil {
			verdict = exampleValid
			switch x.(type) {
			case map[string]any, []any:
				// An example body on live domains, or with dates of year 1,
				// is the API's own data: generate instead.
				r := CheckRealism(x, RealismOptions{Now: st.now.AddDate(0, 0, 1), MaxFailures: 1})
				if r.Passed != r.Checked {
					verdict = exampleUnbelievable
				}
			}
		}
		verdict = st.g.examples.store(s, verdict)
	}
	switch {
	case verdict == exampleInvalid:
		return nil, false, nil
	case verdict == exampleUnbelievable || !believable(hint, x, st.servedStatus()):
		return nil, false, x
	}
	return deepCopy(x), true, nil
}

// personPart reports a name, email, username or gender property of an
// object about a person: it takes the object's record, not the
// definition's example, so that all of them agree ("John" and "Smith"
// from the examples beside a generated email did not).
func (st *state) personPart(hint string) bool {
	switch st.hi(hint).k {
	case kindFirstName, kindLastName, kindFullName, kindEmail, kindUserName, kindGender:
		fr := st.frame()
		return fr != nil && fr.props
	}
	return false
}

// Verdicts on a schema's example, cached.
const (
	exampleInvalid uint8 = iota
	exampleValid
	exampleUnbelievable // valid, but fails the realism checks
)

// isPlaceholder reports example values that tools put in by default.
func isPlaceholder(x any) bool {
	switch x := x.(type) {
	case string:
		return x == "" || x == "string"
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}

// safeVisit validates x, turning a panic in the validator into an error.
func safeVisit(s *openapi3.Schema, x any, opts ...openapi3.SchemaValidationOption) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errPanic
		}
	}()
	return s.VisitJSON(x, opts...)
}

type constError string

func (e constError) Error() string { return string(e) }

const errPanic = constError("fake: validator panicked")

// pickEnum picks an enum value, preferring values that have the declared
// type and fit the other keywords (pattern, length, bounds). A value from the
// enum always wins, even when none fits.
func (st *state) pickEnum(v *openapi3.Schema) any {
	fits := func(x any) bool {
		if x == nil {
			return false
		}
		t := jsonType(x)
		if t == typeNumber && v.Type != nil && v.Type.Is(typeInteger) || !permits(v, t) {
			return false
		}
		switch x := x.(type) {
		case string:
			return st.fitsString(v, x)
		case float64:
			return declared(v).contains(x)
		}
		return true
	}
	n := 0
	for _, x := range v.Enum {
		if fits(x) {
			n++
		}
	}
	match := fits
	if n == 0 {
		// String enums on booleans and numbers (127 in the corpus): the API
		// sends the typed value the strings stand for.
		if typed := typedEnum(v); len(typed) > 0 {
			return typed[st.f.IntN(len(typed))]
		}
		match = func(x any) bool { return x != nil }
		for _, x := range v.Enum {
			if match(x) {
				n++
			}
		}
		if n == 0 {
			return nil
		}
	}
	k := st.f.IntN(n)
	for _, x := range v.Enum {
		if !match(x) {
			continue
		}
		if k > 0 {
			k--
			continue
		}
		if f, ok := x.(float64); ok && v.Type != nil && v.Type.Is(typeInteger) && f == float64(int64(f)) {
			return int64(f)
		}
		return deepCopy(x)
	}
	return nil
}

// recordEnum picks, for a currency or country code enum, the value of the
// object's record when the enum lists it (in any case), so that an
// enumerated currency agrees with the address.
func (st *state) recordEnum(v *openapi3.Schema, hint string) (any, bool) {
	k := st.hi(hint).k
	if k != kindCurrency && k != kindCountryCode {
		return nil, false
	}
	c := st.record(hint, partAddress).country
	want := c.currency
	if k == kindCountryCode {
		want = c.alpha2
	}
	for _, x := range v.Enum {
		if s, ok := x.(string); ok && strings.EqualFold(s, want) && st.fitsString(v, s) {
			return s, true
		}
	}
	return nil, false
}

// typedEnum converts the string values of an enum declared on a boolean,
// integer or number schema to that type, keeping those that convert.
func typedEnum(v *openapi3.Schema) []any {
	if v.Type == nil {
		return nil
	}
	var out []any
	for _, x := range v.Enum {
		s, ok := x.(string)
		if !ok {
			continue
		}
		s = strings.TrimSpace(s)
		switch {
		case v.Type.Is(typeBoolean):
			if b, err := strconv.ParseBool(s); err == nil {
				out = append(out, b)
			}
		case v.Type.Is(typeInteger):
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				out = append(out, i)
			}
		case v.Type.Is(typeNumber):
			if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// genXOf generates from the first oneOf/anyOf branch whose value validates.
func (st *state) genXOf(ref *openapi3.SchemaRef, v *openapi3.Schema, hint string, depth int) any {
	s := ref.Value
	branches := v.OneOf
	if len(branches) == 0 {
		branches = v.AnyOf
	}
	var first any
	tried := 0
	for i, b := range branches {
		if b == nil || b.Value == nil || st.recursive(b) {
			continue
		}
		bv := st.g.branchView(s, v, branches, i)
		st.disc = discriminatorValue(v.Discriminator, b)
		st.reseed(uint64(i) + 1)
		name := refName(b.Ref)
		if name == "" {
			name = refName(ref.Ref)
		}
		x := st.genView(bv, name, hint, depth)
		st.disc = ""
		if tried == 0 {
			first = x
		}
		tried++
		if safeVisit(s, x, st.g.visitOpts()...) == nil || tried >= 4 {
			return x
		}
	}
	if tried == 0 {
		base := *v
		base.OneOf, base.AnyOf = nil, nil
		return st.genView(&base, refName(ref.Ref), hint, depth)
	}
	return first
}

func (g *Generator) visitOpts() []openapi3.SchemaValidationOption {
	if g.opts.Direction == Request {
		return []openapi3.SchemaValidationOption{openapi3.VisitAsRequest(), openapi3.FailFast()}
	}
	return []openapi3.SchemaValidationOption{openapi3.VisitAsResponse(), openapi3.FailFast()}
}

// discriminatorValue returns the discriminator value that selects branch b:
// its mapping key, else the name its $ref ends in.
func discriminatorValue(d *openapi3.Discriminator, b *openapi3.SchemaRef) string {
	if d == nil || d.PropertyName == "" {
		return ""
	}
	keys := make([]string, 0, len(d.Mapping))
	for k := range d.Mapping {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		r := d.Mapping[k].Ref
		if r == b.Ref || (b.Ref != "" && !strings.Contains(r, "/") && "#/components/schemas/"+r == b.Ref) {
			return k
		}
	}
	return refName(b.Ref)
}

// refName returns the last segment of a JSON-pointer ref: the schema name.
func refName(ref string) string {
	if i := strings.LastIndexByte(ref, '/'); i >= 0 {
		return ref[i+1:]
	}
	return ref
}

// skipped reports whether the property is left out in this direction.
func (st *state) skipped(p *openapi3.SchemaRef) bool {
	if p == nil || p.Value == nil {
		return false
	}
	pv := st.g.view(p.Value)
	if st.g.opts.Direction == Request {
		return p.Value.ReadOnly || pv.ReadOnly
	}
	return p.Value.WriteOnly || pv.WriteOnly
}

func (st *state) genObject(v *openapi3.Schema, name, hint string, depth int) any {
	disc := st.disc
	st.disc = ""
	if st.cutOff() {
		return map[string]any{}
	}
	limited := st.limited(depth)
	out := make(map[string]any, len(v.Properties))
	ctx := st.hi(hint).ctx
	if containers[ctx] {
		ctx = contextWord(name)
	}
	oi := st.g.object(v)
	st.pushFrame(ctx, v, oi)
	defer st.popFrame()
	names := oi.names
	var omitted []string // optional properties left out, for minProperties
	for i, pn := range names {
		if st.exhausted() {
			break
		}
		p := oi.props[i]
		if p == nil || p.Value == nil || st.skipped(p) {
			continue
		}
		if !oi.required[i] {
			if limited || st.recursive(p) || !st.chance(pn) {
				omitted = append(omitted, pn)
				continue
			}
		}
		ph := pn
		if oi.infos[i].n == "name" && len(pn) == 4 {
			if st.frame().personal() {
				ph = "fullName"
			} else {
				ph = nameHint(hint, name)
			}
		}
		old := st.enter(pn)
		if ph == pn {
			st.memoHint, st.memo = pn, oi.infos[i]
		}
		out[pn] = st.gen(p, ph, depth+1)
		st.ptr = old
	}
	st.reseed(tagExtra)

	ap := v.AdditionalProperties
	open := ap.Has == nil || *ap.Has
	var extra *openapi3.SchemaRef
	if open && ap.Schema != nil && ap.Schema.Value != nil && !ap.Schema.Value.IsEmpty() {
		extra = ap.Schema
	}
	// Required names with no property schema (none in the corpus, but legal).
	for _, r := range v.Required {
		if _, ok := out[r]; ok {
			continue
		}
		if p := v.Properties[r]; p != nil {
			continue // skipped by direction: not required that way
		}
		old := st.enter(r)
		if extra != nil {
			out[r] = st.gen(extra, r, depth+1)
		} else if open {
			st.reseed(0)
			out[r] = st.genAny(r, depth+1)
		}
		st.ptr = old
	}

	if d := v.Discriminator; d != nil && d.PropertyName != "" {
		val := disc
		if val == "" {
			val = name
		}
		st.setDiscriminator(v, out, d.PropertyName, val, open)
	}

	var added []string
	addEntry := func() bool {
		k := st.entryKey(out, v.Properties, extra == nil)
		if k == "" {
			return false
		}
		old := st.enter(k)
		if extra != nil {
			out[k] = st.gen(extra, k, depth+1)
		} else {
			st.reseed(0)
			out[k] = st.genAny(k, depth+1)
		}
		st.ptr = old
		st.reseed(tagExtra + uint64(len(added)) + 1)
		added = append(added, k)
		return true
	}
	switch {
	case limited:
	case extra != nil && !st.recursive(extra):
		for n := 1 + st.f.IntN(2); n > 0; n-- {
			addEntry()
		}
	case open && len(v.Properties) == 0 && len(out) == 0:
		// A free-form object: a few ordinary fields read better than {}.
		for n := 2 + st.f.IntN(2); n > 0; n-- {
			addEntry()
		}
	}

	// minProperties / maxProperties.
	for uint64(len(out)) < v.MinProps {
		if len(omitted) > 0 {
			pn := omitted[0]
			omitted = omitted[1:]
			old := st.enter(pn)
			out[pn] = st.gen(v.Properties[pn], pn, depth+1)
			st.ptr = old
			continue
		}
		if !open || len(out) > 10000 || !addEntry() {
			break
		}
	}
	if v.MaxProps != nil {
		for i := len(added) - 1; i >= 0 && uint64(len(out)) > *v.MaxProps; i-- {
			delete(out, added[i])
		}
		for i := len(names) - 1; i >= 0 && uint64(len(out)) > *v.MaxProps; i-- {
			if pn := names[i]; !slices.Contains(v.Required, pn) && pn != discName(v) {
				delete(out, pn)
			}
		}
	}
	return out
}

func discName(v *openapi3.Schema) string {
	if v.Discriminator != nil {
		return v.Discriminator.PropertyName
	}
	return ""
}

// setDiscriminator stores val under the discriminator property when the
// property's schema accepts it.
func (st *state) setDiscriminator(v *openapi3.Schema, out map[string]any, prop, val string, open bool) {
	if val == "" {
		return
	}
	p := v.Properties[prop]
	if p == nil {
		if open {
			out[prop] = val
		}
		return
	}
	if p.Value == nil || st.skipped(p) {
		return
	}
	pv := st.g.view(p.Value)
	if len(pv.Enum) > 0 {
		for _, e := range pv.Enum {
			if e == val {
				out[prop] = val
				return
			}
		}
		if _, ok := out[prop]; !ok {
			out[prop] = st.pickEnum(pv)
		}
		return
	}
	if permits(pv, typeString) && st.fitsString(pv, val) {
		out[prop] = val
	}
}

// chance reports whether optional property pn is included, from the
// property's own pointer so that it does not depend on its siblings.
func (st *state) chance(pn string) bool {
	r := st.g.opts.OptionalRate
	if r >= 1 {
		return true
	}
	if r <= 0 {
		return false
	}
	h := mix64(segHash(st.ptr, pn) ^ tagChance)
	return float64(h>>11)/(1<<53) < r
}

// freeFormKeys are the field names given to free-form objects.
var freeFormKeys = []string{"id", "name", "type", "status", "value", "description", "createdAt", "url", "count", "email"}

// entryKey invents a key for an additionalProperties entry that is not
// already used and is not a declared property.
func (st *state) entryKey(out map[string]any, props openapi3.Schemas, freeForm bool) string {
	for try := 0; try < 8; try++ {
		var k string
		if freeForm {
			k = freeFormKeys[st.f.IntN(len(freeFormKeys))]
		} else {
			k = st.noun()
			k = strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' {
					return r
				}
				return -1
			}, k)
		}
		if k == "" {
			continue
		}
		if _, used := out[k]; used {
			continue
		}
		if _, declared := props[k]; declared {
			continue
		}
		return k
	}
	for i := len(out) + 1; i < len(out)+1000; i++ {
		k := "key" + strconv.Itoa(i)
		_, used := out[k]
		_, declared := props[k]
		if !used && !declared {
			return k
		}
	}
	return ""
}

func (st *state) genArray(v *openapi3.Schema, hint string, depth int) any {
	if st.cutOff() || v.MinItems == 0 && st.success() && errorsKeys[st.hi(hint).n] {
		return []any{} // no errors in a success
	}
	lo := int(min(v.MinItems, hardMaxItems))
	hi := max(lo, st.g.opts.MaxItems)
	if v.MaxItems != nil {
		hi = int(min(*v.MaxItems, hardMaxItems))
	}
	hi = min(hi, hardMaxItems)
	lo = min(lo, hi)
	n := lo
	if !st.limited(depth) && !st.recursive(v.Items) && hi > lo {
		from := max(lo, 1)
		n = from + st.f.IntN(hi-from+1)
	}
	out := make([]any, 0, n)
	ih := singular(hint)
	var seen map[string]struct{}
	if v.UniqueItems {
		seen = make(map[string]struct{}, n)
	}
	for i := 0; len(out) < n && i < n+16 && !st.exhausted(); i++ {
		x, ok := st.genItem(v, ih, depth, seen, i, out)
		if !ok {
			if len(out) >= lo {
				break // no further distinct value found: stop short
			}
			continue
		}
		out = append(out, x)
	}
	return out
}

// genItem generates one array element. With seen (uniqueItems) it retries
// until the element differs from the earlier ones; ok is false if it could
// not find one. Without, a string that repeats an earlier one is retried a
// few times too (a list of tags reads wrong with one tag twice).
func (st *state) genItem(v *openapi3.Schema, hint string, depth int, seen map[string]struct{}, i int, earlier []any) (x any, ok bool) {
	for try := 0; try < 8; try++ {
		// Item i is seeded from its index (and retry), so a longer or
		// shorter list keeps the same first items.
		old := st.ptr
		st.ptr = indexHash(old, i, try)
		// Items sit at the array's depth: MaxDepth counts objects.
		if v.Items == nil {
			st.reseed(0)
			x = st.genAny(hint, depth)
		} else {
			x = st.gen(v.Items, hint, depth)
		}
		st.ptr = old
		if seen == nil {
			if s, isStr := x.(string); isStr && try < 3 && containsString(earlier, s) {
				continue
			}
			return x, true
		}
		k, err := json.Marshal(x)
		if err != nil {
			return x, true
		}
		if _, dup := seen[string(k)]; !dup {
			seen[string(k)] = struct{}{}
			return x, true
		}
	}
	return nil, false
}

// containsString reports whether list holds the string s.
func containsString(list []any, s string) bool {
	for _, e := range list {
		if e, ok := e.(string); ok && e == s {
			return true
		}
	}
	return false
}

// genAny generates for a schema that says nothing about the type: an
// ordinary string (or number) for a named property, a small object otherwise.
func (st *state) genAny(hint string, depth int) any {
	if hint == "" || st.hi(hint).k == kindNone && depth == 0 {
		if depth > st.g.opts.MaxDepth {
			return map[string]any{}
		}
		out := make(map[string]any, 3)
		n := 2 + st.f.IntN(2)
		for i := 0; i < n; i++ {
			st.reseed(tagExtra + uint64(i))
			k := st.entryKey(out, nil, true)
			old := st.enter(k)
			st.reseed(0)
			out[k] = st.genAny(k, depth+1)
			st.ptr = old
		}
		return out
	}
	k := st.hi(hint).k
	switch {
	case k.integral():
		return st.genInteger(anySchema, hint)
	case k.numeric():
		return st.genNumber(anySchema, hint)
	}
	return st.genString(anySchema, hint)
}

// anySchema stands in for "no constraints" in genAny.
var anySchema = &openapi3.Schema{}

func sortedKeys(m openapi3.Schemas) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// EnumAccepts reports whether x is the typed form of one of the string
// values of s's enum — the boolean true for enum ["true","false"] on a
// boolean — which validators should accept although JSON Schema does not.
func EnumAccepts(s *openapi3.Schema, x any) bool {
	if s == nil {
		return false
	}
	if i, ok := x.(int64); ok {
		x = float64(i)
	}
	for _, t := range typedEnum(s) {
		if i, ok := t.(int64); ok {
			t = float64(i)
		}
		if t == x {
			return true
		}
	}
	return false
}

// Stream tags: reseed(tag) starts a stream of the current value other than
// its own (tag 0), for draws made after its children.
const (
	tagExtra  = 0x100
	tagChance = 0x5bd1e995
)

// reseed restarts the faker's source from the current pointer and tag.
func (st *state) reseed(tag uint64) {
	h := mix64(st.ptr ^ (tag * 0x9e3779b97f4a7c15))
	st.src.Seed(h, h^0xda942042e4dd58b5)
}

// enter moves the pointer to child seg and returns the parent's pointer.
func (st *state) enter(seg string) uint64 {
	old := st.ptr
	st.ptr = segHash(old, seg)
	return old
}

// segHash extends pointer hash h by one segment (FNV-1a, with a separator).
func segHash(h uint64, seg string) uint64 {
	const prime = 1099511628211
	for i := 0; i < len(seg); i++ {
		h ^= uint64(seg[i])
		h *= prime
	}
	h ^= '/'
	h *= prime
	return h
}

// indexHash extends h by an array index (and a uniqueItems retry).
func indexHash(h uint64, i, try int) uint64 {
	const prime = 1099511628211
	h ^= uint64(i)<<8 | uint64(try)<<40 | 0x23
	h *= prime
	return mix64(h)
}

// mix64 is splitmix64's finaliser.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
