package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/connectorlab/connectorlab/authoring"
)

func runExport(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("export", "DIR --to openapi3", "Write a connector's definition as an OpenAPI 3 JSON document (x-ms-* extensions kept;\n"+
		"apiProperties.json travels in x-connectorlab-api-properties, so 'connectorlab new --from' gives the connector back).", e)
	to := fs.String("to", "openapi3", "target format: openapi3")
	output := fs.String("output", "", "file to write (default stdout)")
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
	if *to != "openapi3" {
		fmt.Fprintf(e.stderr, "connectorlab export: --to %q is not supported (use openapi3)\n", *to)
		return ExitUsage
	}
	c, err := lf.loader().Load(ctx, pos[0])
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab export:", err)
		return loadExit(err)
	}
	b, err := authoring.ExportOpenAPI3(c)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab export:", err)
		return ExitInfra
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
