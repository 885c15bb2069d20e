package policy

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/internal/corpus"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func corpusRoot(t testing.TB) string { return corpus.Root(t) }

func corpusDirs(t testing.TB) (string, []string) { return corpus.Dirs(t) }

// templateParamModes says how each template parameter is parsed; the rest
// are plain values (property names, replacement strings) that must still
// parse as literal-tolerant text.
var templateParamModes = map[string]Mode{"newpath": ModePath}

// rawPolicies reads policyTemplateInstances straight from apiProperties.json
// (with a BOM stripped), independent of the loader.
func rawPolicies(path string) ([]map[string]any, bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false, nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !bytes.Contains(bytes.ToLower(data), []byte("policytemplateinstances")) {
		return nil, false, nil
	}
	var doc struct {
		Properties struct {
			Policies []map[string]any `json:"policyTemplateInstances"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, true, err
	}
	return doc.Properties.Policies, true, nil
}

type templateStats struct {
	instances, disabled, matched, applied int
	connectors                            map[string]bool
}

// TestCorpusSweep: every policyTemplateInstance of the dev corpus decodes,
// every expression parses, and applying each connector's policies to a
// probe request (and response) for every operation they cover never errors
// or panics, with placeholder connection parameter values. setvaluefromurl
// side calls go to a local server. Counts and findings go to
// testdata/corpus-sweep.golden.
func TestCorpusSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus sweep skipped in -short mode")
	}
	root, dirs := corpusDirs(t)

	// setvaluefromurl calls: whatever host the policy names, dial a local
	// server (plain for http, TLS for https); nothing leaves the machine.
	sideHandler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token":"placeholder-token","team":{"id":"team-1"}}`)
	})
	side, sideTLS := httptest.NewServer(sideHandler), httptest.NewTLSServer(sideHandler)
	defer side.Close()
	defer sideTLS.Close()
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, side.Listener.Addr().String())
		},
		DialTLSContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			d := tls.Dialer{Config: &tls.Config{InsecureSkipVerify: true}} // the test server's own certificate
			return d.DialContext(ctx, network, sideTLS.Listener.Addr().String())
		},
	}}
	defer client.CloseIdleConnections()

	stats := map[string]*templateStats{}
	stat := func(kind string) *templateStats {
		if stats[kind] == nil {
			stats[kind] = &templateStats{connectors: map[string]bool{}}
		}
		return stats[kind]
	}
	var withPolicies, loaded, instances, exprs, ops, probes, triggers, stateParams, itemFields int
	var lines, problems, expected, notLoadable, rawBroken []string
	findingCounts := map[string]int{}

	for _, dir := range dirs {
		name := filepath.Base(dir)
		raw, has, err := rawPolicies(filepath.Join(root, dir, "apiProperties.json"))
		if !has {
			continue
		}
		withPolicies++
		if err != nil {
			rawBroken = append(rawBroken, fmt.Sprintf("%s: apiProperties.json is not strict JSON (%v); checked through the loader", name, err))
		}
		for i, p := range raw {
			params, _ := p["parameters"].(map[string]any)
			keys := make([]string, 0, len(params))
			for k := range params {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				s, ok := params[k].(string)
				if !ok {
					continue
				}
				short := strings.ToLower(k[strings.LastIndexByte(k, '.')+1:])
				exprs++
				if _, err := Parse(s, templateParamModes[short]); err != nil {
					problems = append(problems, fmt.Sprintf("%s #/properties/policyTemplateInstances/%d/parameters/%s: %v", name, i, k, err))
				}
			}
		}

		c, err := connector.Load(context.Background(), filepath.Join(root, dir))
		if err != nil {
			first, _, _ := strings.Cut(err.Error(), "\n")
			first = strings.ReplaceAll(first, filepath.Join(root, dir)+string(filepath.Separator), "")
			if len(first) > 160 {
				first = first[:160] + "…"
			}
			notLoadable = append(notLoadable, fmt.Sprintf("%s: %s (%d instances)", name, first, len(raw)))
			continue
		}
		loaded++
		if err == nil && len(raw) != len(c.Policies) && len(raw) > 0 {
			problems = append(problems, fmt.Sprintf("%s: %d instances in apiProperties.json, %d decoded", name, len(raw), len(c.Policies)))
		}
		instances += len(c.Policies)

		func() {
			defer func() {
				if r := recover(); r != nil {
					problems = append(problems, fmt.Sprintf("%s: panic: %v", name, r))
				}
			}()
			e, fs := New(c, Options{Params: PlaceholderParams(c), Client: client})
			for _, f := range fs {
				findingCounts[f.ID]++
				lines = append(lines, fmt.Sprintf("%s %s %s %s: %s", name, f.Level, f.ID, f.Pointer, f.Message))
			}
			for _, pt := range e.PollingTriggers() {
				triggers++
				for _, sp := range pt.State {
					stateParams++
					if _, ok := pt.ItemField(sp); ok || sp.Literal {
						itemFields++
					}
				}
			}
			for _, cp := range e.policies {
				s := stat(cp.kind)
				s.instances++
				s.connectors[name] = true
				if cp.disabled != "" {
					s.disabled++
				}
			}
			for _, op := range c.Operations {
				covered := false
				for _, cp := range e.policies {
					if !cp.trigger && cp.p.AppliesTo(op.ID) {
						covered = true
					}
				}
				if !covered {
					continue
				}
				ops++
				probes++
				r := probeRequest(c, op)
				in := r.Clone(context.Background())
				in.Host = "127.0.0.1:8080" // the mock's or proxy's address
				tr, err := e.Request(context.Background(), op.ID, r, nil)
				if err != nil {
					if explained(fs, op.ID) {
						expected = append(expected, fmt.Sprintf("%s %s: %v", name, op.ID, shortErr(err)))
					} else {
						problems = append(problems, fmt.Sprintf("%s %s: Request: %v", name, op.ID, err))
					}
					continue
				}
				count(stat, tr)
				link := r.URL.Scheme + "://" + r.URL.Host + r.URL.EscapedPath() + "?page=2"
				resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Request: r,
					Body: readCloser([]byte(`{"value":[],"nextLink":"` + link + `","@odata.nextLink":"` + link + `"}`))}
				rtr, err := e.Response(context.Background(), op.ID, in, resp)
				if err != nil {
					problems = append(problems, fmt.Sprintf("%s %s: Response: %v", name, op.ID, err))
					continue
				}
				count(stat, rtr)
			}
		}()
	}

	var b strings.Builder
	fmt.Fprintf(&b, "# policy corpus sweep (go test ./policy -run TestCorpusSweep -update)\n")
	fmt.Fprintf(&b, "connectors %d; with policyTemplateInstances %d; loaded %d; not loadable %d\n", len(dirs), withPolicies, loaded, len(notLoadable))
	fmt.Fprintf(&b, "instances decoded %d; template parameter strings parsed %d, failed %d\n", instances, exprs, len(problems))
	fmt.Fprintf(&b, "operations covered by a policy %d; probe request+response pairs %d; errors and panics %d\n", ops, probes, len(problems))
	fmt.Fprintf(&b, "polling triggers described %d; state parameters %d, of which literal or newest-item field %d\n\n", triggers, stateParams, itemFields)
	fmt.Fprintf(&b, "%-38s %9s %10s %8s %8s %8s\n", "template", "instances", "connectors", "disabled", "matched", "applied")
	kinds := make([]string, 0, len(stats))
	for k := range stats {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		s := stats[k]
		status := ""
		if _, ok := implemented[k]; !ok {
			if why, ok := unsupported[k]; ok {
				status = "  (unsupported: " + why + ")"
			} else {
				status = "  (unknown template)"
			}
		}
		fmt.Fprintf(&b, "%-38s %9d %10d %8d %8d %8d%s\n", k, s.instances, len(s.connectors), s.disabled, s.matched, s.applied, status)
	}
	b.WriteString("\n## finding counts\n")
	ids := make([]string, 0, len(findingCounts))
	for id := range findingCounts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		fmt.Fprintf(&b, "%s %d\n", id, findingCounts[id])
	}
	section := func(title string, ls []string) {
		fmt.Fprintf(&b, "\n## %s (%d)\n", title, len(ls))
		sort.Strings(ls)
		for _, l := range ls {
			b.WriteString(l + "\n")
		}
	}
	section("findings", lines)
	section("not loadable", notLoadable)
	section("apiProperties.json not strict JSON", rawBroken)
	section("request errors a finding explains", expected)
	section("errors", problems)

	golden := filepath.Join("testdata", "corpus-sweep.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != b.String() {
		t.Errorf("sweep differs from %s (run with -update and review the diff):\n%s", golden, diffLines(string(want), b.String()))
	}
	if len(problems) > 0 {
		t.Errorf("%d errors, panics or undecoded instances:\n%s", len(problems), strings.Join(problems, "\n"))
	}
}

// explained reports whether a finding names the operation: a definition
// problem New reported, so an error on that operation is expected.
func explained(fs []connector.Finding, opID string) bool {
	for _, f := range fs {
		if f.ID == "policy-expression-source-undeclared" && strings.Contains(f.Message, opID) {
			return true
		}
	}
	return false
}

// shortErr drops the file path from an error for the golden file.
func shortErr(err error) string {
	s := err.Error()
	if i := strings.Index(s, " ("); i >= 0 {
		if j := strings.Index(s[i:], "#"); j >= 0 {
			s = s[:i] + " (#" + s[i+j+1:]
		}
	}
	return s
}

func count(stat func(string) *templateStats, tr Trace) {
	for _, s := range tr.Steps {
		st := stat(s.Template)
		st.matched++
		if s.Applied {
			st.applied++
		}
	}
}

// probeRequest builds the request a client would send for op: every path
// parameter "v1", every declared query and header parameter its default
// (or "v1"), and "{}" for a JSON body.
func probeRequest(c *connector.Connector, op *connector.Operation) *http.Request {
	path := strings.TrimRight(c.BasePath, "/") + op.Path
	for _, n := range pathParamNames(op.Path) {
		path = strings.ReplaceAll(path, "{"+n+"}", "v1")
	}
	q := []string{}
	header := http.Header{}
	type paramInfo struct {
		in, name string
		def      any
	}
	var params []paramInfo
	add := func(in, name string, schemaDefault func() any) {
		params = append(params, paramInfo{in, name, schemaDefault()})
	}
	if op.Item != nil {
		for _, p := range op.Item.Parameters {
			if p != nil && p.Value != nil {
				add(p.Value.In, p.Value.Name, func() any {
					if p.Value.Schema != nil && p.Value.Schema.Value != nil {
						return p.Value.Schema.Value.Default
					}
					return nil
				})
			}
		}
	}
	if op.Op != nil {
		for _, p := range op.Op.Parameters {
			if p != nil && p.Value != nil {
				add(p.Value.In, p.Value.Name, func() any {
					if p.Value.Schema != nil && p.Value.Schema.Value != nil {
						return p.Value.Schema.Value.Default
					}
					return nil
				})
			}
		}
	}
	for _, p := range params {
		val := "v1"
		if s := paramValue(p.def); s != "" {
			val = s
		}
		switch p.in {
		case "query":
			q = append(q, url.QueryEscape(p.name)+"="+url.QueryEscape(val))
		case "header":
			if validHeaderName(p.name) {
				header.Set(p.name, val)
			}
		}
	}
	method := strings.ToUpper(op.Method)
	target := "https://" + c.Host
	if c.Host == "" {
		target = "https://placeholder.invalid"
	}
	r, err := http.NewRequest(method, target+"/", nil)
	if err != nil {
		r, _ = http.NewRequest(method, "https://placeholder.invalid/", nil)
	}
	r.URL.Scheme, r.URL.Host, r.Host = "", "", ""
	r.URL.Path, r.URL.RawPath = path, ""
	r.URL.RawQuery = strings.Join(q, "&")
	r.Header = header
	if op.Op != nil && op.Op.RequestBody != nil && op.Op.RequestBody.Value != nil {
		for mt := range op.Op.RequestBody.Value.Content {
			if strings.Contains(mt, "json") {
				setRequestBody(r, []byte(`{}`))
				r.Header.Set("Content-Type", "application/json")
				break
			}
		}
	}
	return r
}

func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	ws, gs := map[string]bool{}, map[string]bool{}
	for _, l := range w {
		ws[l] = true
	}
	for _, l := range g {
		gs[l] = true
	}
	var b strings.Builder
	n := 0
	for _, l := range w {
		if !gs[l] && n < 40 {
			b.WriteString("- " + l + "\n")
			n++
		}
	}
	for _, l := range g {
		if !ws[l] && n < 80 {
			b.WriteString("+ " + l + "\n")
			n++
		}
	}
	return b.String()
}
