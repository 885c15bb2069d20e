package faults

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/workflow"
)

// Spec is mock.Faults with human durations: the --latency/--throttle
// flags and the "faults" object of a mock --config file.
type Spec struct {
	Latency     string          `json:"latency,omitempty"`
	ErrorRate   float64         `json:"errorRate,omitempty"`
	ErrorStatus int             `json:"errorStatus,omitempty"`
	ResetRate   float64         `json:"resetRate,omitempty"`
	Throttle    string          `json:"throttle,omitempty"`
	Operations  map[string]Spec `json:"operations,omitempty"`
}

// Parse turns a Spec into mock.Faults and validates it.
func (s Spec) Parse() (mock.Faults, error) { return s.parse("") }

func (s Spec) parse(where string) (mock.Faults, error) {
	var out mock.Faults
	var err error
	if s.Latency != "" {
		lo, hi, ok := strings.Cut(s.Latency, "-")
		if out.Latency, err = time.ParseDuration(strings.TrimSpace(lo)); err != nil {
			return out, workflow.Usage(fmt.Sprintf("%slatency %q: %v", where, s.Latency, err), "write 200ms or 100ms-1s")
		}
		if ok {
			if out.LatencyMax, err = time.ParseDuration(strings.TrimSpace(hi)); err != nil || out.LatencyMax < out.Latency {
				return out, workflow.Usage(fmt.Sprintf("%slatency %q: the range must be low-high", where, s.Latency), "write e.g. 100ms-1s")
			}
		}
	}
	out.ErrorRate, out.ErrorStatus, out.ResetRate = s.ErrorRate, s.ErrorStatus, s.ResetRate
	if s.Throttle != "" {
		n, w, ok := strings.Cut(s.Throttle, "/")
		cnt, err1 := strconv.Atoi(strings.TrimSpace(n))
		win := time.Minute
		var err2 error
		if ok {
			ws := strings.TrimSpace(w)
			if ws != "" && !strings.ContainsAny(ws[:1], "0123456789") {
				ws = "1" + ws
			}
			win, err2 = time.ParseDuration(ws)
		}
		if err1 != nil || err2 != nil || cnt <= 0 || win <= 0 {
			return out, workflow.Usage(fmt.Sprintf("%sthrottle %q: not N/window", where, s.Throttle), "write e.g. 10/1m or 100/s")
		}
		out.Throttle, out.Window = cnt, win
	}
	if err := validate(out, where); err != nil {
		return out, err
	}
	for id, sub := range s.Operations {
		if len(sub.Operations) > 0 {
			return out, workflow.Usage(fmt.Sprintf("faults.operations.%s: operations do not nest", id), "move the nested operations up to faults.operations")
		}
		of, err := sub.parse("faults.operations." + id + ".")
		if err != nil {
			return out, err
		}
		if out.Operations == nil {
			out.Operations = map[string]mock.Faults{}
		}
		out.Operations[id] = of
	}
	return out, nil
}

// Validate applies the one rule set to faults from any front door.
func Validate(f mock.Faults) error {
	if err := validate(f, ""); err != nil {
		return err
	}
	ids := make([]string, 0, len(f.Operations))
	for id := range f.Operations {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		sub := f.Operations[id]
		if len(sub.Operations) > 0 {
			return workflow.Usage(fmt.Sprintf("faults.operations.%s: operations do not nest", id), "move the nested operations up to faults.operations")
		}
		if err := validate(sub, "faults.operations."+id+"."); err != nil {
			return err
		}
	}
	return nil
}

func validate(f mock.Faults, where string) error {
	switch {
	case f.Latency < 0 || f.LatencyMax < 0:
		return workflow.Usage(where+"latency cannot be negative", "give 0 or more milliseconds")
	case f.LatencyMax != 0 && f.LatencyMax < f.Latency:
		return workflow.Usage(fmt.Sprintf("%slatency range %s-%s is reversed", where, f.Latency, f.LatencyMax), "make the maximum at least the minimum, or 0 for a fixed latency")
	case f.ErrorRate < 0 || f.ErrorRate > 1:
		return workflow.Usage(fmt.Sprintf("%serror-rate %v is not a share", where, f.ErrorRate), "give a share between 0 and 1, e.g. 0.1 for one request in ten")
	case f.ResetRate < 0 || f.ResetRate > 1:
		return workflow.Usage(fmt.Sprintf("%sreset-rate %v is not a share", where, f.ResetRate), "give a share between 0 and 1, e.g. 0.1 for one request in ten")
	case f.ErrorStatus != 0 && (f.ErrorStatus < 400 || f.ErrorStatus > 599):
		return workflow.Usage(fmt.Sprintf("%serror status %d is not an HTTP error", where, f.ErrorStatus), "use a status from 400 to 599 (default 500)")
	case f.Throttle < 0 || f.Window < 0:
		return workflow.Usage(where+"throttle limits cannot be negative", "give 0 to turn throttling off")
	}
	return nil
}
