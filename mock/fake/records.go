package fake

import (
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// A record is one fake person with one address, company and set of dates:
// every property of one generated object that names a part of it takes
// that part, so name, email, gender and username agree, and city, region,
// postal code and country belong together. A record is drawn in full, in a
// fixed order, from the object's own pointer: which properties the object
// has does not change it.
type record struct {
	h                           uint64 // the record's hash: each part is drawn from it
	have                        uint8  // the parts drawn so far
	gender, first, last, prefix string
	email, username, jobTitle   string
	company, phone              string
	street, unit, floor         string // address lines 1, 2 and 3
	country                     *country
	place                       place
	postal                      string
	created, updated            time.Time
	start, end, birth, expiry   time.Time
}

// frame is one object being generated: its pointer, what it is (its
// property or schema name) and its declared properties.
type frame struct {
	ptr      uint64
	ctx      string      // context word: "contract", "address", "" when unknown
	props    bool        // a property names a person's part
	addressy bool        // has address parts or is an address
	rec0     namedRecord // the first record asked for (most objects have one)
	records  []namedRecord
}

type namedRecord struct {
	prefix string
	r      *record
}

// addressContexts are object names that are addresses.
var addressContexts = map[string]bool{
	"address": true, "location": true, "place": true, "billing": true, "shipping": true, "residence": true,
	"office": true, "branch": true, "store": true, "site": true, "venue": true, "postal": true, "mailing": true,
	"headquarter": true, "geo": true, "delivery": true, "home": true,
}

func (st *state) pushFrame(ctx string, v *openapi3.Schema, oi *objInfo) {
	st.frames = append(st.frames, frame{ptr: st.ptr, ctx: ctx, props: oi.personal, addressy: addressContexts[ctx] || oi.addressy})
}

func (st *state) popFrame() { st.frames = st.frames[:len(st.frames)-1] }

func (st *state) frame() *frame {
	if len(st.frames) == 0 {
		return nil
	}
	return &st.frames[len(st.frames)-1]
}

// fieldWords are the words of a property name that say which part of a
// record it is; what remains ("manager" in managerEmail) names whose record.
var fieldWords = map[string]bool{
	"name": true, "first": true, "last": true, "full": true, "display": true, "email": true, "mail": true,
	"address": true, "user": true, "given": true, "family": true, "sur": true, "e": true, "primary": true,
	"work": true, "personal": true, "job": true, "title": true, "phone": true, "number": true, "mobile": true,
	"gender": true, "sex": true, "initials": true, "middle": true, "street": true, "city": true, "state": true,
	"code": true, "zip": true, "postal": true, "post": true, "country": true, "region": true, "province": true,
	"line": true, "locale": true, "language": true, "lang": true, "time": true, "zone": true, "timezone": true,
	"currency": true, "iso": true, "abbreviation": true, "short": true, "long": true, "fname": true, "lname": true,
	"firstname": true, "lastname": true, "fullname": true, "displayname": true, "username": true, "emailaddress": true,
	"login": true, "handle": true, "prefix": true, "suffix": true, "salutation": true, "birth": true, "date": true,
	"dob": true, "birthday": true, "birthdate": true, "of": true, "company": true, "organization": true, "organisation": true,
	"telephone": true, "cell": true, "fax": true, "tel": true, "contact": true, "unit": true, "apartment": true,
	"suite": true, "county": true, "town": true, "locality": true, "zipcode": true, "postcode": true,
	"postalcode": true, "countrycode": true, "statecode": true, "at": true, "on": true, "created": true, "updated": true,
	"modified": true, "start": true, "end": true, "expiry": true, "expires": true, "expiration": true, "id": true,
	"one": true, "two": true, "nick": true, "screen": true, "upn": true, "principal": true, "value": true, "text": true,
}

// recordKinds are the kinds a record supplies.
var recordKinds = map[kind]bool{
	kindEmail: true, kindFirstName: true, kindLastName: true, kindFullName: false, kindUserName: true,
	kindCompany: true, kindCity: true, kindCountry: true, kindCountryCode: true, kindState: true,
	kindStateCode: true, kindStreet: true, kindZip: true, kindPhone: true, kindCurrency: true,
	kindLanguage: true, kindLocale: true, kindTimezone: true, kindGender: true, kindJobTitle: true,
	kindDate: true,
}

var prefixCache boundedCache[string, string]

// recordPrefix is what a property name says beyond the record part it
// names, lower case ("" for firstName, "manager" for managerEmail).
func recordPrefix(hint string) string {
	if p, ok := prefixCache.load(hint); ok {
		return p
	}
	return prefixCache.store(hint, recordPrefixUncached(hint))
}

func recordPrefixUncached(hint string) string {
	ws := words(hint)
	var out []string
	for _, w := range ws {
		if !fieldWords[w] && !recordKinds[byLast[w]] {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// record returns the record of the current object for properties whose
// name says prefix (see recordPrefix), with parts drawn; outside an
// object, a record of the value's own pointer.
func (st *state) record(hint string, parts uint8) *record {
	return st.need(st.recordOf(hint), parts)
}

func (st *state) recordOf(hint string) *record {
	fr := st.frame()
	if fr == nil {
		return st.newRecord(st.ptr)
	}
	p := st.hi(hint).prefix
	if p == fr.ctx {
		p = "" // contactName in a contact
	}
	if fr.rec0.r != nil && fr.rec0.prefix == p {
		return fr.rec0.r
	}
	for _, nr := range fr.records {
		if nr.prefix == p {
			return nr.r
		}
	}
	r := st.newRecord(segHash(segHash(fr.ptr, "\x00record:"), p))
	if fr.rec0.r == nil {
		fr.rec0 = namedRecord{p, r}
	} else {
		fr.records = append(fr.records, namedRecord{p, r})
	}
	return r
}

// Parts of a record, each drawn on first use from its own stream of the
// record's hash: which parts an object uses does not change the others.
const (
	partPerson  uint8 = 1 << iota // gender, names, honorific, email, username
	partAddress                   // country, place, street, unit, postal code, phone
	partWork                      // job title, company (its suffix follows the country)
	partDates                     // created, updated, start, end, birth, expiry
)

// newRecord returns the record of hash h, with no part drawn yet.
func (st *state) newRecord(h uint64) *record {
	if len(st.recs) == cap(st.recs) {
		if st.recs == nil {
			st.recs = st.recBuf[:0]
		} else {
			st.recs = make([]record, 0, 8)
		}
	}
	st.recs = append(st.recs, record{h: mix64(h ^ 0x7265636f7264)})
	return &st.recs[len(st.recs)-1]
}

// need draws the parts of r that are not drawn yet, with the record
// faker, leaving the value's own stream alone.
func (st *state) need(r *record, parts uint8) *record {
	missing := parts &^ r.have
	if missing == 0 {
		return r
	}
	if missing&partWork != 0 {
		missing |= partAddress &^ r.have
	}
	r.have |= missing
	f := st.rf
	seed := func(part uint8) {
		h := mix64(r.h + uint64(part)*0x9e3779b97f4a7c15)
		st.rsrc.Seed(h, h^0xda942042e4dd58b5)
	}
	if missing&partPerson != 0 {
		seed(partPerson)
		if f.IntN(2) == 0 {
			r.gender, r.first = "female", femaleNames[f.IntN(len(femaleNames))]
			r.prefix = []string{"Ms.", "Mrs.", "Dr."}[f.IntN(3)]
		} else {
			r.gender, r.first = "male", maleNames[f.IntN(len(maleNames))]
			r.prefix = []string{"Mr.", "Mr.", "Dr."}[f.IntN(3)]
		}
		r.last = lastNames[f.IntN(len(lastNames))]
		fl, ll := strings.ToLower(r.first), strings.ToLower(r.last)
		dom := exampleDomains[f.IntN(len(exampleDomains))]
		// Whole first and last names in every style: an object that shows
		// only one of them still agrees with the email and username.
		switch f.IntN(3) {
		case 0:
			r.username = fl + "." + ll
		case 1:
			r.username = fl + "_" + ll
		default:
			r.username = fl + ll + strconv.Itoa(10+f.IntN(90))
		}
		r.email = strings.TrimRight(r.username, "0123456789") + "@" + dom
	}
	if missing&partAddress != 0 {
		seed(partAddress)
		r.country = pickCountry(f.Uint64())
		r.place = r.country.places[f.IntN(len(r.country.places))]
		r.street = strconv.Itoa(1+f.IntN(9899)) + " " + r.country.streets[f.IntN(len(r.country.streets))]
		r.unit = "Suite " + strconv.Itoa(100+f.IntN(900))
		r.floor = "Floor " + strconv.Itoa(2+f.IntN(20))
		r.postal = fill(r.place.postal, f.Uint64())
		r.phone = fill(r.country.phone, f.Uint64())
	}
	if missing&partWork != 0 {
		seed(partWork)
		// The helpers draw from st.f: lend them the record faker.
		vf := st.f
		st.f = f
		r.jobTitle = st.jobTitle()
		r.company = st.companyName(r.country)
		st.f = vf
	}
	if missing&partDates != 0 {
		seed(partDates)
		now := st.now
		r.created = now.Add(-time.Duration(30*24+f.IntN(900*24)) * time.Hour).Add(-time.Duration(f.IntN(3600)) * time.Second)
		r.updated = r.created.Add(time.Duration(f.Uint64() % uint64(now.Sub(r.created))))
		r.start = now.AddDate(0, 0, -f.IntN(180)).Add(time.Duration(8+f.IntN(9)) * time.Hour)
		r.end = r.start.AddDate(0, 0, 1+f.IntN(365))
		r.birth = now.AddDate(-(19 + f.IntN(70)), 0, -f.IntN(360))
		r.expiry = now.AddDate(0, 0, 45+f.IntN(700))
	}
	return r
}

// fill replaces # with digits and ? with upper-case letters, from r.
func fill(pat string, r uint64) string {
	b := []byte(pat)
	for i, c := range b {
		switch c {
		case '#':
			b[i] = byte('0' + r%10)
			r = r/10 ^ mix64(r+uint64(i))>>4
		case '?':
			b[i] = byte('A' + r%26)
			r = r/26 ^ mix64(r+uint64(i))>>4
		}
	}
	return string(b)
}

// personal reports whether the current object is about a person: it has
// first/last name or email properties, or its name says so.
func (fr *frame) personal() bool {
	if fr == nil {
		return false
	}
	switch fr.ctx {
	case "user", "person", "contact", "member", "employee", "customer", "people", "profile", "author", "owner",
		"assignee", "creator", "attendee", "participant", "student", "teacher", "patient", "client", "lead",
		"recipient", "sender", "requester", "manager", "agent", "account", "candidate", "applicant", "reviewer", "approver":
		return true
	}
	return fr.props
}

// regionPrefixes are the words before `state` that make it an address
// region (billing_state, homeState) rather than a workflow state
// (ticket_state, mandateState).
var regionPrefixes = map[string]bool{
	"billing": true, "shipping": true, "mailing": true, "address": true, "home": true, "office": true,
	"residence": true, "residential": true, "postal": true, "delivery": true, "location": true, "birth": true,
	"issuing": true, "issuer": true, "license": true, "licence": true, "jurisdiction": true, "work": true,
	"business": true, "company": true, "customer": true, "ship": true, "bill": true, "physical": true,
	"registered": true, "legal": true, "origin": true, "destination": true, "pickup": true, "us": true,
	"primary": true, "secondary": true, "current": true, "permanent": true, "mail": true, "site": true,
}

// workflowState reports whether a property called key, in an object known
// as ctx that has address parts or not, is a workflow state (open,
// closed …) rather than an address region: its name ends in "state" and
// either what comes before says a workflow (ticket_state) or, for a bare
// state, the object is no address.
func workflowState(key string, addressy bool, ctx string) bool {
	ws := words(key)
	if len(ws) == 0 || ws[len(ws)-1] != "state" {
		return false
	}
	if len(ws) > 1 {
		for _, w := range ws[:len(ws)-1] {
			if regionPrefixes[w] || addressContexts[w] {
				return false
			}
		}
		return true
	}
	return !addressy && !addressContexts[ctx]
}

var workflowCache boundedCache[string, bool]

// workflow reports whether `state` property hint of the current object
// is a workflow state rather than an address region.
func (fr *frame) workflow(hint string) bool {
	if fr == nil {
		return workflowState(hint, false, "")
	}
	if len(words(hint)) > 1 {
		if w, ok := workflowCache.load(hint); ok {
			return w
		}
		return workflowCache.store(hint, workflowState(hint, false, ""))
	}
	return workflowState(hint, fr.addressy, fr.ctx)
}

// entityWords name things for labels: "Phoenix Project", "Summit Board".
var entityWords = []string{
	"Phoenix", "Summit", "Horizon", "Atlas", "Orion", "Northwind", "Contoso", "Fabrikam", "Evergreen", "Bluebird",
	"Harbor", "Meridian", "Aurora", "Cascade", "Pioneer", "Keystone", "Lighthouse", "Redwood", "Silverline", "Granite",
}

// entityLabel is a name for a thing called thing ("project" -> "Atlas
// Project"); without a thing, a two-word name.
func (st *state) entityLabel(thing string) string {
	w := entityWords[st.f.IntN(len(entityWords))]
	if thing == "" || containers[thing] || len(thing) > 20 {
		return w + " " + capitalize(st.noun())
	}
	return w + " " + capitalize(thing)
}

// thingOf is the thing a label property names: "project" for projectName,
// the object's context for a bare name.
func (st *state) thingOf(hint string) string {
	if t := namedThing(hint); t != "" {
		return t
	}
	if fr := st.frame(); fr != nil {
		return fr.ctx
	}
	return ""
}

var thingCache boundedCache[string, string]

// namedThing is "project" for projectName or projectTitle, else "".
func namedThing(hint string) string {
	if t, ok := thingCache.load(hint); ok {
		return t
	}
	t := ""
	if ws := words(hint); len(ws) >= 2 && (ws[len(ws)-1] == "name" || ws[len(ws)-1] == "title") {
		t = singular(ws[len(ws)-2])
	}
	return thingCache.store(hint, t)
}

// TitleHint returns the hint for the title of an item in a dropdown list:
// the list's thing ("project" from ListProjects or GetBoards) followed by
// "Name", so that titles read as names of that thing. It returns field
// unchanged when the operation names no thing.
func TitleHint(operationID, field string) string {
	ws := words(operationID)
	var thing string
	for i := len(ws) - 1; i >= 0; i-- {
		switch ws[i] {
		case "get", "list", "all", "search", "find", "fetch", "query", "read", "my", "by", "for", "v", "api",
			"dynamic", "values", "value", "dropdown", "lookup", "options", "items", "item", "names", "id", "ids":
			continue
		}
		thing = singular(ws[i])
		break
	}
	if thing == "" {
		return field
	}
	if k := byLast[thing]; k == kindFullName || k == kindUserName || thing == "user" || thing == "people" {
		thing = "full"
	}
	switch classify(field) {
	case kindFullName, kindLabel, kindTitle, kindNone, kindText, kindValue:
		return thing + "Name"
	}
	return field
}
