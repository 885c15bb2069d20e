package fake

import (
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// semantic returns the value a property's name, its object and the
// response say it has: a part of the object's record, a real code, a
// workflow state, a date in its place. ok is false when the name says
// nothing this function knows.
func (st *state) semantic(v *openapi3.Schema, k kind, fk fmtKind, hint string) (string, bool) {
	if hint == "" {
		return "", false
	}
	n := st.hi(hint).n
	switch {
	case statusKeys[n] && (n != "status" || strings.Contains(v.Pattern, `\d`) || fk == fmtInt):
		return strconv.Itoa(st.servedStatus()), true
	case prefixKeys[n]:
		return st.record(hint, partPerson).prefix, true
	case strings.Contains(n, "iban"):
		return st.iban(), true
	case strings.Contains(n, "isbn"):
		return st.isbn(), true
	case st.hi(hint).last == "ago" && fk == fmtNone:
		return st.agoText(), true
	case n == "initials":
		r := st.record(hint, partPerson)
		return r.first[:1] + r.last[:1], true
	}
	minL, maxL := stringLimits(v)
	fr := st.frame()
	switch k {
	case kindFirstName:
		return st.record(hint, partPerson).first, true
	case kindLastName:
		return st.record(hint, partPerson).last, true
	case kindFullName:
		r := st.record(hint, partPerson)
		return r.first + " " + r.last, true
	case kindEmail:
		return st.record(hint, partPerson).email, true
	case kindUserName:
		return st.record(hint, partPerson).username, true
	case kindGender:
		g := st.record(hint, partPerson).gender
		if maxL == 1 {
			return strings.ToUpper(g[:1]), true
		}
		return g, true
	case kindJobTitle:
		return st.record(hint, partWork).jobTitle, true
	case kindCompany:
		return st.record(hint, partWork).company, true
	case kindPhone:
		return st.record(hint, partAddress).phone, true
	case kindStreet:
		r := st.record(hint, partAddress)
		switch n := addressLine(hint); {
		case n == 2:
			return r.unit, true
		case n == 3:
			return r.floor, true
		case n >= 4:
			return extraAddressLines[(n-4)%len(extraAddressLines)], true
		}
		return r.street, true
	case kindCity:
		return st.record(hint, partAddress).place.city, true
	case kindState:
		if st.hi(hint).last == "state" && fr.workflow(hint) {
			return workflowStates[st.f.IntN(len(workflowStates))], true
		}
		fallthrough
	case kindStateCode:
		r := st.record(hint, partAddress)
		if k == kindStateCode || maxL >= 0 && maxL <= 3 {
			if maxL >= 0 && len(r.place.regionCode) > maxL {
				// A two-letter state field is an American (or Canadian,
				// German) one: a cut "ENG" read "EN".
				us := countries[0].places
				return us[r.h%uint64(len(us))].regionCode, true
			}
			return r.place.regionCode, true
		}
		return r.place.region, true
	case kindZip:
		return st.record(hint, partAddress).postal, true
	case kindCountry, kindCountryCode:
		c := st.record(hint, partAddress).country
		switch {
		case minL == 3 || maxL == 3 || strings.Contains(n, "iso3") || strings.Contains(n, "alpha3"):
			return c.alpha3, true
		case k == kindCountryCode || maxL >= 0 && maxL < len(c.name):
			return c.alpha2, true
		}
		return c.name, true
	case kindCurrency:
		return st.record(hint, partAddress).country.currency, true
	case kindLanguage:
		l := st.record(hint, partAddress).country.language
		if maxL >= 0 && maxL < 5 || !strings.Contains(n, "locale") && !strings.Contains(n, "culture") {
			l, _, _ = strings.Cut(l, "-")
		}
		return l, true
	case kindLocale:
		return st.record(hint, partAddress).country.language, true
	case kindTimezone:
		if strings.Contains(n, "offset") {
			return "", false
		}
		return st.record(hint, partAddress).country.tz, true
	case kindDateTime, kindDate, kindMoment:
		t := st.moment(hint)
		switch {
		case fk == fmtDate || k == kindDate && fk != fmtDateTime:
			return t.Format(time.DateOnly), true
		case fk == fmtTime:
			return t.Format(time.TimeOnly), true
		}
		return t.Format(time.RFC3339), true
	case kindURL:
		return st.exampleURL(), true
	case kindImageURL:
		return st.imageURL(), true
	case kindDomain:
		return st.exampleHost(), true
	case kindMimeType:
		return mimeTypes[st.f.IntN(len(mimeTypes))], true
	case kindColor:
		return colorsHex[st.f.IntN(len(colorsHex))], true
	case kindVersion:
		return strconv.Itoa(1+st.f.IntN(4)) + "." + strconv.Itoa(st.f.IntN(12)) + "." + strconv.Itoa(st.f.IntN(20)), true
	case kindIP:
		return []string{"192.0.2.", "198.51.100.", "203.0.113."}[st.f.IntN(3)] + strconv.Itoa(1+st.f.IntN(254)), true
	case kindIPv6:
		return "2001:db8::" + strconv.FormatInt(int64(1+st.f.IntN(0xfffe)), 16), true
	case kindStatus:
		return statusWords[st.f.IntN(len(statusWords))], true
	case kindWord:
		if w := vocabulary(hint); w != nil {
			return w[st.f.IntN(len(w))], true
		}
	case kindTitle:
		if fr != nil && taskContexts[fr.ctx] {
			return taskTitles[st.f.IntN(len(taskTitles))], true
		}
	case kindLabel:
		th := st.thingOf(hint)
		if th == "entity" && fr != nil {
			th = fr.ctx
		}
		return st.entityLabel(th), true
	case kindText:
		return st.sentence(), true
	}
	return "", false
}

// extraAddressLines are address lines 4 and on (after street, unit and
// floor): each differs from the others.
var extraAddressLines = []string{"Building B", "Attn: Accounts Payable", "Receiving Dock 4", "PO Box 1450", "West Wing"}

// addressLine is the line number an address property's name ends in
// (address2, AddressLine3, street_2 …), 0 when it names none.
func addressLine(hint string) int {
	i := len(hint)
	for i > 0 && hint[i-1] >= '0' && hint[i-1] <= '9' {
		i--
	}
	if i == len(hint) || len(hint)-i > 2 {
		return 0
	}
	n, _ := strconv.Atoi(hint[i:])
	return n
}

// taskContexts are objects whose title reads like a task.
var taskContexts = map[string]bool{"task": true, "todo": true, "ticket": true, "issue": true, "card": true, "activity": true, "action": true, "job": true, "step": true}

// vocabulary returns the small vocabulary of a type/category-like name.
func vocabulary(hint string) []string {
	switch lastWord(hint) {
	case "type", "kind":
		return typeWords
	case "category", "group", "department", "team", "genre":
		return categoryWords
	case "priority", "severity", "urgency":
		return priorityWords
	}
	return nil
}

// servedStatus is the status status fields carry: the served one, else 200.
func (st *state) servedStatus() int {
	if st.status >= 100 && st.status <= 599 {
		return st.status
	}
	return 200
}

// success reports whether the body is served as a success (or unknown).
func (st *state) success() bool { return st.status < 400 }

// moment is the time a date property's name says: the record's creation,
// update, start, end, birth or expiry, a due date ahead, another date in
// the past year.
func (st *state) moment(hint string) time.Time {
	n := st.hi(hint).n
	r := st.record("", partDates)
	has := func(fam []string) bool {
		for _, x := range fam {
			if n == x {
				return true
			}
		}
		return false
	}
	switch {
	case isBirthKey(n):
		return r.birth
	case isExpiryKey(n):
		return r.expiry
	case has(datePairs[0][0]) || strings.HasPrefix(n, "created") || strings.HasPrefix(n, "creation"):
		return r.created
	case has(datePairs[0][1]) || strings.HasPrefix(n, "updated") || strings.HasPrefix(n, "modified") || strings.HasPrefix(n, "lastmodified") || strings.HasPrefix(n, "lastupdated"):
		return r.updated
	case has(datePairs[1][0]) || strings.HasPrefix(n, "start"):
		return r.start
	case has(datePairs[1][1]) || strings.HasPrefix(n, "end"):
		return r.end
	case isPastKey(n):
		span := st.now.Sub(r.created)
		return r.created.Add(time.Duration(st.f.Uint64() % uint64(span+1)))
	case strings.Contains(n, "due") || strings.Contains(n, "deadline") || strings.Contains(n, "next") || strings.Contains(n, "scheduled") || strings.Contains(n, "upcoming"):
		return st.now.AddDate(0, 0, 1+st.f.IntN(90)).Add(time.Duration(st.f.IntN(86400)) * time.Second)
	}
	return st.now.Add(-time.Duration(st.f.Uint64() % uint64(365*24*time.Hour)))
}

// exampleHost is a host name on an RFC 2606 domain.
func (st *state) exampleHost() string {
	sub := []string{"www", "api", "app", "portal", "files", "docs"}[st.f.IntN(6)]
	return sub + "." + exampleDomains[st.f.IntN(len(exampleDomains))]
}

// exampleURL is an https URL on an RFC 2606 domain with a short path.
func (st *state) exampleURL() string {
	p := []string{"projects", "items", "orders", "docs", "reports", "users", "files", "events"}[st.f.IntN(8)]
	return "https://" + st.exampleHost() + "/" + p + "/" + strconv.Itoa(1000+st.f.IntN(9000))
}

// iban returns a valid (mod-97) British-form IBAN.
func (st *state) iban() string {
	bban := "WEST" + st.f.Numerify("##############")
	// Check digits: (bban + "GB00") as digits, mod 97.
	r := bban + "GB00"
	mod := 0
	for _, ch := range r {
		if ch >= '0' && ch <= '9' {
			mod = (mod*10 + int(ch-'0')) % 97
		} else {
			mod = (mod*100 + int(ch-'A') + 10) % 97
		}
	}
	return "GB" + twoDigits(98-mod) + bban
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// isbn returns a valid ISBN-13.
func (st *state) isbn() string {
	d := "978" + st.f.Numerify("#########")
	sum := 0
	for i, ch := range d {
		w := 1
		if i%2 == 1 {
			w = 3
		}
		sum += w * int(ch-'0')
	}
	return d + strconv.Itoa((10-sum%10)%10)
}
