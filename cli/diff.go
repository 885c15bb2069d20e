package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/report"
	"github.com/connectorlab/connectorlab/contract/specdiff"
)

// reportFlags are the output flags shared by diff, test and drift.
type reportFlags struct {
	format, output, failOn string
	verbose                bool
}

func (rf *reportFlags) register(fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
}) {
	fs.StringVar(&rf.format, "format", "text", "report format: text, json, junit, html or github (Actions annotations)")
	fs.StringVar(&rf.output, "output", "", "write the report to this file instead of stdout")
	fs.StringVar(&rf.failOn, "fail-on", "error", "exit 1 when a finding is at or above this level: error, warning or info")
	fs.BoolVar(&rf.verbose, "v", false, "text format: also list info findings and passing cases")
}

// parse validates the flags; it returns the threshold and formatter or an
// exit code with the message already printed.
func (rf *reportFlags) parse(verb string, e *env) (contract.Level, report.Formatter, int, bool) {
	threshold, err := connector.ParseLevel(rf.failOn)
	if err != nil {
		fmt.Fprintf(e.stderr, "connectorlab %s: --fail-on: %v\n", verb, err)
		return 0, nil, ExitUsage, false
	}
	f, err := report.New(rf.format, report.Options{Color: e.color && rf.output == "" && rf.format == "text", Verbose: rf.verbose})
	if err != nil {
		fmt.Fprintf(e.stderr, "connectorlab %s: --format: %v\n", verb, err)
		return 0, nil, ExitUsage, false
	}
	return threshold, f, 0, true
}

// write renders the report where the flags say and returns the exit code
// it implies.
func (rf *reportFlags) write(verb string, e *env, f report.Formatter, r *contract.Report) int {
	var out io.Writer = e.stdout
	if rf.output != "" {
		file, err := os.Create(rf.output)
		if err != nil {
			fmt.Fprintf(e.stderr, "connectorlab %s: cannot write report: %v\n", verb, err)
			return ExitInfra
		}
		defer file.Close()
		out = file
	}
	if err := f.Format(out, r); err != nil {
		fmt.Fprintf(e.stderr, "connectorlab %s: writing report: %v\n", verb, err)
		return ExitInfra
	}
	if rf.output != "" {
		fmt.Fprintf(e.stderr, "report written to %s (%d errors, %d warnings, %d infos)\n", rf.output, r.Counts["error"], r.Counts["warning"], r.Counts["info"])
	}
	if !r.Passed {
		return ExitFindings
	}
	return ExitOK
}

func runDiff(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("diff", "OLD NEW", "Report breaking changes between two versions of a connector definition (folders with apiProperties.json, Swagger 2.0 or OpenAPI 3 files).\nLevels: error = breaking, warning = may break, info = compatible.", e)
	var rf reportFlags
	rf.register(fs)
	var lf loadFlags
	lf.register(fs)
	paths, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	if len(paths) != 2 {
		fmt.Fprintln(e.stderr, "connectorlab diff: give exactly two definitions: OLD NEW (folders or *.swagger.json files)")
		return ExitUsage
	}
	threshold, formatter, code, ok := rf.parse("diff", e)
	if !ok {
		return code
	}
	started := time.Now()
	loader := lf.loader()
	var sides [2]*connector.Connector
	for i, p := range paths {
		c, err := loader.Load(ctx, p)
		if err != nil {
			fmt.Fprintf(e.stderr, "connectorlab diff: %s: %v\n", []string{"OLD", "NEW"}[i], err)
			return loadExit(err)
		}
		sides[i] = c
	}
	r := &contract.Report{
		Tool: "connectorlab " + Version, Kind: contract.KindDiff, Connector: sides[1].Name,
		Old: paths[0], New: paths[1], Started: started, FailOn: threshold,
		CustomCode: sides[1].CustomCode != nil,
		Findings:   specdiff.Run(sides[0], sides[1]),
	}
	r.Duration = contract.Duration(time.Since(started))
	r.Finish()
	return rf.write("diff", e, formatter, r)
}
