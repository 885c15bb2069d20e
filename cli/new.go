package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
	"github.com/connectorlab/connectorlab/workflow/catalog"
	"github.com/connectorlab/connectorlab/workflow/create"
)

func runNew(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("new", "DIR --from FILE|blank|SESSION",
		"Create a connector folder (apiDefinition.swagger.json, apiProperties.json, settings.json, README.md) from blank,\n"+
			"an OpenAPI 3.0/3.1 or Swagger 2.0 file (JSON or YAML), a Postman collection v1/v2, a HAR file, or a recording\n"+
			"session (--from SESSION --db FILE). Everything the conversion loses is reported with a stable ID and its source location.\n"+
			"--merge DEFINITION adds what the traffic shows to an existing definition, keeping its formatting and key order.", e)
	from := fs.String("from", "", "source: a file, a connector folder, 'blank', or a session name/#id with --db (required)")
	db := fs.String("db", "", "recordings database: --from names one of its sessions")
	auth := fs.String("auth", "", "authentication: "+strings.Join(authoring.AuthKinds, "|")+" (default: what the source declares)")
	sp := fs.Bool("service-principal", false, "with --auth aad: add a Microsoft Entra ID client-credentials (service principal) option")
	keyName := fs.String("api-key-name", "", "with --auth apikey: header or query name of the key (default X-API-Key)")
	keyIn := fs.String("api-key-in", "", "with --auth apikey: header or query (default header)")
	name := fs.String("name", "", "connector title (default: the source's)")
	color := fs.String("icon-color", "", "iconBrandColor (default "+authoring.DefaultBrandColor+")")
	publisher := fs.String("publisher", "", "publisher for apiProperties.json")
	stackOwner := fs.String("stack-owner", "", "stackOwner for apiProperties.json")
	force := fs.Bool("force", false, "overwrite a connector already in DIR")
	merge := fs.String("merge", "", "add what the traffic (--from SESSION or a .har) shows to this existing apiDefinition.swagger.json")
	format := fs.String("format", "text", "findings output: text or json")
	var lf loadFlags
	lf.register(fs)
	pos, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(e.stderr, "connectorlab new: --format %q is not supported (use text or json)\n", *format)
		return ExitUsage
	}
	if *from == "" {
		fmt.Fprintln(e.stderr, "connectorlab new: give --from FILE, --from blank, or --from SESSION --db FILE")
		return ExitUsage
	}
	if len(pos) > 1 || (len(pos) == 0 && *merge == "") {
		fmt.Fprintln(e.stderr, "connectorlab new: give one DIR to write the connector into (or --merge DEFINITION)")
		return ExitUsage
	}
	if *keyIn != "" && *keyIn != "header" && *keyIn != "query" {
		fmt.Fprintf(e.stderr, "connectorlab new: --api-key-in %q: use header or query\n", *keyIn)
		return ExitUsage
	}
	req := create.Request{From: *from, MaxBytes: int64(lf.maxSizeMB) << 20, Log: e.log,
		Options: authoring.Options{Name: *name, Auth: strings.ToLower(*auth), ServicePrincipal: *sp, APIKeyName: *keyName, APIKeyIn: *keyIn,
			IconBrandColor: *color, Publisher: *publisher, StackOwner: *stackOwner}}
	if *db != "" {
		if _, err := os.Stat(*db); err != nil {
			fmt.Fprintf(e.stderr, "connectorlab new: --db %s: %v (record a session with 'connectorlab record')\n", *db, errText(err))
			return ExitUsage
		}
		store, err := sqlite.Open(ctx, *db, sqlite.Options{ReadOnly: true, Logger: e.log})
		if err != nil {
			fmt.Fprintln(e.stderr, "connectorlab new:", err)
			return ExitInfra
		}
		defer store.Close()
		req.Store, req.StoreFile = store, *db
	}
	if *merge != "" {
		res, err := create.Merge(ctx, create.MergeRequest{Definition: *merge, Traffic: req})
		if err != nil {
			fmt.Fprintln(e.stderr, "connectorlab new:", err)
			return workflowExit(err)
		}
		out := *merge
		if len(pos) == 1 {
			out = filepath.Join(pos[0], authoring.DefinitionFile)
		}
		if err := os.WriteFile(out, res.Document, 0o644); err != nil {
			fmt.Fprintln(e.stderr, "connectorlab new:", err)
			return ExitInfra
		}
		fmt.Fprintf(e.stderr, "merged into %s (%d changes):\n", out, len(res.Changes))
		for _, ch := range res.Changes {
			fmt.Fprintln(e.stderr, "  "+ch)
		}
		return ExitOK
	}
	res, err := create.New(ctx, req)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab new:", err)
		return workflowExit(err)
	}
	if err := res.Folder.Write(pos[0], *force); err != nil {
		fmt.Fprintln(e.stderr, "connectorlab new:", err)
		if os.IsPermission(err) {
			return ExitInfra
		}
		return ExitUsage
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		findings := res.Folder.Findings
		if findings == nil {
			findings = []connector.Finding{}
		}
		if err := enc.Encode(map[string]any{"schemaVersion": 1, "dir": pos[0], "source": res.Source, "operations": res.Operations, "findings": findings}); err != nil {
			return ExitInfra
		}
		return ExitOK
	}
	counts := map[string]int{}
	for _, f := range res.Folder.Findings {
		fmt.Fprintf(e.stdout, "%s: %s [%s] %s\n", f.Location(), catalog.Colorize(e.color, f.Level, f.Level.String()), f.ID, f.Message)
		if f.Fix != "" {
			fmt.Fprintf(e.stdout, "    fix: %s\n", f.Fix)
		}
		counts[f.Level.String()]++
	}
	fmt.Fprintf(e.stdout, "wrote %s from %s (%s): %d operations; %s\n", pos[0], *from, res.Source, res.Operations, catalog.CountLine(counts))
	fmt.Fprintf(e.stdout, "next: connectorlab validate %s && connectorlab mock %s\n", pos[0], pos[0])
	return ExitOK
}
