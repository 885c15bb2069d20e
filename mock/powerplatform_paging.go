package mock

import (
	"hash/maphash"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/getkin/kin-openapi/openapi3"
)

// SkipTokenParam carries the paging position in next links of pageable
// operations that declare no paging parameter of their own.
const SkipTokenParam = "$skiptoken"

var (
	sizeParams   = []string{"$top", "top", "limit", "pagesize", "page_size", "per_page", "perpage", "count", "maxresults", "max_results", "size", "take"}
	offsetParams = []string{"$skip", "skip", "offset", "start", "startindex", "start_index", "startat"}
	pageParams   = []string{"page", "pagenumber", "page_number", "pageno"}
	tokenParams  = []string{"$skiptoken", "skiptoken", "pagetoken", "page_token", "cursor", "continuationtoken", "continuation_token", "nextpagetoken", "next_page_token", "token", "after"}
)

// pageable is how one x-ms-pageable operation pages.
type pageable struct {
	items    []string // where the items sit
	itemOf   *openapi3.SchemaRef
	sizeName string // query parameter with the page size, "" if none
	posName  string // query parameter with the position
	posKind  string // offset, page or token
	next     string // nextLinkName
}

func (pp *powerPlatform) pageShape(c *Call) *pageable {
	op := c.Operation
	_, resp := successSchema(op)
	pg := &pageable{next: op.Pageable.NextLinkName}
	if pg.next == "" {
		pg.next = "nextLink"
	}
	if name := op.Pageable.ItemName; name != "" {
		pg.items = []string{name}
	} else if resp != nil && resp.Value != nil && resp.Value.Type.Is("array") {
		pg.items = []string{}
	} else {
		pg.items = []string{"value"}
		if resp != nil && resp.Value != nil && resp.Value.Properties["value"] == nil {
			names := make([]string, 0, len(resp.Value.Properties))
			for k, p := range resp.Value.Properties {
				if p != nil && p.Value != nil && p.Value.Type.Is("array") {
					names = append(names, k)
				}
			}
			sort.Strings(names)
			if len(names) > 0 {
				pg.items = []string{names[0]}
			}
		}
	}
	if resp != nil && resp.Value != nil {
		arr := resp
		if len(pg.items) > 0 {
			arr = resp.Value.Properties[pg.items[0]]
		}
		if arr != nil && arr.Value != nil && arr.Value.Items != nil {
			pg.itemOf = arr.Value.Items
		}
	}
	for _, p := range allParams(op) {
		if p.Value.In != "query" {
			continue
		}
		ln := strings.ToLower(p.Value.Name)
		switch {
		case pg.sizeName == "" && in(ln, sizeParams):
			pg.sizeName = p.Value.Name
		case pg.posName == "" && in(ln, offsetParams):
			pg.posName, pg.posKind = p.Value.Name, "offset"
		case pg.posName == "" && in(ln, pageParams):
			pg.posName, pg.posKind = p.Value.Name, "page"
		case pg.posName == "" && in(ln, tokenParams):
			pg.posName, pg.posKind = p.Value.Name, "token"
		}
	}
	if pg.posName == "" {
		pg.posName, pg.posKind = SkipTokenParam, "token"
	}
	return pg
}

func in(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

// page cuts the data set into the page the request asks for and links the
// next one. Stateless, the data set is seeded per query (paging parameters
// aside): 2–3 pages. Stateful, it is the list the store answered.
func (pp *powerPlatform) page(c *Call, body any) (any, bool) {
	pg := pp.pageShape(c)
	q := c.Request.URL.Query()
	size := pp.opts.PageSize
	if size <= 0 {
		size = 10
	}
	if v, err := strconv.Atoi(q.Get(pg.sizeName)); pg.sizeName != "" && err == nil && v > 0 {
		size = min(v, 1000)
	}
	pos := 0
	if raw := q.Get(pg.posName); raw != "" {
		n, err := strconv.Atoi(raw)
		if err == nil && n >= 0 {
			pos = n
			if pg.posKind == "page" {
				pos = max(n-1, 0) * size
			}
		}
	}
	var have []any
	if len(pg.items) == 0 {
		have, _ = body.([]any)
	} else if m, ok := body.(map[string]any); ok {
		have, _ = m[pg.items[0]].([]any)
	}
	var all []any
	if pp.s.opts.Stateful && len(have) > size {
		all = have
	} else {
		filter := url2key(q, pg)
		total := 2*size + 1 + int(fake.Seed(pp.s.opts.Seed, "page-total", c.Operation.ID, filter)%uint64(size))
		end := min(pos+size, total)
		all = make([]any, total)
		for i := pos; i < end; i++ {
			if pg.itemOf != nil {
				all[i] = pp.s.gen.Generate(pg.itemOf, fake.Seed(pp.s.opts.Seed, "page-item", c.Operation.ID, filter, strconv.Itoa(i)), "")
			} else if i-pos < len(have) {
				all[i] = have[i-pos]
			} else {
				all[i] = map[string]any{}
			}
		}
	}
	end := min(pos+size, len(all))
	pageItems := []any{}
	if pos < len(all) {
		pageItems = all[pos:end]
	}
	if len(pg.items) == 0 {
		// A bare array has nowhere to put a next link.
		return pageItems, true
	}
	m, ok := body.(map[string]any)
	if !ok {
		m = map[string]any{}
	}
	m[pg.items[0]] = pageItems
	if end < len(all) {
		u, _ := pp.externalURL(c)
		nq := u.Query()
		switch pg.posKind {
		case "page":
			nq.Set(pg.posName, strconv.Itoa(end/size+1))
		default:
			nq.Set(pg.posName, strconv.Itoa(end))
		}
		if pg.sizeName != "" && q.Get(pg.sizeName) != "" {
			nq.Set(pg.sizeName, strconv.Itoa(size))
		}
		u.RawQuery = nq.Encode()
		m[pg.next] = pp.link(u)
	} else {
		delete(m, pg.next)
	}
	c.Note("paging", "info", "", "page "+strconv.Itoa(pos/size+1)+" of "+strconv.Itoa((len(all)+size-1)/size)+" ("+strconv.Itoa(len(all))+" items)")
	return m, true
}

// url2key is the query without paging parameters: the filter a data set
// belongs to.
func url2key(q map[string][]string, pg *pageable) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k == pg.posName || k == pg.sizeName {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "=" + strings.Join(q[k], ",") + "&")
	}
	return b.String()
}

// successSchema is the lowest 2xx JSON schema of op.
func successSchema(op *connector.Operation) (int, *openapi3.SchemaRef) {
	status, _, resp := ChooseResponse(op.Op, 0)
	if resp == nil {
		return status, nil
	}
	mt := ChooseMediaType(resp.Content, "application/json")
	if m := resp.Content[mt]; m != nil {
		return status, m.Schema
	}
	return status, nil
}

func allParams(op *connector.Operation) openapi3.Parameters {
	var out openapi3.Parameters
	seen := map[string]bool{}
	for _, list := range []openapi3.Parameters{op.Op.Parameters, itemParameters(op)} {
		for _, p := range list {
			if p != nil && p.Value != nil && !seen[p.Value.In+":"+p.Value.Name] {
				seen[p.Value.In+":"+p.Value.Name] = true
				out = append(out, p)
			}
		}
	}
	return out
}

func itemParameters(op *connector.Operation) openapi3.Parameters {
	if op.Item == nil {
		return nil
	}
	return op.Item.Parameters
}

// link renders a next link: absolute on the URL the front door published
// for the connector (Hub.SetURL, as `connectorlab mock` does), else
// root-relative, so that answers stay byte-identical whatever port a test
// server got.
func (pp *powerPlatform) link(u *url.URL) string {
	if pp.opts.Hub != nil {
		if base := pp.opts.Hub.url(pp.s.opts.Name); base != "" {
			if b, err := url.Parse(base); err == nil {
				u.Scheme, u.Host = b.Scheme, b.Host
				return u.String()
			}
		}
	}
	return u.RequestURI()
}

// pageKey identifies a stateless page: see powerPlatform.pages.
type pageKey struct {
	op       string
	seed     uint64
	url, hub string
	body     uint64 // maphash of the body cut into pages
	size     int
}

type cachedPage struct {
	body  []byte
	notes []recordings.Note
}

// pageCache memoises stateless pages (see boundedCache); hash keys the
// request body.
type pageCache struct {
	boundedCache[pageKey, cachedPage]
	hash maphash.Seed
	once sync.Once
}

func (pp *powerPlatform) pageKey(c *Call, body []byte) pageKey {
	pp.pages.once.Do(func() { pp.pages.hash = maphash.MakeSeed() })
	u, _ := pp.externalURL(c)
	k := pageKey{op: c.Operation.ID, seed: c.Seed, url: u.String(), body: maphash.Bytes(pp.pages.hash, body), size: len(body)}
	if pp.opts.Hub != nil {
		k.hub = pp.opts.Hub.url(pp.s.opts.Name)
	}
	return k
}
