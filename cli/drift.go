package cli

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/replay"
	"github.com/connectorlab/connectorlab/workflow/suite"
)

func runDrift(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("drift", "PATH --recordings FILE",
		"Compare recorded traffic with the definition at PATH, offline: undocumented fields, required fields traffic lacks,\n"+
			"type mismatches and undocumented statuses, each with how often it occurs. --write-patch proposes an updated\n"+
			"apiDefinition.swagger.json whose response schemas match the traffic.", e)
	var rf reportFlags
	rf.register(fs)
	var lf loadFlags
	lf.register(fs)
	recs := fs.String("recordings", "", "recordings: a SQLite file written by 'connectorlab record' or a .har file (required)")
	session := fs.String("session", "", "only this session (name or #id); default: every session of the connector")
	patch := fs.String("write-patch", "", "write the proposed definition to this file")
	noHistory := fs.Bool("no-history", false, "do not write the run to the recordings file's run history")
	paths, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	if len(paths) != 1 || *recs == "" {
		fmt.Fprintln(e.stderr, "connectorlab drift: give one PATH and --recordings FILE")
		return ExitUsage
	}
	threshold, formatter, code, ok := rf.parse("drift", e)
	if !ok {
		return code
	}
	c, err := lf.loader().Load(ctx, paths[0])
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab drift:", err)
		return loadExit(err)
	}
	if *patch != "" && c.Format != connector.FormatSwagger2 {
		fmt.Fprintln(e.stderr, "connectorlab drift: --write-patch needs a Swagger 2.0 definition (apiDefinition.swagger.json)")
		return ExitUsage
	}
	started := time.Now()
	inputs, store, code := loadRecordings(ctx, e, "drift", *recs, *session, c.Name)
	if code != ExitOK {
		return code
	}
	if store != nil {
		defer store.Close()
	}
	tr, n, err := suite.Traffic(ctx, c, inputs)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab drift:", err)
		return workflowExit(err)
	}
	rep := &contract.Report{Tool: "connectorlab " + Version, Kind: contract.KindDrift, Connector: c.Name, Recordings: *recs,
		Started: started, FailOn: threshold, CustomCode: c.CustomCode != nil, Findings: tr.Findings()}
	rep.Duration = contract.Duration(time.Since(started))
	contract.LocateOperations(rep, c)
	rep.Finish()
	if n == 0 {
		fmt.Fprintf(e.stderr, "connectorlab drift: %s has no recorded responses to compare\n", *recs)
	}
	if *patch != "" {
		res, err := tr.Patch().Build()
		if err != nil {
			fmt.Fprintln(e.stderr, "connectorlab drift: --write-patch:", err)
			return ExitInfra
		}
		if err := os.WriteFile(*patch, res.Document, 0o644); err != nil {
			fmt.Fprintln(e.stderr, "connectorlab drift: --write-patch:", err)
			return ExitInfra
		}
		fmt.Fprintf(e.stderr, "proposed definition written to %s (%d changes):\n", *patch, len(res.Changes))
		for _, ch := range res.Changes {
			fmt.Fprintln(e.stderr, "  "+ch)
		}
	}
	if store != nil && !*noHistory {
		var sid int64
		if len(inputs) == 1 {
			sid = inputs[0].SessionID
		}
		if _, err := replay.SaveRun(ctx, store, rep, "drift", sid); err != nil {
			fmt.Fprintf(e.stderr, "connectorlab drift: run history not saved: %v\n", err)
		}
	}
	return rf.write("drift", e, formatter, rep)
}
