package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/workflow/customcode"
)

// runScript is 'connectorlab script test': the custom-code authoring loop.
func runScript(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] != "test" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintln(e.stdout, "Usage: connectorlab script test PATH --operation ID [--request FILE] [--target URL]")
			return ExitOK
		}
		fmt.Fprintln(e.stderr, "connectorlab script: give a verb: test (connectorlab script test PATH --operation ID [--request FILE] [--target URL])")
		return ExitUsage
	}
	fs := newFlagSet("script test", "PATH", "Run the connector's custom code (script.csx) once for one operation, against the built-in mock\n"+
		"(default) or a target, and print the request and response before and after the code, the script's log lines and timing.\n"+
		"Connection parameters for --target come from CONNECTORLAB_PARAM_<NAME>.", e)
	var (
		opID, reqFile, target, format, authSet string
		timeout                                time.Duration
	)
	fs.StringVar(&opID, "operation", "", "operationId to run the script for (required)")
	fs.StringVar(&reqFile, "request", "", "JSON file with the incoming request: method, path, query, headers, body or bodyText (default: a valid request built from the definition)")
	fs.StringVar(&target, "target", "", "base URL the script's SendAsync goes to instead of the mock (stands in for the connector's host)")
	fs.DurationVar(&timeout, "timeout", 5*time.Second, "limit of one run of the script (the gateway's is 5s)")
	fs.StringVar(&format, "format", "text", "text or json")
	fs.StringVar(&authSet, "auth-set", "", "connection type whose parameters sign the request (default: the first)")
	var lf loadFlags
	lf.register(fs)
	paths, code, ok := parseFlags(fs, args[1:], e)
	if !ok {
		return code
	}
	if len(paths) != 1 {
		fmt.Fprintln(e.stderr, "connectorlab script test: give exactly one PATH (the connector folder holding script.csx)")
		return ExitUsage
	}
	if opID == "" {
		fmt.Fprintln(e.stderr, "connectorlab script test: --operation is required (the operationId to run the script for)")
		return ExitUsage
	}
	if format != "text" && format != "json" {
		fmt.Fprintf(e.stderr, "connectorlab script test: --format %q is not supported (use text or json)\n", format)
		return ExitUsage
	}
	c, err := lf.loader().Load(ctx, paths[0])
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab script test:", err)
		return loadExit(err)
	}
	o := customcode.TestOptions{Operation: opID, Target: target, Timeout: timeout, Logger: e.log}
	if reqFile != "" {
		spec, err := customcode.ReadRequestSpec(reqFile)
		if err != nil {
			fmt.Fprintln(e.stderr, "connectorlab script test:", err)
			return workflowExit(err)
		}
		o.Request = spec
	}
	if set, err := recordings.AuthSet(c, authSet); err == nil {
		vals, _ := recordings.ParamsFromEnv(set, os.LookupEnv)
		o.Auth = recordings.AuthFor(set, vals)
		o.Secrets = recordings.SecretValues(set, vals)
	} else if authSet != "" {
		fmt.Fprintln(e.stderr, "connectorlab script test: auth set:", err)
		return ExitUsage
	}
	rep, err := customcode.ScriptTest(ctx, c, o)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab script test:", err)
		return workflowExit(err)
	}
	if format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return ExitInfra
		}
	} else {
		printScriptReport(e.stdout, rep)
	}
	if rep.Error != nil {
		return ExitFindings
	}
	return ExitOK
}

func printScriptReport(w io.Writer, r *customcode.TestReport) {
	fmt.Fprintf(w, "script test  %s · operation %s · against %s\n", r.Connector, r.Operation, r.Against)
	cached := ""
	if r.Cached {
		cached = " (cached)"
	}
	fmt.Fprintf(w, "compiled in %s%s · host started in %s · code ran in %s\n", round(r.Compile), cached, round(r.ColdStart), round(r.Call))
	fmt.Fprintf(w, "isolation: %s\n", r.Isolation)
	for _, wn := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", wn)
	}
	fmt.Fprintln(w, "\n── request before the code (Context.Request)")
	printMessage(w, r.Before, true)
	for i, s := range r.Sends {
		fmt.Fprintf(w, "\n── SendAsync #%d: request after the code (%s)\n", i+1, round(s.Duration))
		printMessage(w, s.Request, true)
		if s.Error != "" {
			fmt.Fprintf(w, "\n── SendAsync #%d failed: %s\n", i+1, s.Error)
			continue
		}
		fmt.Fprintf(w, "\n── SendAsync #%d: response before the code\n", i+1)
		printMessage(w, s.Response, false)
	}
	if len(r.Sends) == 0 {
		fmt.Fprintln(w, "\n(the code sent no request: SendAsync was not called)")
	}
	if r.Error != nil {
		fmt.Fprintf(w, "\n── the code failed (%s): %s\n", r.Error.Kind, r.Error.Error())
		if r.Error.Stack != "" {
			fmt.Fprintln(w, indent(r.Error.Stack))
		}
	}
	fmt.Fprintln(w, "\n── response after the code (what the client gets)")
	printMessage(w, r.After, false)
	fmt.Fprintf(w, "\n── log (%d lines)\n", len(r.Logs))
	for _, l := range r.Logs {
		fmt.Fprintf(w, "  +%-7s %-11s %s\n", round(l.At), l.Level, l.Message)
	}
}

func printMessage(w io.Writer, m customcode.Message, req bool) {
	if req {
		fmt.Fprintf(w, "%s %s\n", m.Method, m.URL)
	} else {
		fmt.Fprintf(w, "%d %s\n", m.Status, http.StatusText(m.Status))
	}
	keys := make([]string, 0, len(m.Header))
	for k := range m.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range m.Header[k] {
			if sensitiveHeader(k) {
				v = "[redacted]"
			}
			fmt.Fprintf(w, "%s: %s\n", k, v)
		}
	}
	if m.Body != "" {
		body := m.Body
		if len(body) > 4096 {
			body = body[:4096] + fmt.Sprintf("\n… (%d bytes in all)", len(m.Body))
		}
		fmt.Fprintf(w, "\n%s\n", body)
	}
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n    ")
}

func round(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(10 * time.Millisecond)
	case d > time.Millisecond:
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// sensitiveHeader: credentials are never printed.
func sensitiveHeader(k string) bool {
	switch strings.ToLower(k) {
	case "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "apikey",
		"x-auth-token", "ocp-apim-subscription-key", "x-functions-key":
		return true
	}
	return strings.Contains(strings.ToLower(k), "secret") || strings.Contains(strings.ToLower(k), "token")
}
