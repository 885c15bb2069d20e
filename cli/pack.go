package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/workflow/catalog"
)

func runPack(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("pack", "DIR", "Check a connector folder as certification would (file names, required fields, icon size and format,\n"+
		"the 1 MB script limit, no secrets in the files, validate errors) and write the zip the portal import and paconn accept.", e)
	output := fs.String("output", "", "zip file to write (default DIR.zip beside the folder)")
	cert := fs.Bool("certification", false, "apply certification-only rules (publisher, stackOwner, connector metadata, brand colour) as errors")
	checkOnly := fs.Bool("check", false, "only check; write no zip")
	format := fs.String("format", "text", "findings output: text or json")
	failOn := fs.String("fail-on", "error", "do not write the zip, and exit 1, when a finding is at or above this level")
	pos, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "connectorlab pack: give one connector folder DIR")
		return ExitUsage
	}
	threshold, err := connector.ParseLevel(*failOn)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab pack: --fail-on:", err)
		return ExitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(e.stderr, "connectorlab pack: --format %q is not supported (use text or json)\n", *format)
		return ExitUsage
	}
	dir := filepath.Clean(pos[0])
	findings, err := authoring.Check(ctx, dir, authoring.PackOptions{Certification: *cert})
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab pack:", err)
		if os.IsNotExist(err) {
			return ExitUsage
		}
		return ExitInfra
	}
	failed := connector.MaxLevel(findings) >= threshold
	zipPath := *output
	if zipPath == "" {
		zipPath = dir + ".zip"
	}
	var packed []string
	if !failed && !*checkOnly {
		var buf bytes.Buffer
		packed, err = authoring.Pack(dir, &buf)
		if err == nil {
			err = os.WriteFile(zipPath, buf.Bytes(), 0o644)
		}
		if err != nil {
			fmt.Fprintln(e.stderr, "connectorlab pack:", err)
			return ExitInfra
		}
	}
	if *format == "json" {
		if findings == nil {
			findings = []connector.Finding{}
		}
		rep := map[string]any{"schemaVersion": 1, "dir": dir, "passed": !failed, "findings": findings}
		if packed != nil {
			rep["zip"], rep["files"] = zipPath, packed
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
	} else {
		counts := map[string]int{}
		for _, f := range findings {
			fmt.Fprintf(e.stdout, "%s: %s [%s] %s\n", f.Location(), catalog.Colorize(e.color, f.Level, f.Level.String()), f.ID, f.Message)
			if f.Fix != "" {
				fmt.Fprintf(e.stdout, "    fix: %s\n", f.Fix)
			}
			counts[f.Level.String()]++
		}
		switch {
		case failed:
			fmt.Fprintf(e.stdout, "%s: %s; not packed (--fail-on %s)\n", dir, catalog.CountLine(counts), threshold)
		case *checkOnly:
			fmt.Fprintf(e.stdout, "%s: %s; checks passed\n", dir, catalog.CountLine(counts))
		default:
			fmt.Fprintf(e.stdout, "%s: %s; wrote %s (%d files)\n", dir, catalog.CountLine(counts), zipPath, len(packed))
		}
	}
	if failed {
		return ExitFindings
	}
	return ExitOK
}
