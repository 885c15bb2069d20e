package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/workflow/catalog"
	"github.com/connectorlab/connectorlab/workflow/customcode"
)

// loadFlags are the input-hardening flags every command that loads shares.
type loadFlags struct {
	maxSizeMB int
	maxNodes  int
}

func (lf *loadFlags) register(fs interface {
	IntVar(*int, string, int, string)
}) {
	fs.IntVar(&lf.maxSizeMB, "max-size", connector.DefaultMaxBytes>>20, "refuse input files larger than this many MiB")
	fs.IntVar(&lf.maxNodes, "max-nodes", connector.DefaultMaxNodes, "refuse definitions with more JSON values (objects, properties, items) than this; memory and time grow with it")
}

func (lf *loadFlags) loader() *connector.Loader {
	return &connector.Loader{MaxBytes: int64(lf.maxSizeMB) << 20, MaxNodes: lf.maxNodes}
}

// loadExit maps a load error to an exit code: a definition that cannot be
// read as one is a usage-class error (2); a file system failure is 3.
func loadExit(err error) int {
	var le *connector.LoadError
	if errors.As(err, &le) {
		var pe *os.PathError
		if errors.As(err, &pe) && !errors.Is(err, os.ErrNotExist) {
			return ExitInfra
		}
		return ExitUsage
	}
	if errors.Is(err, context.Canceled) {
		return ExitInfra
	}
	return ExitInfra
}

func runValidate(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("validate", "PATH...", "Lint connector definitions. Each finding has a stable ID, a level and file:line:col.", e)
	format := fs.String("format", "text", "output format: text or json")
	failOn := fs.String("fail-on", "error", "exit 1 when a finding is at or above this level: error, warning or info")
	output := fs.String("output", "", "write the report to this file instead of stdout")
	quiet := fs.Bool("quiet", false, "text format: print only the summary line per connector")
	var lf loadFlags
	lf.register(fs)
	var cf codeFlags
	cf.register(fs)
	paths, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	if len(paths) == 0 {
		fmt.Fprintln(e.stderr, "connectorlab validate: give at least one PATH (connector folder, OpenAPI file or Postman collection)")
		return ExitUsage
	}
	threshold, err := connector.ParseLevel(*failOn)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab validate: --fail-on:", err)
		return ExitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(e.stderr, "connectorlab validate: --format %q is not supported (use text or json)\n", *format)
		return ExitUsage
	}
	out := e.stdout
	if *output != "" {
		f, err := os.Create(*output)
		if err != nil {
			fmt.Fprintln(e.stderr, "connectorlab validate:", err)
			return ExitInfra
		}
		defer f.Close()
		out = f
	}
	var progress func(i, n int, p string)
	if len(paths) > 3 && isTerminal(e.stderr) {
		progress = func(i, n int, p string) { fmt.Fprintf(e.stderr, "\r[%d/%d] %s\x1b[K", i+1, n, p) }
	}
	mode, err := customcode.ParseMode(cf.mode)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab validate:", err)
		return workflowExit(err)
	}
	rep := catalog.Validate(ctx, lf.loader(), paths, threshold, "connectorlab "+Version, mode, progress)
	exit := ExitOK
	if rep.Findings {
		exit = ExitFindings
	}
	for _, r := range rep.Results {
		if r.Err != nil {
			exit = max(exit, loadExit(r.Err))
		}
	}
	if progress != nil {
		fmt.Fprint(e.stderr, "\r\x1b[K")
	}
	if *format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintln(e.stderr, "connectorlab validate:", err)
			return ExitInfra
		}
		return exit
	}
	catalog.WriteValidate(out, rep, e.color && *output == "", *quiet)
	return exit
}
