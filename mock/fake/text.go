package fake

import (
	"strconv"
	"strings"
	"sync"

	"github.com/brianvoe/gofakeit/v7/data"
)

// Text the generator composes itself, from small curated word lists:
// sentences, fictitious company names, plain values and words. Each is a
// few table picks with the value's own faker (no template parsing, as
// gofakeit's Sentence and Company do), reads like business data and is
// free of banned words by construction.

func (st *state) pick(list []string) string { return list[st.f.IntN(len(list))] }

var (
	sentenceSubjects = []string{
		"The team", "The customer", "Our vendor", "The project lead", "The support desk", "The account manager",
		"Finance", "The review board", "The site crew", "The design team", "The client", "Operations",
		"The sales team", "The product owner", "Procurement", "The service desk",
	}
	sentenceVerbs = []string{
		"reviewed", "approved", "updated", "confirmed", "shared", "scheduled", "requested", "signed off on",
		"prepared", "finalised", "received", "sent", "discussed", "checked", "archived", "published",
	}
	sentenceObjects = []string{
		"the quarterly report", "the renewal terms", "the onboarding checklist", "the latest invoice",
		"the delivery schedule", "the project plan", "the draft proposal", "the safety checklist",
		"the updated budget", "the service agreement", "the product brochure", "the training materials",
		"the meeting notes", "the purchase order", "the release notes", "the site survey",
		"the pricing sheet", "the migration plan", "the support ticket", "the customer feedback",
	}
	sentenceTails = []string{
		"", "", "", " before Friday", " for the next release", " after the site visit", " ahead of the launch",
		" with the regional office", " for the spring campaign", " at the weekly meeting", " this morning",
		" last week", " for next quarter", " with the new supplier", " before the board meeting",
	}
)

// sentence is one short business sentence: "The team approved the
// renewal terms before Friday."
func (st *state) sentence() string {
	var b strings.Builder
	b.Grow(80)
	b.WriteString(st.pick(sentenceSubjects))
	b.WriteByte(' ')
	b.WriteString(st.pick(sentenceVerbs))
	b.WriteByte(' ')
	b.WriteString(st.pick(sentenceObjects))
	b.WriteString(st.pick(sentenceTails))
	b.WriteByte('.')
	return b.String()
}

var (
	companyRoots = []string{
		"Bluebird", "Harbor", "Meridian", "Aurora", "Cascade", "Pioneer", "Keystone", "Lighthouse", "Redwood",
		"Silverline", "Granite", "Evergreen", "Northwind", "Contoso", "Fabrikam", "Summit", "Juniper", "Copperleaf",
		"Brightwater", "Oakridge", "Stonebridge", "Willowbrook", "Tidewater", "Ironwood", "Clearview", "Fernhill",
	}
	companyTrades = []string{
		"Logistics", "Analytics", "Consulting", "Foods", "Systems", "Partners", "Labs", "Studios", "Health",
		"Energy", "Outfitters", "Builders", "Media", "Software", "Travel", "Engineering", "Supply", "Design",
	}
	companySuffixes = map[string][]string{
		"US": {"", "Inc.", "LLC", "Co."}, "GB": {"", "Ltd"}, "DE": {"", "GmbH"}, "CA": {"", "Inc.", "Ltd"},
		"FR": {"", "SARL"}, "AU": {"", "Pty Ltd"},
	}
)

// companyName is a fictitious company: two word-list picks and, by
// country, a legal suffix ("Harbor Logistics GmbH"). gofakeit's Company
// lists real firms, which a mock must never show.
func (st *state) companyName(c *country) string {
	name := st.pick(companyRoots) + " " + st.pick(companyTrades)
	var sfx []string
	if c != nil {
		sfx = companySuffixes[c.alpha2]
	}
	if len(sfx) == 0 {
		sfx = companySuffixes["US"]
	}
	if s := st.pick(sfx); s != "" {
		name += " " + s
	}
	return name
}

// realCompanies are the real firms gofakeit's Company draws from (and the
// corpus examples show): the checker flags them, lower-cased.
var realCompanies = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, len(data.Company["name"])+16)
	for _, n := range data.Company["name"] {
		m[strings.ToLower(n)] = true
	}
	for _, n := range []string{"microsoft", "google", "apple", "amazon", "meta", "facebook", "ibm", "oracle", "salesforce", "sap", "adobe", "intel", "netflix", "tesla", "walmart", "accenture"} {
		m[n] = true
	}
	return m
})

// isRealCompany reports a company name from the real-firm list.
func isRealCompany(s string) bool { return realCompanies()[strings.ToLower(strings.TrimSpace(s))] }

var (
	jobLevels = []string{"Senior", "Lead", "Junior", "Principal", "Associate", "Regional", "Chief"}
	jobAreas  = []string{"Marketing", "Sales", "Finance", "Operations", "Product", "Support", "Engineering", "Design", "Data", "Procurement", "Quality", "Logistics"}
	jobRoles  = []string{"Manager", "Analyst", "Coordinator", "Specialist", "Engineer", "Consultant", "Director", "Administrator", "Designer", "Officer"}
)

// jobTitle is "Senior Finance Analyst".
func (st *state) jobTitle() string {
	return st.pick(jobLevels) + " " + st.pick(jobAreas) + " " + st.pick(jobRoles)
}

// plainValues are what a property whose name says nothing (Custom01,
// extraField) holds: short values a form shows, not word pairs. Each has
// two words: a single word ("Email") can be a key too, and a recording
// that redacts a generated credential of that value redacts the keys.
var plainValues = []string{
	"Standard plan", "Gold tier", "Newsletter signup", "Customer referral", "Trade show", "Web form", "North region",
	"Key account", "Renewal due", "Follow-up call", "Channel partner", "Wholesale order", "Retail store", "Pilot project",
	"Phase 2", "Onboarding call", "Preferred vendor", "Spring campaign", "Email campaign", "Phone order", "In person",
	"Annual plan", "Monthly plan", "Enterprise plan", "Small business", "Education sector", "Nonprofit rate",
	"Direct sale", "Reseller deal", "Free evaluation", "Priority support", "Weekly digest", "Member rate",
	"Internal use", "External review", "Head office", "Branch office", "Main warehouse", "Online store",
	"Print edition", "Blue team", "Green team", "Level 1", "Level 2", "Batch A", "Batch B", "Summer sale",
	"Holiday hours", "Early access", "Returning customer",
}

// plainFor is the plain value of property hint. Numbered siblings
// (Custom01 … Custom05) take distinct values: the pick steps through the
// list by the number from a start drawn from the object's pointer and the
// name without its number, so no sibling's presence changes another.
func (st *state) plainFor(hint string) string {
	n := addressLine(hint)
	fr := st.frame()
	if n == 0 || fr == nil {
		return st.plainText()
	}
	base := strings.TrimRight(hint, "0123456789")
	start := mix64(segHash(fr.ptr, "\x00plain:"+base))
	return plainValues[(start+uint64(n)*7)%uint64(len(plainValues))]
}

// plainText is a string for a property whose name says nothing.
func (st *state) plainText() string { return st.pick(plainValues) }

var (
	nounList      = cleanWords(data.Word["noun_concrete"])
	adjectiveList = []string{
		"bright", "quiet", "rapid", "clever", "golden", "silver", "gentle", "bold", "calm", "fresh", "green", "blue",
		"crisp", "steady", "modern", "classic", "smart", "simple", "sunny", "swift", "solid", "clear", "warm", "cool",
	}
	fillerWords = cleanWords(data.Lorem["word"])
)

// cleanWords keeps the lower-case single words of list that are not banned.
func cleanWords(list []string) []string {
	out := make([]string, 0, len(list))
	for _, w := range list {
		w = strings.ToLower(w)
		if w == "" || strings.ContainsAny(w, " -'") || bannedWords[w] || hasBannedWord(w) {
			continue
		}
		out = append(out, w)
	}
	if len(out) == 0 {
		out = append(out, "item")
	}
	return out
}

// noun is a lower-case concrete noun ("lamp").
func (st *state) noun() string { return st.pick(nounList) }

// adjective is a lower-case, neutral or positive adjective.
func (st *state) adjective() string { return st.pick(adjectiveList) }

// filler is a word that stretches text to a minLength.
func (st *state) filler() string { return st.pick(fillerWords) }

// agoText is a relative time, "3 days ago".
func (st *state) agoText() string {
	n := 1 + st.f.IntN(11)
	unit := []string{" minutes ago", " hours ago", " days ago", " weeks ago"}[st.f.IntN(4)]
	if n == 1 {
		unit = strings.Replace(unit, "s ago", " ago", 1)
	}
	return strconv.Itoa(n) + unit
}
