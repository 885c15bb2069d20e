package faults

import (
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/mock"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   Spec
		want mock.Faults
		err  string
	}{
		{"empty", Spec{}, mock.Faults{}, ""},
		{"fixed latency", Spec{Latency: "200ms"}, mock.Faults{Latency: 200 * time.Millisecond}, ""},
		{"latency range", Spec{Latency: "100ms-1s"}, mock.Faults{Latency: 100 * time.Millisecond, LatencyMax: time.Second}, ""},
		{"reversed range", Spec{Latency: "1s-100ms"}, mock.Faults{}, "low-high"},
		{"throttle per minute", Spec{Throttle: "10"}, mock.Faults{Throttle: 10, Window: time.Minute}, ""},
		{"throttle per second", Spec{Throttle: "100/s"}, mock.Faults{Throttle: 100, Window: time.Second}, ""},
		{"bad throttle", Spec{Throttle: "ten"}, mock.Faults{}, "N/window"},
		{"error status", Spec{ErrorRate: 0.1, ErrorStatus: 200}, mock.Faults{}, "not an HTTP error"},
		{"nested operations", Spec{Operations: map[string]Spec{"A": {Operations: map[string]Spec{"B": {}}}}}, mock.Faults{}, "do not nest"},
		{"operation error names where", Spec{Operations: map[string]Spec{"GetOrder": {ResetRate: 3}}}, mock.Faults{}, "faults.operations.GetOrder.reset-rate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.in.Parse()
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || got.Latency != tt.want.Latency || got.LatencyMax != tt.want.LatencyMax || got.Throttle != tt.want.Throttle || got.Window != tt.want.Window {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestValidateIsTheSameRuleForForms(t *testing.T) {
	t.Parallel()
	if err := Validate(mock.Faults{ErrorRate: 1.5}); err == nil {
		t.Error("error rate 1.5 accepted")
	}
	if err := Validate(mock.Faults{Latency: time.Second, LatencyMax: time.Millisecond}); err == nil {
		t.Error("reversed latency accepted")
	}
	if err := Validate(mock.Faults{Operations: map[string]mock.Faults{"X": {Throttle: -1}}}); err == nil || !strings.Contains(err.Error(), "faults.operations.X.") {
		t.Errorf("operation rule: %v", err)
	}
	if err := Validate(mock.Faults{ErrorRate: 0.5, ErrorStatus: 503, Throttle: 5, Window: time.Second}); err != nil {
		t.Error(err)
	}
}

func TestOverLetsFlagsWin(t *testing.T) {
	t.Parallel()
	file := Spec{Latency: "1s", ErrorRate: 0.5, ErrorStatus: 503, ResetRate: 0.1, Throttle: "5/s", Operations: map[string]Spec{"A": {Latency: "2s"}}}
	got := Spec{Latency: "10ms", ErrorRate: 0.2}.Over(file)
	if got.Latency != "10ms" || got.ErrorRate != 0.2 || got.ErrorStatus != 0 || got.ResetRate != 0.1 || got.Throttle != "5/s" || got.Operations["A"].Latency != "2s" {
		t.Errorf("merged %+v", got)
	}
}
