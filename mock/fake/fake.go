package fake

import (
	"encoding/binary"
	"slices"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// Direction says which side of an exchange a value is generated for. It
// decides which of readOnly and writeOnly properties are left out.
type Direction int

const (
	// Response values leave out writeOnly properties. It is the zero value.
	Response Direction = iota
	// Request values leave out readOnly properties.
	Request
)

// String returns "response" or "request".
func (d Direction) String() string {
	if d == Request {
		return "request"
	}
	return "response"
}

// Defaults applied by New to zero-valued Options fields.
const (
	DefaultMaxDepth = 6
	DefaultMaxItems = 3
	DefaultMaxNodes = 4000
)

// hardMaxItems bounds every generated array, whatever minItems says.
const hardMaxItems = 100

// Options tune a Generator. The zero value is usable: every zero field takes
// its documented default.
type Options struct {
	// MaxDepth bounds nesting. From this depth on, objects carry only their
	// required properties and arrays only their minItems. 0 means
	// DefaultMaxDepth (6).
	MaxDepth int

	// MaxItems caps the length of arrays that have no maxItems. 0 means
	// DefaultMaxItems (3); a negative value means arrays get only minItems.
	MaxItems int

	// OptionalRate is the probability that an optional property is present.
	// 0 means the default, 1.0 (every optional property is present); a
	// negative value leaves out every optional property.
	OptionalRate float64

	// Direction is Response (skip writeOnly properties) or Request (skip
	// readOnly properties).
	Direction Direction

	// IgnoreExamples turns off the use of schema `example` and `default`
	// values. By default (false) a schema's example is returned when it
	// validates against the schema, except on identifier-like properties,
	// which always vary with the seed.
	IgnoreExamples bool

	// MaxNodes bounds the number of values in one generated document. Once it
	// is reached, the rest of the document gets only required properties and
	// minItems elements. 0 means DefaultMaxNodes.
	MaxNodes int

	// Now anchors generated dates: creation and update times fall before
	// it, expiry and due dates after it, birth dates 18 to 90 years before
	// it. It is rounded down to the start of its UTC day (the anchor), so
	// that the same seed gives byte-identical bodies all day, and dates
	// stay right against the real clock: past dates are at or before the
	// anchor, hence before now; future ones at least a day after it,
	// hence after now. The zero value means the time New is called.
	Now time.Time
}

// Generator produces deterministic, realistic values from OpenAPI 3 schemas.
// It is safe for concurrent use. It caches derived data (merged allOf views,
// example validity) keyed by schema pointer, so the schemas it is given must
// not be mutated afterwards; use a new Generator for a reloaded document.
type Generator struct {
	opts Options

	views    boundedCache[*openapi3.Schema, *openapi3.Schema] // merged allOf views
	branches boundedCache[branchKey, *openapi3.Schema]        // base merged with one oneOf/anyOf branch
	examples boundedCache[*openapi3.Schema, uint8]            // verdict on the schema's example (or default)
	objects  boundedCache[*openapi3.Schema, *objInfo]         // what an object schema's properties say
}

// objInfo is what the generator derives once from an object schema's
// property names: their order and whether they make the object an address
// or a person.
type objInfo struct {
	names    []string    // property names, sorted
	infos    []*hintInfo // what each name says
	props    []*openapi3.SchemaRef
	required []bool
	addressy bool // a property names an address part
	personal bool // a property names a person's part
}

// object returns the objInfo of object schema v.
func (g *Generator) object(v *openapi3.Schema) *objInfo {
	if oi, ok := g.objects.load(v); ok {
		return oi
	}
	oi := &objInfo{names: sortedKeys(v.Properties)}
	oi.infos = make([]*hintInfo, len(oi.names))
	oi.props = make([]*openapi3.SchemaRef, len(oi.names))
	oi.required = make([]bool, len(oi.names))
	for i, pn := range oi.names {
		oi.infos[i] = hintOf(pn)
		oi.props[i] = v.Properties[pn]
		oi.required[i] = slices.Contains(v.Required, pn)
		switch classify(pn) {
		case kindCity, kindZip, kindStreet, kindCountry, kindCountryCode:
			oi.addressy = true
		case kindFirstName, kindLastName, kindEmail, kindGender:
			oi.personal = true
		}
	}
	return g.objects.store(v, oi)
}

type branchKey struct {
	s *openapi3.Schema
	i int
}

// New returns a Generator with opts, zero fields replaced by their defaults.
func New(opts Options) *Generator {
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = DefaultMaxDepth
	}
	switch {
	case opts.MaxItems == 0:
		opts.MaxItems = DefaultMaxItems
	case opts.MaxItems < 0:
		opts.MaxItems = 0
	}
	switch {
	case opts.OptionalRate == 0:
		opts.OptionalRate = 1
	case opts.OptionalRate < 0:
		opts.OptionalRate = 0
	}
	if opts.MaxNodes <= 0 {
		opts.MaxNodes = DefaultMaxNodes
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	n := opts.Now.UTC()
	opts.Now = time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
	return &Generator{opts: opts}
}

// Options returns the options in force, defaults applied.
func (g *Generator) Options() Options { return g.opts }

// Generate returns a JSON-compatible value (map[string]any, []any, string,
// float64, int64, bool or nil) that validates against schema. The same
// (schema, seed, hint) always gives the same value. hint is the property or
// parameter name the value is for; it steers name heuristics (an "email"
// string looks like an email address) and may be "".
//
// Generate never panics on a resolved schema and always returns: recursion,
// oversized arrays and contradictory constraints give a best-effort value.
// Unresolved references (a SchemaRef with a nil Value) generate nil.
func (g *Generator) Generate(schema *openapi3.SchemaRef, seed uint64, hint string) any {
	return g.GenerateFor(schema, seed, hint, 0)
}

// GenerateFor is Generate for a body served with HTTP status (0: unknown,
// taken as a success). Status fields of the body carry that status; a
// success body has empty error lists and true success flags, an error body
// false ones.
func (g *Generator) GenerateFor(schema *openapi3.SchemaRef, seed uint64, hint string, status int) any {
	if schema == nil {
		return nil
	}
	if seed == 0 {
		// gofakeit.New(0) seeds from crypto/rand; keep 0 deterministic.
		seed = 0x9e3779b97f4a7c15
	}
	// One allocation holds the state, its two sources and fakers.
	st := &state{g: g, ptr: seed, now: g.opts.Now, status: status}
	st.pcg[0].Seed(seed, seed)
	st.fk[0].Rand, st.fk[1].Rand = &st.pcg[0], &st.pcg[1]
	st.src, st.f = &st.pcg[0], &st.fk[0]
	st.rsrc, st.rf = &st.pcg[1], &st.fk[1]
	st.frames = st.frameBuf[:0]
	return st.gen(schema, hint, 0)
}

// Seed derives a seed from base and request parts (method, path, path
// parameter values, ...) with 64-bit FNV-1a. Each part is length-prefixed, so
// ("ab", "c") and ("a", "bc") give different seeds.
func Seed(base uint64, parts ...string) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	var b [8]byte
	mix := func(p []byte) {
		for _, c := range p {
			h ^= uint64(c)
			h *= prime
		}
	}
	binary.LittleEndian.PutUint64(b[:], base)
	mix(b[:])
	for _, p := range parts {
		binary.LittleEndian.PutUint64(b[:], uint64(len(p)))
		mix(b[:])
		for i := 0; i < len(p); i++ {
			h ^= uint64(p[i])
			h *= prime
		}
	}
	return h
}
