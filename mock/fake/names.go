package fake

import (
	"strings"
	"unicode"
)

// kind is what a property name says about its value.
type kind uint8

const (
	kindNone kind = iota
	kindID
	kindEmail
	kindFirstName
	kindLastName
	kindFullName
	kindUserName
	kindCompany
	kindCity
	kindCountry
	kindCountryCode
	kindState
	kindStateCode
	kindStreet
	kindZip
	kindPhone
	kindURL
	kindImageURL
	kindMoney
	kindCurrency
	kindDateTime
	kindDate
	kindTimeOfDay
	kindText
	kindTitle
	kindJobTitle
	kindStatus
	kindCount
	kindAge
	kindLatitude
	kindLongitude
	kindColor
	kindIP
	kindIPv6
	kindMAC
	kindToken
	kindVersion
	kindLanguage
	kindLocale
	kindTimezone
	kindPassword
	kindDomain
	kindFileName
	kindExtension
	kindMimeType
	kindPercent
	kindRating
	kindYear
	kindMonth
	kindDay
	kindHour
	kindMinute
	kindDuration
	kindGender
	kindUserAgent
	kindPort
	kindSize
	kindPage
	kindPageSize
	kindOffset
	kindWord
	kindRole
	kindSlug
	kindPath
	kindCode
	kindNumberID // "orderNumber", "invoiceNo": a reference number
	kindValue    // "value": a short word or a number
	kindLabel    // "projectName": a short capitalised name
	kindMoment   // "start", "until": a date-time string, but not an epoch number
)

// identifier reports kinds whose values must vary with the seed.
func (k kind) identifier() bool { return k == kindID || k == kindNumberID }

// integral reports kinds whose natural value is an integer.
func (k kind) integral() bool {
	switch k {
	case kindCount, kindAge, kindYear, kindMonth, kindDay, kindHour, kindMinute, kindPort, kindSize,
		kindPage, kindPageSize, kindOffset, kindRating:
		return true
	}
	return false
}

// numeric reports kinds whose natural value is a (decimal) number.
func (k kind) numeric() bool {
	switch k {
	case kindMoney, kindLatitude, kindLongitude, kindPercent:
		return true
	}
	return k.integral()
}

// hintInfo is everything the generator derives from one property name.
type hintInfo struct {
	k      kind
	n      string // norm
	last   string // lastWord
	prefix string // recordPrefix
	ctx    string // contextWord
}

var hintInfos boundedCache[string, *hintInfo]

// hi returns what hint says, from a one-entry memo (a value asks several
// times about its own name) or the shared cache.
func (st *state) hi(hint string) *hintInfo {
	if st.memo != nil && hint == st.memoHint {
		return st.memo
	}
	h := hintOf(hint)
	st.memoHint, st.memo = hint, h
	return h
}

func hintOf(hint string) *hintInfo {
	if h, ok := hintInfos.load(hint); ok {
		return h
	}
	return hintInfos.store(hint, &hintInfo{k: classify(hint), n: norm(hint), last: lastWord(hint), prefix: recordPrefix(hint), ctx: contextWord(hint)})
}

// hintCache remembers classify's answers: property names are a small set.
var hintCache boundedCache[string, kind]

// classify tells what a property or parameter name says about its value.
// It is case-insensitive and splits camelCase, snake_case, kebab-case and
// spaces into words.
func classify(hint string) kind {
	if hint == "" {
		return kindNone
	}
	if k, ok := hintCache.load(hint); ok {
		return k
	}
	return hintCache.store(hint, classifyWords(words(hint)))
}

// words splits a name into lower-case words: "customerID" -> customer, id;
// "IPAddress" -> ip, address; "address_line1" -> address, line (trailing
// numbers dropped).
func words(s string) []string {
	var out []string
	rs := []rune(s)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			out = append(out, strings.ToLower(string(rs[start:end])))
		}
		start = -1
	}
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		prev := rs[i-1]
		switch {
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			flush(i)
			start = i
		case unicode.IsUpper(r) && unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
			flush(i)
			start = i
		case unicode.IsDigit(r) != unicode.IsDigit(prev):
			flush(i)
			start = i
		}
	}
	flush(len(rs))
	// Drop numeric words ("line1", "v2"), but keep a lone number.
	kept := out[:0]
	for _, w := range out {
		if w[0] < '0' || w[0] > '9' {
			kept = append(kept, w)
		}
	}
	return kept
}

// singular turns a plural array name into a name for its items.
func singular(s string) string {
	switch {
	case s == "":
		return ""
	case strings.HasSuffix(s, "ies") && len(s) > 4:
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "sses"), strings.HasSuffix(s, "shes"), strings.HasSuffix(s, "ches"),
		strings.HasSuffix(s, "xes"), strings.HasSuffix(s, "uses"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "ss"), strings.HasSuffix(s, "us"), strings.HasSuffix(s, "is"):
		return s
	case strings.HasSuffix(s, "s") && len(s) > 2:
		return s[:len(s)-1]
	case strings.HasSuffix(s, "List") || strings.HasSuffix(s, "list"):
		return s[:len(s)-4]
	}
	return s
}

// lastWords lists, per kind, the last words of names of that kind.
var lastWords = map[kind][]string{
	kindID: {
		"id", "uuid", "guid", "identifier", "oid", "objectid", "userid", "customerid", "accountid", "key",
	},
	kindEmail:     {"email", "emails", "emailaddress", "mail", "upn"},
	kindFirstName: {"firstname", "givenname", "forename", "fname"},
	kindLastName:  {"lastname", "surname", "familyname", "lname"},
	kindFullName: {
		"fullname", "displayname", "author", "owner", "assignee", "contact", "creator", "sender",
		"recipient", "manager", "person", "instructor", "teacher", "student", "speaker", "trainer",
		"employee", "attendee", "participant", "candidate", "applicant", "reviewer", "approver",
		"requester", "requestor", "submitter", "signer", "cardholder", "organizer", "organiser",
		"presenter", "member", "guest", "customer", "client", "patient",
	},
	kindUserName: {"username", "login", "handle", "nickname", "screenname", "upnname"},
	kindCompany: {
		"company", "companyname", "organization", "organisation", "org", "employer", "vendor", "supplier",
		"business", "tenant", "brand", "manufacturer",
	},
	kindCity:        {"city", "town", "locality"},
	kindCountry:     {"country", "nation"},
	kindCountryCode: {"countrycode", "iso"},
	kindState:       {"state", "province", "region", "county"},
	kindStateCode:   {"statecode"},
	kindStreet:      {"street", "address", "addressline", "streetaddress"},
	kindZip:         {"zip", "zipcode", "postalcode", "postcode", "postal"},
	kindPhone: {
		"phone", "mobile", "telephone", "tel", "fax", "cell", "cellphone", "phonenumber", "mobilephone",
	},
	kindURL: {
		"url", "uri", "website", "link", "href", "homepage", "webpage", "permalink", "weburl", "endpoint",
		"callback", "webhook", "redirect", "site",
	},
	kindImageURL: {"avatar", "thumbnail", "logo", "icon", "image", "photo", "picture"},
	kindMoney: {
		"price", "amount", "total", "cost", "balance", "subtotal", "tax", "fee", "fees", "salary",
		"revenue", "spend", "budget", "discount", "charge", "credit", "debit", "income", "profit",
	},
	kindCurrency: {"currency", "currencycode"},
	kindDateTime: {
		"timestamp", "datetime", "date", "time", "ts", "created", "updated", "modified", "deleted",
		"expires", "expiry", "expiration", "started", "ended", "completed", "published", "scheduled",
		"due", "deadline", "lastmodified", "createdat", "updatedat", "createdon", "modifiedon",
	},
	kindDate: {"birthday", "birthdate", "dob"},
	kindText: {
		"description", "notes", "note", "comment", "comments", "summary", "body", "message", "details",
		"detail", "text", "content", "bio", "remarks", "reason", "about", "instructions", "memo",
		"feedback", "answer", "question", "snippet", "excerpt", "caption",
	},
	kindTitle:     {"title", "subject", "headline", "label", "heading", "topic"},
	kindJobTitle:  {"jobtitle", "position", "occupation"},
	kindStatus:    {"status", "statuscode"},
	kindCount:     {"count", "quantity", "qty", "num", "retries", "attempts", "views", "likes"},
	kindAge:       {"age"},
	kindLatitude:  {"latitude", "lat"},
	kindLongitude: {"longitude", "lng", "lon", "long"},
	kindColor:     {"color", "colour"},
	kindIP:        {"ip", "ipaddress", "ipv4"},
	kindIPv6:      {"ipv6"},
	kindMAC:       {"mac", "macaddress"},
	kindToken: {
		"token", "secret", "hash", "etag", "signature", "checksum", "sha", "md5", "nonce", "apikey",
		"fingerprint", "digest", "cursor", "continuation",
	},
	kindVersion:   {"version", "apiversion"},
	kindLanguage:  {"language", "lang"},
	kindLocale:    {"locale", "culture"},
	kindTimezone:  {"timezone", "tz", "zone"},
	kindPassword:  {"password", "passwd", "pwd", "passphrase"},
	kindDomain:    {"domain", "hostname", "host", "server"},
	kindFileName:  {"filename", "file"},
	kindExtension: {"extension", "ext"},
	kindMimeType:  {"mimetype", "contenttype", "mime", "mediatype"},
	kindPercent:   {"percent", "percentage", "pct", "score", "progress", "probability", "confidence"},
	kindRating:    {"rating", "stars"},
	kindYear:      {"year"},
	kindMonth:     {"month"},
	kindDay:       {"day"},
	kindHour:      {"hour", "hours"},
	kindMinute:    {"minute", "minutes", "second", "seconds"},
	kindDuration:  {"duration", "interval", "elapsed", "ttl"},
	kindGender:    {"gender", "sex"},
	kindUserAgent: {"useragent", "agent"},
	kindPort:      {"port"},
	kindSize:      {"size", "bytes", "length", "filesize", "width", "height", "weight"},
	kindPage:      {"page", "pagenumber"},
	kindPageSize:  {"pagesize", "limit", "perpage", "top"},
	kindOffset:    {"offset", "skip"},
	kindWord: {
		"type", "kind", "category", "group", "tag", "tags", "keyword", "genre", "department", "team",
	},
	kindRole:     {"role", "permission", "scope"},
	kindSlug:     {"slug"},
	kindPath:     {"path", "folder", "directory"},
	kindCode:     {"code", "sku"},
	kindNumberID: {"reference", "ref", "no", "number"},
	kindValue:    {"value"},
	kindMoment:   {"start", "end", "since", "until", "begin", "finish"},
}

// byLast maps a name's last word to a kind.
var byLast = invert(lastWords)

// pairWords lists, per kind, "previous last" word pairs that mean more than
// the last word alone.
var pairWords = map[kind][]string{
	kindFirstName: {"first name", "given name", "fore name", "middle name"},
	kindLastName:  {"last name", "family name", "sur name"},
	kindFullName: {
		"full name", "display name", "contact name", "person name", "customer name", "author name",
		"owner name", "employee name", "sender name", "recipient name", "manager name", "creator name",
		"assignee name", "member name", "agent name",
	},
	kindUserName: {"user name", "login name", "screen name", "nick name", "account name"},
	kindCompany: {
		"company name", "org name", "organization name", "organisation name", "business name",
		"vendor name", "supplier name", "tenant name", "brand name",
	},
	kindCity:        {"city name"},
	kindCountry:     {"country name"},
	kindState:       {"state name"},
	kindFileName:    {"file name", "document name", "attachment name"},
	kindDomain:      {"host name", "domain name", "server name"},
	kindCountryCode: {"country code", "country iso"},
	kindCurrency:    {"currency code"},
	kindStateCode:   {"state code", "region code"},
	kindZip:         {"zip code", "postal code", "post code", "zip plus"},
	kindLanguage:    {"language code", "lang code"},
	kindLocale:      {"locale code"},
	kindColor:       {"color code"},
	kindStatus:      {"status code"},
	kindEmail:       {"email address", "e mail"},
	kindIP:          {"ip address"},
	kindMAC:         {"mac address"},
	kindURL:         {"web address", "web site"},
	kindStreet:      {"address line", "street name"},
	kindPhone: {
		"phone number", "mobile number", "fax number", "telephone number", "cell number", "contact number",
	},
	kindPage:      {"page number"},
	kindPageSize:  {"page size", "per page"},
	kindCount:     {"page count", "total count"},
	kindJobTitle:  {"job title"},
	kindUserAgent: {"user agent"},
	kindToken:     {"api key", "access key", "secret key", "private key", "public key", "access token"},
	kindTimezone:  {"time zone"},
	kindMimeType:  {"mime type", "content type", "media type"},
	kindExtension: {"file type"},
	kindDate:      {"birth date", "date of"},
	kindDateTime:  {"start time", "end time", "last login", "last logon", "last signin"},
	kindSize:      {"file size", "content length"},
	kindImageURL: {
		"image url", "avatar url", "photo url", "picture url", "thumbnail url", "logo url", "icon url",
		"profile picture",
	},
	kindTimeOfDay: {"time of"},
}

// byPair maps "previous last" word pairs to a kind.
var byPair = func() map[[2]string]kind {
	m := make(map[[2]string]kind)
	for k, ps := range pairWords {
		for _, p := range ps {
			a, b, _ := strings.Cut(p, " ")
			m[[2]string{a, b}] = k
		}
	}
	return m
}()

func invert(m map[kind][]string) map[string]kind {
	out := make(map[string]kind)
	for k, ws := range m {
		for _, w := range ws {
			out[w] = k
		}
	}
	return out
}

// timeVerbs are words that, followed by "at" or "on", name a moment.
var timeVerbs = map[string]bool{
	"created": true, "updated": true, "modified": true, "deleted": true, "published": true, "started": true,
	"ended": true, "completed": true, "expires": true, "expired": true, "scheduled": true, "sent": true,
	"received": true, "last": true, "signed": true, "closed": true, "opened": true, "submitted": true,
	"approved": true, "cancelled": true, "canceled": true, "archived": true, "processed": true,
	"resolved": true, "assigned": true, "joined": true, "logged": true, "paid": true, "issued": true,
	"occurred": true, "delivered": true, "finished": true, "changed": true, "edited": true, "viewed": true,
	"uploaded": true, "starts": true, "ends": true, "due": true, "valid": true, "effective": true,
	"registered": true, "activated": true, "verified": true, "accessed": true, "synced": true,
}

func classifyWords(ws []string) kind {
	if len(ws) == 0 {
		return kindNone
	}
	first, last := ws[0], ws[len(ws)-1]
	if len(ws) >= 2 {
		switch first {
		case "is", "has", "can", "should", "allow", "enable", "use", "include":
			return kindNone // booleans
		case "number", "num", "total", "count", "no":
			switch byLast[last] {
			case kindNone, kindWord, kindCount, kindValue, kindTitle:
				return kindCount
			}
		}
		prev := ws[len(ws)-2]
		if k, ok := byPair[[2]string{prev, last}]; ok {
			return k
		}
		if k, ok := byPair[[2]string{prev, singular(last)}]; ok {
			return k
		}
		switch last {
		case "at":
			return kindDateTime // createdAt, requestedAt
		case "on":
			if timeVerbs[prev] || strings.HasSuffix(prev, "ed") {
				return kindDateTime // createdOn, modifiedOn
			}
			return classifyWords(ws[:len(ws)-1])
		case "of":
			// "dateOf", "timeOf": the word before decides.
			return classifyWords(ws[:len(ws)-1])
		case "by":
			return kindFullName // createdBy, assignedBy
		case "in":
			if prev == "expires" {
				return kindDuration
			}
			return kindNone
		}
	}
	if k, ok := byLast[last]; ok {
		return k
	}
	if k, ok := byLast[singular(last)]; ok {
		return k
	}
	if last == "name" {
		if len(ws) == 1 {
			return kindFullName
		}
		if k := byLast[ws[len(ws)-2]]; k == kindFullName {
			return kindFullName // instructorName, customerName
		}
		return kindLabel
	}
	if len(ws) == 1 {
		// One all-lower-case word such as "createdat", "userid", "emailaddress".
		for _, suf := range lowerSuffixes {
			if strings.HasSuffix(last, suf.s) && len(last) > len(suf.s)+1 {
				return suf.k
			}
		}
	}
	return kindNone
}

var lowerSuffixes = []struct {
	s string
	k kind
}{
	{"email", kindEmail}, {"url", kindURL}, {"uri", kindURL}, {"date", kindDateTime}, {"time", kindDateTime},
	{"createdat", kindDateTime}, {"updatedat", kindDateTime}, {"name", kindLabel}, {"count", kindCount},
	{"phone", kindPhone}, {"status", kindStatus}, {"userid", kindID}, {"uuid", kindID}, {"guid", kindID},
}

// containers are object names that say nothing about what the object is.
var containers = map[string]bool{
	"": true, "result": true, "item": true, "data": true, "value": true, "record": true, "entry": true,
	"object": true, "response": true, "body": true, "payload": true, "detail": true, "info": true,
	"element": true, "node": true, "row": true, "model": true, "resource": true, "output": true,
}

// nameHint returns the hint to use for a property called just "name" inside
// an object known as ctx (its property name or, failing that, its schema
// name): a location's name is not a person's.
func nameHint(ctx, schemaName string) string {
	w := contextWord(ctx)
	if containers[w] {
		w = contextWord(schemaName)
	}
	switch byLast[w] {
	case kindFullName, kindUserName:
		return "fullName"
	case kindCompany:
		return "companyName"
	case kindCity:
		return "city"
	case kindCountry:
		return "country"
	case kindState:
		return "state"
	case kindFileName, kindImageURL:
		return "fileName"
	}
	switch w {
	case "user", "profile", "account", "people", "individual", "lead", "actor":
		return "fullName"
	}
	if containers[w] {
		return "name" // no context: a person's name
	}
	return "entityName"
}

var contextCache boundedCache[string, string]

// contextWord is the last word of a name, singular and lower case.
func contextWord(s string) string {
	if w, ok := contextCache.load(s); ok {
		return w
	}
	return contextCache.store(s, contextWordUncached(s))
}

func contextWordUncached(s string) string {
	ws := words(s)
	if len(ws) == 0 {
		return ""
	}
	return singular(ws[len(ws)-1])
}
