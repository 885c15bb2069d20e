package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/workflow/create"
)

func runExport(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("export", "DIR --to openapi3|mockoon", "Write a connector's definition as an OpenAPI 3 JSON document (x-ms-* extensions kept;\n"+
		"apiProperties.json travels in x-connectorlab-api-properties, so 'connectorlab new --from' gives the connector back),\n"+
		"or as a Mockoon environment (routes, responses with examples or generated bodies, the overrides sidecar's rules;\n"+
		"what Mockoon cannot hold is listed as export-mockoon-* findings on stderr).", e)
	to := fs.String("to", "openapi3", "target format: openapi3 or mockoon")
	output := fs.String("output", "", "file to write (default stdout)")
	overrides := fs.String("overrides", "", "--to mockoon: the overrides file (default DIR/.connectorlab/overrides.json when it exists)")
	var lf loadFlags
	lf.register(fs)
	pos, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(e.stderr, "connectorlab export: give one connector folder or definition file")
		return ExitUsage
	}
	if *to != "openapi3" && *to != "mockoon" {
		fmt.Fprintf(e.stderr, "connectorlab export: --to %q is not supported (use openapi3 or mockoon)\n", *to)
		return ExitUsage
	}
	var b []byte
	if *to == "mockoon" {
		res, err := create.ExportMockoon(ctx, create.ExportRequest{Path: pos[0], Overrides: *overrides})
		if err != nil {
			fmt.Fprintln(e.stderr, "connectorlab export:", err)
			return workflowExit(err)
		}
		for _, f := range res.Findings {
			fmt.Fprintf(e.stderr, "%s: %s [%s] %s\n", f.Location(), f.Level, f.ID, f.Message)
		}
		b = res.Document
	} else {
		c, err := lf.loader().Load(ctx, pos[0])
		if err != nil {
			fmt.Fprintln(e.stderr, "connectorlab export:", err)
			return loadExit(err)
		}
		if b, err = authoring.ExportOpenAPI3(c); err != nil {
			fmt.Fprintln(e.stderr, "connectorlab export:", err)
			return ExitInfra
		}
	}
	if *output == "" {
		if _, err := e.stdout.Write(b); err != nil {
			return ExitInfra
		}
		return ExitOK
	}
	if err := os.WriteFile(*output, b, 0o644); err != nil {
		fmt.Fprintln(e.stderr, "connectorlab export:", err)
		return ExitInfra
	}
	fmt.Fprintf(e.stderr, "wrote %s\n", *output)
	return ExitOK
}
