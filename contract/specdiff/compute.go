package specdiff

import (
	"sort"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract/shape"
	"github.com/getkin/kin-openapi/openapi3"
)

// Diff is the computed difference between two connectors, before any
// judgement of what it means.
type Diff struct {
	Old, New *connector.Connector
	// Ops are the operations present on both sides, in the new file's order.
	Ops []*OpDiff
	// Removed and Added are operations with no counterpart.
	Removed []*connector.Operation
	Added   []*connector.Operation
}

// OpDiff is one matched operation.
type OpDiff struct {
	Old, New *connector.Operation
	// Renamed: the operationId changed (CaseOnly: only its case).
	Renamed, CaseOnly bool
	// Moved: method or path changed.
	Moved bool
	// Params lists each parameter (by location and name) on either side.
	Params []*ParamDiff
	// Body compares the request bodies.
	Body BodyDiff
	// Responses compares responses with the same status; Primary the
	// main success response of each side (lowest 2xx, else default).
	Responses []*ResponseDiff
	Primary   *ResponseDiff
	// StatusesRemoved / StatusesAdded are declared statuses only one side has.
	StatusesRemoved, StatusesAdded []string
	// Payload compares x-ms-notification-content of webhook triggers.
	Payload []shape.Change
}

// Name returns the operation's id on the new side.
func (o *OpDiff) Name() string { return o.New.ID }

// ParamDiff is one parameter (in + name) on either side.
type ParamDiff struct {
	In, Name string
	Old, New *openapi3.Parameter
	Changes  []shape.Change // of the parameter's schema, root path ""
}

// BodyDiff compares request bodies.
type BodyDiff struct {
	OldPresent, NewPresent   bool
	OldRequired, NewRequired bool
	OldMedia, NewMedia       string
	Changes                  []shape.Change
}

// ResponseDiff compares two responses.
type ResponseDiff struct {
	OldStatus, NewStatus string
	OldMedia, NewMedia   string
	OldSchema, NewSchema bool // a body schema is declared
	Changes              []shape.Change
}

// Compute diffs two loaded connectors.
func Compute(old, new *connector.Connector) *Diff {
	d := &Diff{Old: old, New: new}
	usedOld := map[*connector.Operation]bool{}
	usedNew := map[*connector.Operation]bool{}
	pairs := map[*connector.Operation]*connector.Operation{} // new → old
	// 1. same operationId.
	for _, n := range new.Operations {
		if n.ID == "" {
			continue
		}
		for _, o := range old.Operations {
			if !usedOld[o] && o.ID == n.ID {
				pairs[n], usedOld[o], usedNew[n] = o, true, true
				break
			}
		}
	}
	// 2. same method + path template: a rename.
	for _, n := range new.Operations {
		if usedNew[n] {
			continue
		}
		for _, o := range old.Operations {
			if !usedOld[o] && o.Method == n.Method && normPath(o.Path) == normPath(n.Path) {
				pairs[n], usedOld[o], usedNew[n] = o, true, true
				break
			}
		}
	}
	// 3. same operationId up to case: renamed and moved.
	for _, n := range new.Operations {
		if usedNew[n] || n.ID == "" {
			continue
		}
		for _, o := range old.Operations {
			if !usedOld[o] && strings.EqualFold(o.ID, n.ID) {
				pairs[n], usedOld[o], usedNew[n] = o, true, true
				break
			}
		}
	}
	for _, n := range new.Operations {
		o := pairs[n]
		if o == nil {
			d.Added = append(d.Added, n)
			continue
		}
		d.Ops = append(d.Ops, computeOp(old, new, o, n))
	}
	for _, o := range old.Operations {
		if !usedOld[o] {
			d.Removed = append(d.Removed, o)
		}
	}
	return d
}

// normPath replaces template names so /a/{id} and /a/{itemId} match, and
// ignores a trailing slash difference only when both sides have a template.
func normPath(p string) string {
	var b strings.Builder
	depth := 0
	for _, r := range p {
		switch {
		case r == '{':
			depth++
			if depth == 1 {
				b.WriteString("{}")
			}
		case r == '}':
			if depth > 0 {
				depth--
			}
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return strings.ToLower(b.String())
}

func computeOp(oc, nc *connector.Connector, o, n *connector.Operation) *OpDiff {
	od := &OpDiff{Old: o, New: n}
	if o.ID != n.ID {
		od.Renamed = true
		od.CaseOnly = strings.EqualFold(o.ID, n.ID)
	}
	od.Moved = o.Method != n.Method || normPath(o.Path) != normPath(n.Path)
	od.Params = diffParams(o, n)
	od.Body = diffBody(o.Op, n.Op)
	od.Responses, od.Primary, od.StatusesRemoved, od.StatusesAdded = diffResponses(o.Op, n.Op)
	od.Payload = diffPayload(o, n)
	return od
}

type paramKey struct{ in, name string }

func keyOf(p *openapi3.Parameter) paramKey {
	name := p.Name
	if p.In == openapi3.ParameterInHeader {
		name = strings.ToLower(name)
	}
	return paramKey{p.In, name}
}

// Parameters returns an operation's parameters, path-level ones first and
// overridden by operation-level ones, as OpenAPI says.
func Parameters(op *connector.Operation) []*openapi3.Parameter {
	var out []*openapi3.Parameter
	idx := map[paramKey]int{}
	add := func(ps openapi3.Parameters) {
		for _, r := range ps {
			if r == nil || r.Value == nil {
				continue
			}
			k := keyOf(r.Value)
			if i, ok := idx[k]; ok {
				out[i] = r.Value
				continue
			}
			idx[k] = len(out)
			out = append(out, r.Value)
		}
	}
	if op.Item != nil {
		add(op.Item.Parameters)
	}
	if op.Op != nil {
		add(op.Op.Parameters)
	}
	return out
}

func diffParams(o, n *connector.Operation) []*ParamDiff {
	var out []*ParamDiff
	idx := map[paramKey]*ParamDiff{}
	for _, p := range Parameters(o) {
		pd := &ParamDiff{In: p.In, Name: p.Name, Old: p}
		idx[keyOf(p)] = pd
		out = append(out, pd)
	}
	for _, p := range Parameters(n) {
		if pd := idx[keyOf(p)]; pd != nil {
			pd.New = p
			continue
		}
		pd := &ParamDiff{In: p.In, Name: p.Name, New: p}
		idx[keyOf(p)] = pd
		out = append(out, pd)
	}
	for _, pd := range out {
		if pd.Old != nil && pd.New != nil {
			pd.Changes = shape.Compare(shape.FromSchema(pd.Old.Schema, shape.SchemaOptions{}),
				shape.FromSchema(pd.New.Schema, shape.SchemaOptions{}), shape.CompareOptions{IgnoreRequired: true})
		}
	}
	return out
}

// pickMedia chooses the media type whose schema is compared: JSON first.
func pickMedia(c openapi3.Content) (string, *openapi3.SchemaRef) {
	if len(c) == 0 {
		return "", nil
	}
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	best := keys[0]
	for _, k := range keys {
		if strings.Contains(strings.ToLower(k), "json") {
			best = k
			break
		}
	}
	mt := c[best]
	if mt == nil {
		return best, nil
	}
	return best, mt.Schema
}

func diffBody(o, n *openapi3.Operation) BodyDiff {
	var bd BodyDiff
	var os, ns *openapi3.SchemaRef
	if o != nil && o.RequestBody != nil && o.RequestBody.Value != nil {
		bd.OldPresent, bd.OldRequired = true, o.RequestBody.Value.Required
		bd.OldMedia, os = pickMedia(o.RequestBody.Value.Content)
	}
	if n != nil && n.RequestBody != nil && n.RequestBody.Value != nil {
		bd.NewPresent, bd.NewRequired = true, n.RequestBody.Value.Required
		bd.NewMedia, ns = pickMedia(n.RequestBody.Value.Content)
	}
	if bd.OldPresent && bd.NewPresent {
		bd.Changes = shape.Compare(shape.FromSchema(os, shape.SchemaOptions{}), shape.FromSchema(ns, shape.SchemaOptions{}), shape.CompareOptions{})
	}
	return bd
}

// PrimaryStatus returns the main success status of an operation: the
// lowest declared 2xx, else "default", else the lowest status.
func PrimaryStatus(op *openapi3.Operation) string {
	if op == nil || op.Responses == nil {
		return ""
	}
	codes := sortedStatuses(op.Responses)
	for _, c := range codes {
		if strings.HasPrefix(c, "2") {
			return c
		}
	}
	for _, c := range codes {
		if c == "default" {
			return c
		}
	}
	if len(codes) > 0 {
		return codes[0]
	}
	return ""
}

func sortedStatuses(r *openapi3.Responses) []string {
	m := r.Map()
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		a, errA := strconv.Atoi(strings.ReplaceAll(strings.ToUpper(out[i]), "X", "0"))
		b, errB := strconv.Atoi(strings.ReplaceAll(strings.ToUpper(out[j]), "X", "0"))
		if errA != nil || errB != nil {
			return errA == nil // numbers before "default"
		}
		return a < b
	})
	return out
}

func response(op *openapi3.Operation, status string) *openapi3.Response {
	if op == nil || op.Responses == nil {
		return nil
	}
	r := op.Responses.Value(status)
	if r == nil {
		return nil
	}
	return r.Value
}

func diffResponse(o, n *openapi3.Response, os, ns string) *ResponseDiff {
	rd := &ResponseDiff{OldStatus: os, NewStatus: ns}
	var osr, nsr *openapi3.SchemaRef
	if o != nil {
		rd.OldMedia, osr = pickMedia(o.Content)
	}
	if n != nil {
		rd.NewMedia, nsr = pickMedia(n.Content)
	}
	rd.OldSchema, rd.NewSchema = osr != nil, nsr != nil
	if osr != nil && nsr != nil {
		rd.Changes = shape.Compare(shape.FromSchema(osr, shape.SchemaOptions{}), shape.FromSchema(nsr, shape.SchemaOptions{}), shape.CompareOptions{})
	}
	return rd
}

func diffResponses(o, n *openapi3.Operation) (same []*ResponseDiff, primary *ResponseDiff, removed, added []string) {
	var oc, nc []string
	if o != nil && o.Responses != nil {
		oc = sortedStatuses(o.Responses)
	}
	if n != nil && n.Responses != nil {
		nc = sortedStatuses(n.Responses)
	}
	inList := func(l []string, s string) bool {
		for _, x := range l {
			if x == s {
				return true
			}
		}
		return false
	}
	op, np := PrimaryStatus(o), PrimaryStatus(n)
	for _, s := range oc {
		if inList(nc, s) {
			same = append(same, diffResponse(response(o, s), response(n, s), s, s))
		} else {
			removed = append(removed, s)
		}
	}
	for _, s := range nc {
		if !inList(oc, s) {
			added = append(added, s)
		}
	}
	if op != "" && np != "" && op != np {
		primary = diffResponse(response(o, op), response(n, np), op, np)
	} else if op != "" {
		for _, r := range same {
			if r.OldStatus == op {
				primary = r
			}
		}
	}
	return same, primary, removed, added
}

func diffPayload(o, n *connector.Operation) []shape.Change {
	if o.Trigger == nil || n.Trigger == nil || o.Trigger.Content == nil || n.Trigger.Content == nil {
		return nil
	}
	return shape.Compare(shape.FromSchema(o.Trigger.Content, shape.SchemaOptions{}),
		shape.FromSchema(n.Trigger.Content, shape.SchemaOptions{}), shape.CompareOptions{})
}
