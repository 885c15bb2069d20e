package drift

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/conform"
)

// Finding IDs of offline drift (traffic vs definition).
const (
	TrafficFieldUndocumented = "traffic-field-undocumented"
	TrafficFieldMissing      = "traffic-required-field-missing"
	TrafficTypeMismatch      = "traffic-type-mismatch"
	TrafficStatusUndeclared  = "traffic-status-undeclared"
	TrafficEnumValue         = "traffic-enum-value-undeclared"
	TrafficNull              = "traffic-null-not-allowed"
	TrafficOther             = "traffic-nonconforming"
	TrafficUnmatched         = "traffic-operation-unknown"
)

// TrafficRules is the catalogue of offline drift findings.
func TrafficRules() contract.Catalogue {
	r := func(id string, l contract.Level, s string) contract.Rule {
		return contract.Rule{ID: id, Level: l, Kind: contract.KindDrift, Summary: s}
	}
	E, W, I := contract.LevelError, contract.LevelWarning, contract.LevelInfo
	return contract.Catalogue{
		r(TrafficFieldUndocumented, I, "traffic carries a field the definition does not declare (error where additionalProperties is false); --write-patch adds it"),
		r(TrafficFieldMissing, E, "the definition requires a field that traffic lacks"),
		r(TrafficTypeMismatch, E, "traffic has another JSON type than the definition"),
		r(TrafficStatusUndeclared, E, "traffic has a status the operation does not declare (info when it declares no success at all)"),
		r(TrafficEnumValue, W, "traffic has a value outside the declared enum"),
		r(TrafficNull, W, "traffic has null where the definition is not nullable"),
		r(TrafficOther, W, "another conformance problem (content type, headers; error for invalid JSON)"),
		r(TrafficUnmatched, W, "a recorded request maps to no operation of the definition"),
	}
}

var trafficID = map[string]string{
	conform.BodyFieldUndocumented: TrafficFieldUndocumented,
	conform.BodyFieldNotAllowed:   TrafficFieldUndocumented,
	conform.BodyRequiredMissing:   TrafficFieldMissing,
	conform.BodyTypeMismatch:      TrafficTypeMismatch,
	conform.StatusUndeclared:      TrafficStatusUndeclared,
	conform.BodyEnumViolation:     TrafficEnumValue,
	conform.BodyNullNotAllowed:    TrafficNull,
}

// Observation is one recorded response of an operation.
type Observation struct {
	Operation *connector.Operation // nil: the request matched no operation
	Method    string
	URL       string
	Status    int
	Header    http.Header
	Body      []byte
}

// Traffic aggregates recorded responses against the definition: each
// distinct problem once, with Count = how many exchanges showed it, and a
// patch proposal built from the same observations.
type Traffic struct {
	c        *connector.Connector
	k        *conform.Checker
	findings map[string]*contract.Finding
	order    []string
	seen     map[string]int // operationId → exchanges
	patch    *Patch
}

// NewTraffic returns an aggregator for c.
func NewTraffic(c *connector.Connector, k *conform.Checker) *Traffic {
	return &Traffic{c: c, k: k, findings: map[string]*contract.Finding{}, seen: map[string]int{}, patch: newPatch(c)}
}

// Add checks one observation.
func (t *Traffic) Add(o Observation) {
	if o.Operation == nil {
		t.put(contract.Finding{ID: TrafficUnmatched, Level: contract.LevelWarning, Where: "request", Field: o.Method + " " + o.URL,
			Message: fmt.Sprintf("%s %s matches no operation of the definition", o.Method, o.URL)})
		return
	}
	t.seen[o.Operation.ID]++
	fs := t.k.Check(o.Operation, conform.Response{Status: o.Status, Header: o.Header, Body: o.Body})
	for _, f := range fs {
		id, ok := trafficID[f.ID]
		if !ok {
			if f.ID == conform.DynamicUnresolved {
				continue
			}
			id = TrafficOther
		}
		// The level is conform's: a traffic-* finding grades what its
		// conformance counterpart grades (one table, see docs/CONTRACT.md).
		f.ID, f.Count = id, 0
		f.Message = trafficMessage(f, o)
		if id == TrafficFieldUndocumented {
			f.New = "" // the first observed type is in the message; keep one finding per field
		}
		t.put(f)
	}
	t.patch.observe(o, fs)
}

func trafficMessage(f contract.Finding, o Observation) string {
	switch f.ID {
	case TrafficFieldUndocumented:
		return fmt.Sprintf("response %d carries %s (%s), which the definition does not declare", o.Status, f.Field, f.New)
	case TrafficFieldMissing:
		return fmt.Sprintf("the definition requires %s in response %d; traffic lacks it", f.Field, o.Status)
	case TrafficTypeMismatch:
		return fmt.Sprintf("%s is %s in traffic, the definition says %s", f.Field, f.New, f.Old)
	case TrafficStatusUndeclared:
		return fmt.Sprintf("status %d seen in traffic is not declared", o.Status)
	}
	return f.Message
}

func (t *Traffic) put(f contract.Finding) {
	k := f.Key() + "\x00" + strconv.Itoa(0)
	if g := t.findings[k]; g != nil {
		g.Count++
		return
	}
	f.Count = 1
	t.findings[k] = &f
	t.order = append(t.order, k)
}

// Findings returns the aggregated findings, plus operations no recorded
// exchange exercised.
func (t *Traffic) Findings() []contract.Finding {
	var out []contract.Finding
	for _, k := range t.order {
		out = append(out, *t.findings[k])
	}
	for _, op := range t.c.Operations {
		if t.seen[op.ID] == 0 {
			out = append(out, contract.Finding{ID: OperationUntested, Level: contract.LevelInfo, Operation: op.ID, Method: op.Method, Path: op.Path,
				Message: fmt.Sprintf("no recorded exchange calls %s (%s %s)", op.ID, op.Method, op.Path)})
		}
	}
	contract.Sort(out)
	return out
}

// Exchanges returns how many observations each operation had.
func (t *Traffic) Exchanges() map[string]int { return t.seen }

// Patch returns the proposed definition change.
func (t *Traffic) Patch() *Patch { return t.patch }
