package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract/grading"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/mock/fake"
	"github.com/connectorlab/connectorlab/probe"
)

type conformanceReport struct {
	SchemaVersion int            `json:"schemaVersion"`
	Target        string         `json:"target"`
	Operations    int            `json:"operations"`
	Passed        int            `json:"passed"`
	Unloadable    []string       `json:"unloadable,omitempty"`
	Classes       map[string]int `json:"classes"`
	// Realism is the realism checker over the JSON bodies the sweep got
	// back (fake.CheckRealism), per connector and in total.
	Realism   fake.Realism            `json:"realism"`
	RealismBy map[string]fake.Realism `json:"realismByConnector,omitempty"`
	// Findings counts the failures by finding ID of the grading table
	// (contract/grading), the IDs test and drift report for the same.
	Findings map[string]int `json:"findings"`
	Results  []probe.Result `json:"results"`
}

// realismTap is a RoundTripper that runs the realism checker over every
// JSON response body the sweep receives.
type realismTap struct {
	next http.RoundTripper
	mu   sync.Mutex
	r    fake.Realism
}

func (t *realismTap) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.Body == nil || !strings.Contains(resp.Header.Get("Content-Type"), "json") {
		return resp, err
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if rerr != nil {
		return resp, nil
	}
	var v any
	if json.Unmarshal(body, &v) == nil {
		r := fake.CheckRealism(v, fake.RealismOptions{Status: resp.StatusCode, MaxFailures: 3})
		t.mu.Lock()
		t.r.Add(r, 5)
		t.mu.Unlock()
	}
	return resp, nil
}

// take returns the realism so far and starts again.
func (t *realismTap) take() fake.Realism {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.r
	t.r = fake.Realism{}
	return r
}

// runConformance is `mock --conformance`: the sweep the mock's corpus test
// runs, for any connectors and any target.
func runConformance(ctx context.Context, e *env, f *mockFlags, base mock.Options, loader *connector.Loader, paths []string) int {
	if f.format != "text" && f.format != "json" {
		fmt.Fprintf(e.stderr, "connectorlab mock: --format %q is not supported (use text or json)\n", f.format)
		return ExitUsage
	}
	rep := conformanceReport{SchemaVersion: 1, Target: f.target, Classes: map[string]int{}, Findings: map[string]int{}}
	if rep.Target == "" {
		rep.Target = "connectorlab"
	}
	tap := &realismTap{next: http.DefaultTransport}
	client := &http.Client{Timeout: 30 * time.Second, Transport: tap}
	rep.RealismBy = map[string]fake.Realism{}
	base.Sink = nil
	for _, p := range paths {
		c, err := loader.Load(ctx, p)
		if err != nil {
			rep.Unloadable = append(rep.Unloadable, p+": "+err.Error())
			continue
		}
		url := f.target
		var stop func()
		if url == "" {
			s, err := mock.New(c, base)
			if err != nil {
				rep.Unloadable = append(rep.Unloadable, p+": "+err.Error())
				continue
			}
			ln, err := mock.Listen("127.0.0.1", 0)
			if err != nil {
				fmt.Fprintln(e.stderr, "connectorlab mock:", err)
				return ExitInfra
			}
			srv := mock.NewHTTPServer(s, e.log)
			go func() { _ = srv.Serve(ln) }()
			url = "http://" + ln.Addr().String()
			stop = func() { _ = srv.Close() }
		}
		res := probe.Sweep(ctx, c, url, client, probe.SweepOptions{Token: f.target == "",
			Builder: probe.Options{Seed: f.seed, NoBasePath: f.noBasePath}})
		if stop != nil {
			stop()
		}
		if r := tap.take(); r.Checked > 0 {
			rep.RealismBy[c.Name] = r
			rep.Realism.Add(r, 20)
		}
		for _, r := range res {
			rep.Operations++
			if r.Pass() {
				rep.Passed++
			} else {
				rep.Classes[r.Class]++
				rep.Findings[grading.ConformanceID(r.Class)]++
			}
		}
		rep.Results = append(rep.Results, res...)
	}
	exit := ExitOK
	if rep.Passed < rep.Operations || len(rep.Unloadable) > 0 {
		exit = ExitFindings
	}
	// Not one answer from --target: the target is unreachable, an
	// infrastructure failure (exit 3) rather than a finding about it.
	if f.target != "" && rep.Operations > 0 && rep.Classes[probe.ClassTransport] == rep.Operations {
		fmt.Fprintf(e.stderr, "connectorlab mock: --target %s is unreachable: no operation got an answer (is the mock running there?)\n", f.target)
		exit = ExitInfra
	}
	if f.format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return ExitInfra
		}
		return exit
	}
	for _, r := range rep.Results {
		if !r.Pass() {
			fmt.Fprintf(e.stdout, "FAIL %s :: %s %s %s [%s] %s %s\n", r.Connector, r.OperationID, r.Method, r.Path, r.Class,
				grading.ConformanceLevel(r.Class), grading.ConformanceID(r.Class)+": "+r.Reason)
		}
	}
	for _, u := range rep.Unloadable {
		fmt.Fprintln(e.stdout, "UNLOADABLE", u)
	}
	classes := make([]string, 0, len(rep.Classes))
	for k := range rep.Classes {
		classes = append(classes, fmt.Sprintf("%s %d", k, rep.Classes[k]))
	}
	sort.Strings(classes)
	rate := 0.0
	if rep.Operations > 0 {
		rate = 100 * float64(rep.Passed) / float64(rep.Operations)
	}
	names := make([]string, 0, len(rep.RealismBy))
	for n := range rep.RealismBy {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) > 1 {
		fmt.Fprintf(e.stdout, "%-60s %8s %8s\n", "CONNECTOR", "CHECKED", "REALISM")
		for _, n := range names {
			r := rep.RealismBy[n]
			fmt.Fprintf(e.stdout, "%-60s %8d %7.2f%%\n", n, r.Checked, r.Percent())
		}
	}
	fmt.Fprintf(e.stdout, "%s: %d/%d operations conform (%.2f%%); failures by class: %v; realism %.2f%% of %d checked values\n",
		rep.Target, rep.Passed, rep.Operations, rate, classes, rep.Realism.Percent(), rep.Realism.Checked)
	return exit
}
