package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/workflow/catalog"
)

func runInspect(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("inspect", "PATH", "Summarise a connector: files, auth, policies and a table of its operations.", e)
	format := fs.String("format", "text", "output format: text or json")
	var lf loadFlags
	lf.register(fs)
	paths, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	if len(paths) != 1 {
		fmt.Fprintln(e.stderr, "connectorlab inspect: give exactly one PATH")
		return ExitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(e.stderr, "connectorlab inspect: --format %q is not supported (use text or json)\n", *format)
		return ExitUsage
	}
	c, err := lf.loader().Load(ctx, paths[0])
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab inspect:", err)
		return loadExit(err)
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			SchemaVersion int `json:"schemaVersion"`
			*connector.Connector
		}{1, c}); err != nil {
			fmt.Fprintln(e.stderr, "connectorlab inspect:", err)
			return ExitInfra
		}
		return ExitOK
	}
	catalog.WriteInspect(e.stdout, c, paths[0])
	return ExitOK
}
