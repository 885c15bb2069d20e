package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/workflow/customcode"
)

// loadFlags are the input-hardening flags every command that loads shares.
type loadFlags struct {
	maxSizeMB int
}

func (lf *loadFlags) register(fs interface {
	IntVar(*int, string, int, string)
}) {
	fs.IntVar(&lf.maxSizeMB, "max-size", connector.DefaultMaxBytes>>20, "refuse input files larger than this many MiB")
}

func (lf *loadFlags) loader() *connector.Loader {
	return &connector.Loader{MaxBytes: int64(lf.maxSizeMB) << 20}
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

type validateResult struct {
	Path      string              `json:"path"`
	Connector string              `json:"connector,omitempty"`
	Error     string              `json:"error,omitempty"`
	Findings  []connector.Finding `json:"findings"`
	Counts    map[string]int      `json:"counts"`
}

type validateReport struct {
	SchemaVersion int              `json:"schemaVersion"`
	Tool          string           `json:"tool"`
	FailOn        string           `json:"failOn"`
	Results       []validateResult `json:"results"`
	Passed        bool             `json:"passed"`
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
	loader := lf.loader()
	rep := validateReport{SchemaVersion: 1, Tool: "connectorlab " + Version, FailOn: threshold.String(), Passed: true}
	exit := ExitOK
	progress := len(paths) > 3 && isTerminal(e.stderr)
	for i, p := range paths {
		if progress {
			fmt.Fprintf(e.stderr, "\r[%d/%d] %s\x1b[K", i+1, len(paths), p)
		}
		r := validateResult{Path: p, Counts: map[string]int{}}
		c, err := loader.Load(ctx, p)
		if err != nil {
			r.Error = err.Error()
			rep.Passed = false
			exit = max(exit, loadExit(err))
			rep.Results = append(rep.Results, r)
			continue
		}
		r.Connector = c.Name
		r.Findings = connector.Lint(ctx, c)
		r.Findings = append(r.Findings, customcode.Findings(ctx, c, customcode.Options{Mode: customcode.Mode(cf.mode)})...)
		for _, f := range r.Findings {
			r.Counts[f.Level.String()]++
			if f.Level >= threshold {
				rep.Passed = false
				exit = max(exit, ExitFindings)
			}
		}
		rep.Results = append(rep.Results, r)
	}
	if progress {
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
	writeValidateText(out, rep, e.color && *output == "", *quiet)
	return exit
}

func colorize(on bool, level connector.Level, s string) string {
	if !on {
		return s
	}
	code := "36"
	switch level {
	case connector.LevelError:
		code = "31"
	case connector.LevelWarning:
		code = "33"
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func writeValidateText(w io.Writer, rep validateReport, color, quiet bool) {
	for _, r := range rep.Results {
		if r.Error != "" {
			fmt.Fprintf(w, "%s: %s\n", colorize(color, connector.LevelError, "cannot load"), r.Error)
			continue
		}
		if !quiet {
			for _, f := range r.Findings {
				fmt.Fprintf(w, "%s: %s [%s] %s\n", f.Location(), colorize(color, f.Level, f.Level.String()), f.ID, f.Message)
				if f.Fix != "" {
					fmt.Fprintf(w, "    fix: %s\n", f.Fix)
				}
			}
		}
		fmt.Fprintf(w, "%s (%s): %s\n", r.Connector, r.Path, countLine(r.Counts))
	}
	if len(rep.Results) > 1 {
		status := "passed"
		if !rep.Passed {
			status = "failed"
		}
		fmt.Fprintf(w, "%d connectors checked, %s (--fail-on %s)\n", len(rep.Results), status, rep.FailOn)
	}
}

func countLine(c map[string]int) string {
	parts := []string{}
	for _, l := range []string{"error", "warning", "info"} {
		n := c[l]
		word := l
		if n != 1 {
			word += "s"
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, word))
	}
	return strings.Join(parts, ", ")
}
