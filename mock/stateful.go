package mock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/connectorlab/connectorlab/route"
	"github.com/getkin/kin-openapi/openapi3"
)

// Resource pairs a collection path with its item path for stateful mode,
// e.g. {Collection: "/orders", Item: "/orders/{orderId}", IDField: "id"}.
// Paths are operation paths as declared (without basePath).
type Resource struct {
	Collection string `json:"collection"`
	Item       string `json:"item"`
	// IDField is the property of the resource that holds its id; empty
	// means inferred ("id", "<name>Id", or the item path parameter).
	IDField string `json:"idField,omitempty"`
}

type resource struct {
	Resource
	idParam string // the item path's last parameter
}

// stateful answers CRUD operations from the server State: POST on a
// collection stores what it creates; GET, PUT, PATCH and DELETE on the item
// path use it; GET on the collection lists it.
type stateful struct {
	s     *Server
	byCol map[string]*resource
	byItm map[string]*resource
}

func newStateful(s *Server, overrides []Resource) (*stateful, error) {
	st := &stateful{s: s, byCol: map[string]*resource{}, byItm: map[string]*resource{}}
	paths := map[string]map[string]bool{} // path -> methods
	for _, op := range s.c.Operations {
		if op.Trigger != nil {
			continue // a webhook subscription is not a resource
		}
		if paths[op.Path] == nil {
			paths[op.Path] = map[string]bool{}
		}
		paths[op.Path][op.Method] = true
	}
	add := func(r Resource) error {
		segs := strings.Split(strings.TrimRight(r.Item, "/"), "/")
		last := segs[len(segs)-1]
		if !strings.HasPrefix(last, "{") || !strings.HasSuffix(last, "}") {
			return fmt.Errorf("stateful resource %s: the item path must end with a {parameter}", r.Item)
		}
		res := &resource{Resource: r, idParam: last[1 : len(last)-1]}
		st.byCol[r.Collection] = res
		st.byItm[r.Item] = res
		return nil
	}
	keys := make([]string, 0, len(paths))
	for p := range paths {
		keys = append(keys, p)
	}
	sort.Strings(keys)
	for _, p := range keys {
		if !paths[p]["POST"] {
			continue
		}
		base := strings.TrimRight(p, "/")
		for _, q := range keys {
			rest, ok := strings.CutPrefix(q, base+"/")
			if ok && strings.HasPrefix(rest, "{") && strings.HasSuffix(rest, "}") && !strings.Contains(rest, "/") && strings.Count(rest, "{") == 1 {
				if err := add(Resource{Collection: p, Item: q}); err != nil {
					return nil, err
				}
				break
			}
		}
	}
	for _, r := range overrides {
		if _, ok := paths[r.Collection]; !ok {
			return nil, fmt.Errorf("stateful resource: no operation has the path %s", r.Collection)
		}
		if _, ok := paths[r.Item]; !ok {
			return nil, fmt.Errorf("stateful resource: no operation has the path %s", r.Item)
		}
		if err := add(r); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// stateBucket names the store bucket of a collection, with the parent path
// parameters filled in, so /customers/1/orders and /customers/2/orders are
// separate.
func stateBucket(col string, params map[string]string) string {
	out := varNames.ReplaceAllStringFunc(col, func(m string) string { return params[m[1:len(m)-1]] })
	return "stateful " + out
}

// Respond implements Responder.
func (st *stateful) Respond(ctx context.Context, c *Call) (*Reply, error) {
	p := c.Operation.Path
	if r := st.byCol[p]; r != nil {
		switch c.Operation.Method {
		case http.MethodPost:
			return st.create(ctx, c, r)
		case http.MethodGet:
			return st.list(ctx, c, r)
		}
		return nil, nil
	}
	if r := st.byItm[p]; r != nil {
		id := c.Params[r.idParam]
		b := stateBucket(r.Collection, c.Params)
		switch c.Operation.Method {
		case http.MethodGet:
			v, ok := st.s.state.Get(b, id)
			if !ok {
				return notFound(c, r, id), nil
			}
			return st.reply(ctx, c, v)
		case http.MethodPut, http.MethodPatch:
			if n := int64(len(c.Body)); n > st.s.opts.MaxStoreBytes {
				return st.capped(c, r, fmt.Errorf("%w: the item is %d bytes, the store holds at most %d", ErrItemTooLarge, n, st.s.opts.MaxStoreBytes)), nil
			}
			if _, exists := st.s.state.Get(b, id); !exists && c.Operation.Method == http.MethodPut {
				for st.s.state.Len(b) >= st.s.opts.MaxItems {
					es := st.s.state.List(b)
					st.s.state.Delete(b, es[0].Key)
					c.Note("stateful-evicted", "warning", "", fmt.Sprintf("the collection %s was at its cap of %d items; evicted the oldest: %s", r.Collection, st.s.opts.MaxItems, es[0].Key))
				}
			}
			var out any
			found := false
			st.s.state.Update(b, id, func(old any, exists bool) (any, bool) {
				found = exists
				if !exists && c.Operation.Method == http.MethodPatch {
					return nil, false
				}
				merged := map[string]any{}
				if m, ok := old.(map[string]any); ok && c.Operation.Method == http.MethodPatch {
					for k, v := range m {
						merged[k] = v
					}
				} else if m, ok := old.(map[string]any); ok {
					if f := idField(r, m); f != "" {
						merged[f] = m[f]
					}
				}
				if in, ok := c.JSON.(map[string]any); ok {
					for k, v := range in {
						merged[k] = v
					}
				}
				if !exists {
					f := idField(r, merged)
					if f == "" {
						f = "id"
					}
					merged[f] = id
				}
				out = merged
				return merged, true
			})
			if !found && c.Operation.Method == http.MethodPatch {
				return notFound(c, r, id), nil
			}
			return st.reply(ctx, c, out)
		case http.MethodDelete:
			if !st.s.state.Delete(b, id) {
				return notFound(c, r, id), nil
			}
			c.Note("stateful-deleted", "info", "", "deleted "+id)
			return nil, nil // the declared answer (usually 204)
		}
	}
	return nil, nil
}

func (st *stateful) limits() Limits {
	return Limits{MaxBytes: st.s.opts.MaxStoreBytes, MaxItems: st.s.opts.MaxItems}
}

// capped answers a store limit error: 413 for one item larger than the
// whole store, 429 when the store is full with other collections' data.
func (st *stateful) capped(c *Call, r *resource, err error) *Reply {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrItemTooLarge):
		return problemReply(http.StatusRequestEntityTooLarge, "stateful-item-too-large", "Resource too large for the stateful store",
			err.Error()+"; send a smaller resource or start the mock with a larger --max-store-mb", nil)
	case errors.Is(err, ErrStoreFull):
		rep := problemReply(http.StatusTooManyRequests, "stateful-store-full", "Stateful store full",
			err.Error()+"; delete resources, reset the store (POST /v1/reset on the admin API) or start the mock with a larger --max-store-mb", nil)
		rep.Header.Set("Retry-After", "60")
		return rep
	}
	return problemReply(http.StatusInternalServerError, "stateful-store-failed", "Stateful store failed", err.Error(), nil)
}

func notFound(c *Call, r *resource, id string) *Reply {
	c.Note("stateful-not-found", "info", "", fmt.Sprintf("no %s with id %q in the stateful store", r.Collection, id))
	return problemReply(http.StatusNotFound, "resource-not-found", "Not found",
		fmt.Sprintf("stateful mode: nothing was created at %s with %s %q (create it with POST %s first)", r.Item, r.idParam, id, r.Collection), nil)
}

// idField names the property holding the id.
func idField(r *resource, m map[string]any) string {
	if r.IDField != "" {
		return r.IDField
	}
	for _, k := range []string{"id", r.idParam, "Id", "ID"} {
		if _, ok := m[k]; ok {
			return k
		}
	}
	sing := strings.TrimSuffix(strings.ToLower(lastLiteral(r.Collection)), "s")
	for k := range m {
		if lk := strings.ToLower(k); lk == sing+"id" || lk == sing+"_id" {
			return k
		}
	}
	return ""
}

func lastLiteral(p string) string {
	segs := strings.Split(strings.Trim(p, "/"), "/")
	for i := len(segs) - 1; i >= 0; i-- {
		if !strings.Contains(segs[i], "{") {
			return segs[i]
		}
	}
	return ""
}

func (st *stateful) create(ctx context.Context, c *Call, r *resource) (*Reply, error) {
	b := stateBucket(r.Collection, c.Params)
	// Mix the store size into the seed: the same body twice makes two
	// resources, and the sequence stays reproducible.
	c.Seed = fake.Seed(c.Seed, "create", strconv.Itoa(len(st.s.state.List(b))))
	rep, err := st.s.Simulate(ctx, c)
	if err != nil || rep.Status >= 300 {
		return rep, err
	}
	obj := map[string]any{}
	if isJSONMedia(mediaBase(rep.Header.Get("Content-Type"))) && len(rep.Body) > 0 {
		var v any
		if json.Unmarshal(rep.Body, &v) == nil {
			if m, ok := v.(map[string]any); ok {
				obj = m
			}
		}
	}
	props := responseProps(c.Operation.Op, rep.Status)
	if in, ok := c.JSON.(map[string]any); ok {
		for k, v := range in {
			if props == nil || props[k] != nil {
				obj[k] = v
			}
		}
	}
	f := idField(r, obj)
	if f == "" {
		f = "id"
	}
	id := fmt.Sprint(obj[f])
	if obj[f] == nil || id == "" {
		id = fmt.Sprintf("%d", len(st.s.state.List(b))+1)
		obj[f] = id
	}
	if s, ok := obj[f].(float64); ok {
		id = strconv.FormatFloat(s, 'f', -1, 64)
	}
	evicted, err := st.s.state.PutCapped(b, id, obj, st.limits())
	if rep := st.capped(c, r, err); rep != nil {
		return rep, nil
	}
	if len(evicted) > 0 {
		rep.Header.Set("Connectorlab-Evicted", strings.Join(evicted, ", "))
		c.Note("stateful-evicted", "warning", "", fmt.Sprintf("the collection %s was at its cap (%d items, %d bytes in the store); evicted the oldest: %s",
			r.Collection, st.s.opts.MaxItems, st.s.opts.MaxStoreBytes, strings.Join(evicted, ", ")))
	}
	c.Note("stateful-created", "info", "", fmt.Sprintf("stored %s %s=%s", r.Collection, f, id))
	if len(rep.Body) > 0 {
		body, err := marshalJSON(obj)
		if err != nil {
			return nil, err
		}
		rep.Body = body
	}
	loc := varNames.ReplaceAllStringFunc(route.Join(st.s.c.BasePath, r.Item), func(m string) string {
		n := m[1 : len(m)-1]
		if n == r.idParam {
			return id
		}
		return c.Params[n]
	})
	if c.Request.Host != "" {
		loc = "http://" + c.Request.Host + loc
	}
	rep.Header.Set("Location", loc)
	return rep, nil
}

var varNames = regexp.MustCompile(`\{[^{}]+\}`)

// window reads the page a stateful list asks for: the operation's own
// size and offset query parameters when it declares them, else $top and
// $skip; a page is at most ListPageSize items. skipName is the offset
// parameter next links carry.
func (st *stateful) window(c *Call) (skip, top int, skipName string) {
	sizeName, skipName := "$top", "$skip"
	for _, p := range allParams(c.Operation) {
		if p.Value == nil || p.Value.In != "query" {
			continue
		}
		switch ln := strings.ToLower(p.Value.Name); {
		case in(ln, sizeParams):
			sizeName = p.Value.Name
		case in(ln, offsetParams):
			skipName = p.Value.Name
		}
	}
	q := c.Request.URL.Query()
	top = st.s.opts.ListPageSize
	if n, err := strconv.Atoi(q.Get(sizeName)); err == nil && n > 0 && n < top {
		top = n
	}
	if n, err := strconv.Atoi(q.Get(skipName)); err == nil && n > 0 {
		skip = n
	}
	return skip, top, skipName
}

func responseProps(op *openapi3.Operation, status int) openapi3.Schemas {
	if op == nil || op.Responses == nil {
		return nil
	}
	r := op.Responses.Status(status)
	if r == nil || r.Value == nil {
		return nil
	}
	for mt, m := range r.Value.Content {
		if isJSONMedia(mediaBase(mt)) && m.Schema != nil && m.Schema.Value != nil && len(m.Schema.Value.Properties) > 0 {
			return m.Schema.Value.Properties
		}
	}
	return nil
}

// reply answers with the declared success response, its JSON body replaced
// by v.
func (st *stateful) reply(ctx context.Context, c *Call, v any) (*Reply, error) {
	rep, err := st.s.Simulate(ctx, c)
	if err != nil || rep.Status >= 300 {
		return rep, err
	}
	if len(rep.Body) > 0 && isJSONMedia(mediaBase(rep.Header.Get("Content-Type"))) {
		body, err := marshalJSON(v)
		if err != nil {
			return nil, err
		}
		rep.Body = body
	}
	return rep, nil
}

// list answers the collection GET with the stored resources in place of the
// generated array: the top-level array, or the first array property
// (value, items, data, results first).
func (st *stateful) list(ctx context.Context, c *Call, r *resource) (*Reply, error) {
	rep, err := st.s.Simulate(ctx, c)
	if err != nil || rep.Status >= 300 || len(rep.Body) == 0 || !isJSONMedia(mediaBase(rep.Header.Get("Content-Type"))) {
		return rep, err
	}
	all := st.s.state.List(stateBucket(r.Collection, c.Params))
	skip, top, skipName := st.window(c)
	items := []any{}
	for i := skip; i < len(all) && len(items) < top; i++ {
		items = append(items, all[i].Value)
	}
	next := ""
	if skip+len(items) < len(all) {
		u, _ := (&powerPlatform{}).externalURL(c)
		q := u.Query()
		q.Set(skipName, strconv.Itoa(skip+len(items)))
		u.RawQuery = q.Encode()
		next = u.String()
		rep.Header.Set("Link", "<"+next+">; rel=\"next\"")
		c.Note("stateful-paged", "info", "", fmt.Sprintf("%d of %d stored items from %d; the next page is %s", len(items), len(all), skip, next))
	}
	rep.Header.Set("Connectorlab-Total-Count", strconv.Itoa(len(all)))
	var v any
	if json.Unmarshal(rep.Body, &v) != nil {
		return rep, nil
	}
	switch x := v.(type) {
	case []any:
		v = items
	case map[string]any:
		key := ""
		for _, k := range []string{"value", "items", "data", "results", "records"} {
			if _, ok := x[k].([]any); ok {
				key = k
				break
			}
		}
		if key == "" {
			ks := make([]string, 0, len(x))
			for k := range x {
				ks = append(ks, k)
			}
			sort.Strings(ks)
			for _, k := range ks {
				if _, ok := x[k].([]any); ok {
					key = k
					break
				}
			}
		}
		if key == "" {
			return rep, nil
		}
		x[key] = items
		// A next link would point at generated pages that do not exist.
		nextName := ""
		for k := range x {
			if strings.Contains(strings.ToLower(k), "nextlink") {
				nextName = k
				delete(x, k)
			}
		}
		if next != "" {
			if c.Operation.Pageable != nil && c.Operation.Pageable.NextLinkName != "" {
				nextName = c.Operation.Pageable.NextLinkName
			}
			if nextName != "" {
				x[nextName] = next
			}
		}
	}
	body, err := marshalJSON(v)
	if err != nil {
		return nil, err
	}
	rep.Body = body
	rep.Final = true
	return rep, nil
}
