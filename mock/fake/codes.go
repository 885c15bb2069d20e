package fake

import (
	"strings"
	"sync"
	"time"

	"github.com/brianvoe/gofakeit/v7/data"
	"golang.org/x/text/currency"
	"golang.org/x/text/language"
)

// Code tables shared by the generator and the realism checker. Validation
// of ISO 3166, 639 and 4217 codes goes through golang.org/x/text's
// registries; generation picks from the small, coherent tables below.

// isCountryCode reports an upper-case ISO 3166-1 alpha-2 or alpha-3 code of
// a country.
func isCountryCode(s string) bool {
	if (len(s) != 2 && len(s) != 3) || strings.ToUpper(s) != s {
		return false
	}
	r, err := language.ParseRegion(s)
	return err == nil && r.IsCountry()
}

// isCurrencyCode reports an upper-case ISO 4217 code.
func isCurrencyCode(s string) bool {
	if len(s) != 3 || strings.ToUpper(s) != s {
		return false
	}
	_, err := currency.ParseISO(s)
	return err == nil
}

// isLanguageCode reports an ISO 639-1/2 code ("en", "deu") or a BCP 47
// language-region tag ("en-US", "pt_BR").
func isLanguageCode(s string) bool {
	base, region, ok := strings.Cut(strings.ReplaceAll(s, "_", "-"), "-")
	if len(base) < 2 || len(base) > 3 || strings.ToLower(base) != base {
		return false
	}
	if _, err := language.ParseBase(base); err != nil {
		return false
	}
	return !ok || isCountryCode(region) || len(region) == 4 // script subtag (zh-Hant)
}

var countryNames = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, len(data.Address["country"])+len(countries))
	for _, c := range data.Address["country"] {
		m[c] = true
	}
	for _, c := range countries {
		m[c.name] = true
	}
	return m
})

var usStateCodes = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 60)
	for _, s := range data.Address["state_abr"] {
		m[s] = true
	}
	m["DC"] = true
	return m
})

var usStateNames = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 60)
	for _, s := range data.Address["state"] {
		m[s] = true
	}
	return m
})

// isTimeZone reports an IANA zone name (Area/Location, or UTC).
func isTimeZone(s string) bool {
	if s == "UTC" || s == "Etc/UTC" {
		return true
	}
	if !strings.Contains(s, "/") {
		return false
	}
	if _, err := time.LoadLocation(s); err == nil {
		return true
	}
	for _, z := range data.TimeZone["region"] {
		if z == s {
			return true
		}
	}
	return false
}

// place is one city of a country with its region and postal code pattern
// (# a digit, ? an upper-case letter).
type place struct {
	city, region, regionCode, postal string
}

// country is one coherent set of codes for a record's address and locale.
type country struct {
	name, alpha2, alpha3, currency, language, tz, phone string
	places                                              []place
	streets                                             []string
}

// countries are the countries generated addresses come from; the United
// States is listed several times so that most records are American, as
// most connector examples are.
var countries = []country{
	{name: "United States", alpha2: "US", alpha3: "USA", currency: "USD", language: "en-US", tz: "America/New_York", phone: "+1 ###-555-0###",
		places: []place{
			{"Seattle", "Washington", "WA", "981##"}, {"Austin", "Texas", "TX", "787##"},
			{"Denver", "Colorado", "CO", "802##"}, {"Boston", "Massachusetts", "MA", "021##"},
			{"Chicago", "Illinois", "IL", "606##"}, {"Portland", "Oregon", "OR", "972##"},
			{"Atlanta", "Georgia", "GA", "303##"}, {"Phoenix", "Arizona", "AZ", "850##"},
			{"Raleigh", "North Carolina", "NC", "276##"}, {"San Diego", "California", "CA", "921##"},
		},
		streets: []string{"Main Street", "Oak Avenue", "Maple Drive", "Pine Street", "Cedar Lane", "Elm Street", "Lakeview Road", "Park Avenue"}},
	{name: "United Kingdom", alpha2: "GB", alpha3: "GBR", currency: "GBP", language: "en-GB", tz: "Europe/London", phone: "+44 20 7946 0###",
		places: []place{
			{"London", "England", "ENG", "SW1A #??"}, {"Manchester", "England", "ENG", "M# #??"},
			{"Edinburgh", "Scotland", "SCT", "EH# #??"}, {"Cardiff", "Wales", "WLS", "CF## #??"},
		},
		streets: []string{"High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane"}},
	{name: "Germany", alpha2: "DE", alpha3: "DEU", currency: "EUR", language: "de-DE", tz: "Europe/Berlin", phone: "+49 30 555 ####",
		places: []place{
			{"Berlin", "Berlin", "BE", "10###"}, {"Munich", "Bavaria", "BY", "80###"},
			{"Hamburg", "Hamburg", "HH", "20###"}, {"Cologne", "North Rhine-Westphalia", "NW", "50###"},
		},
		streets: []string{"Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schulstraße", "Lindenallee"}},
	{name: "Canada", alpha2: "CA", alpha3: "CAN", currency: "CAD", language: "en-CA", tz: "America/Toronto", phone: "+1 ###-555-0###",
		places: []place{
			{"Toronto", "Ontario", "ON", "M5V #?#"}, {"Vancouver", "British Columbia", "BC", "V6B #?#"},
			{"Montreal", "Quebec", "QC", "H2X #?#"}, {"Calgary", "Alberta", "AB", "T2P #?#"},
		},
		streets: []string{"King Street", "Queen Street", "Maple Avenue", "Bay Street", "Yonge Street"}},
	{name: "France", alpha2: "FR", alpha3: "FRA", currency: "EUR", language: "fr-FR", tz: "Europe/Paris", phone: "+33 1 55 ## ## ##",
		places: []place{
			{"Paris", "Île-de-France", "IDF", "750##"}, {"Lyon", "Auvergne-Rhône-Alpes", "ARA", "6900#"},
			{"Bordeaux", "Nouvelle-Aquitaine", "NAQ", "330##"},
		},
		streets: []string{"Rue de la Paix", "Avenue Victor Hugo", "Rue du Commerce", "Boulevard Voltaire"}},
	{name: "Australia", alpha2: "AU", alpha3: "AUS", currency: "AUD", language: "en-AU", tz: "Australia/Sydney", phone: "+61 2 5550 ####",
		places: []place{
			{"Sydney", "New South Wales", "NSW", "2###"}, {"Melbourne", "Victoria", "VIC", "3###"},
			{"Brisbane", "Queensland", "QLD", "4###"},
		},
		streets: []string{"George Street", "Collins Street", "Queen Street", "Elizabeth Street"}},
}

// pickCountry picks a country, the United States half of the time.
func pickCountry(r uint64) *country {
	if r%2 == 0 {
		return &countries[0]
	}
	return &countries[int((r/2)%uint64(len(countries)))]
}

// Gendered given names: a generated person's first name agrees with its
// gender, and the checker knows which is which.
var (
	femaleNames = []string{
		"Olivia", "Emma", "Ava", "Sophia", "Isabella", "Mia", "Amelia", "Harper", "Evelyn", "Abigail",
		"Emily", "Elizabeth", "Sofia", "Madison", "Avery", "Ella", "Scarlett", "Grace", "Chloe", "Victoria",
		"Riley", "Aria", "Lily", "Hannah", "Zoe", "Nora", "Laura", "Sarah", "Julia", "Anna",
		"Maria", "Claire", "Alice", "Ruth", "Naomi", "Leah", "Rachel", "Megan", "Diana", "Helen",
	}
	maleNames = []string{
		"Liam", "Noah", "Oliver", "Elijah", "James", "William", "Benjamin", "Lucas", "Henry", "Theodore",
		"Jack", "Levi", "Alexander", "Jackson", "Mateo", "Daniel", "Michael", "Mason", "Sebastian", "Ethan",
		"Logan", "Owen", "Samuel", "Jacob", "Asher", "Aiden", "John", "Joseph", "David", "Thomas",
		"Peter", "Paul", "Mark", "George", "Robert", "Andrew", "Simon", "Martin", "Victor", "Hugo",
	}
	lastNames = []string{
		"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
		"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Taylor", "Moore", "Jackson", "Martin", "Lee",
		"Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
		"Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts",
		"Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris", "Murphy",
	}
	genderOf = func() map[string]string {
		m := make(map[string]string, 80)
		for _, n := range femaleNames {
			m[n] = "female"
		}
		for _, n := range maleNames {
			m[n] = "male"
		}
		return m
	}()
)

// exampleDomains are RFC 2606 names: never a live person's or company's.
var exampleDomains = []string{"example.com", "example.org", "example.net"}

// isExampleHost reports an RFC 2606 (or RFC 6761 localhost) host name.
func isExampleHost(h string) bool {
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	for _, d := range []string{"example.com", "example.org", "example.net"} {
		if h == d || strings.HasSuffix(h, "."+d) {
			return true
		}
	}
	for _, tld := range []string{".example", ".test", ".invalid", ".localhost"} {
		if strings.HasSuffix(h, tld) {
			return true
		}
	}
	return h == "localhost" || h == "127.0.0.1"
}

// bannedWords are words never shown in generated data (lower case, whole
// words). The generator's own sources avoid them; the checker and the
// generator's last-resort filter use this list.
var bannedWords = map[string]bool{
	"anal": true, "anus": true, "arse": true, "ass": true, "bastard": true, "bitch": true, "bollocks": true,
	"boob": true, "boobs": true, "butt": true, "cock": true, "crap": true, "cum": true, "cunt": true, "damn": true,
	"dick": true, "dildo": true, "fag": true, "fuck": true, "hell": true, "homo": true, "jerk": true, "kill": true,
	"nazi": true, "nigger": true, "penis": true, "piss": true, "porn": true, "prick": true, "pussy": true,
	"rape": true, "retard": true, "sex": true, "sexy": true, "shit": true, "slut": true, "suicide": true,
	"tit": true, "tits": true, "twat": true, "vagina": true, "whore": true, "wank": true, "drunk": true,
	"drug": true, "drugs": true, "murder": true, "gun": true, "bomb": true, "erotic": true, "nude": true,
}

// hasBannedWord reports whether s contains a banned word (whole words,
// case-insensitive; words split on anything but letters).
func hasBannedWord(s string) bool {
	start := -1
	for i := 0; i <= len(s); i++ {
		letter := i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z')
		if letter {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			if w := s[start:i]; len(w) >= 3 && len(w) <= 8 {
				var buf [8]byte
				for j := 0; j < len(w); j++ {
					c := w[j]
					if c >= 'A' && c <= 'Z' {
						c += 'a' - 'A'
					}
					buf[j] = c
				}
				if bannedWords[string(buf[:len(w)])] {
					return true
				}
			}
			start = -1
		}
	}
	return false
}

// Small vocabularies for names that say what a value is without an enum.
var (
	workflowStates = []string{"open", "in progress", "pending", "on hold", "resolved", "closed", "cancelled", "draft", "approved", "completed"}
	statusWords    = []string{"active", "pending", "completed", "inactive", "approved", "draft", "open", "closed", "failed", "succeeded", "in progress", "cancelled", "archived", "enabled", "disabled", "new", "running", "queued", "expired", "rejected", "submitted", "published"}
	typeWords      = []string{"standard", "internal", "external", "primary", "secondary", "default", "custom", "basic", "premium"}
	categoryWords  = []string{"general", "sales", "marketing", "finance", "operations", "support", "engineering", "hr", "legal"}
	priorityWords  = []string{"low", "medium", "high", "urgent"}
	honorifics     = []string{"Mr.", "Ms.", "Mrs.", "Dr.", "Mx."}
	taskTitles     = []string{"Review the quarterly report", "Call the customer back", "Prepare the onboarding pack", "Update the project plan", "Send the invoice", "Book the team meeting", "Check the contract terms", "Fix the login issue", "Publish the release notes", "Renew the subscription"}
	mimeTypes      = []string{"application/json", "application/pdf", "text/plain", "text/csv", "image/png", "image/jpeg", "application/zip", "application/xml", "text/html", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
	timeZones      = []string{"UTC", "America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London", "Europe/Berlin", "Europe/Paris", "Asia/Tokyo", "Australia/Sydney", "Asia/Kolkata"}
	colorsHex      = []string{"#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F", "#BCBD22", "#17BECF"}
)

// workflowObjects are object names whose `state` is a workflow state.
var workflowObjects = map[string]bool{
	"contract": true, "order": true, "ticket": true, "task": true, "issue": true, "case": true, "job": true,
	"workflow": true, "request": true, "invoice": true, "deal": true, "opportunity": true, "approval": true,
	"incident": true, "project": true, "run": true, "build": true, "deployment": true, "document": true,
	"envelope": true, "agreement": true, "quote": true, "subscription": true, "payment": true, "shipment": true,
	"lead": true, "pull": true, "merge": true, "card": true, "step": true, "process": true,
	"instance": true, "flow": true, "execution": true, "operation": true, "transaction": true, "application": true,
}

var languageNames = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 200)
	for _, l := range data.Languages["long"] {
		m[l] = true
	}
	return m
})

// regionCodes and regionNames are the regions of the generator's countries.
var regionCodes = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 32)
	for _, c := range countries {
		for _, p := range c.places {
			m[p.regionCode] = true
		}
	}
	return m
})

var regionNames = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 32)
	for _, c := range countries {
		for _, p := range c.places {
			m[p.region] = true
		}
	}
	return m
})

// countryCodeOf maps a country name to its alpha-2 code (gofakeit's lists
// are parallel, ordered by code).
var countryCodeOf = sync.OnceValue(func() map[string]string {
	names, codes := data.Address["country"], data.Address["country_abr"]
	m := make(map[string]string, len(names))
	if len(names) == len(codes) {
		for i, n := range names {
			m[n] = codes[i]
		}
	}
	for _, c := range countries {
		m[c.name] = c.alpha2
	}
	return m
})

// alpha3Of returns the alpha-3 code of an alpha-2 code, "" when unknown.
func alpha3Of(a2 string) string {
	r, err := language.ParseRegion(a2)
	if err != nil {
		return ""
	}
	return r.ISO3()
}
