package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/connectorlab/connectorlab/mock/admin"
	"github.com/connectorlab/connectorlab/workflow"
	"github.com/connectorlab/connectorlab/workflow/triggers"
)

// runTrigger is `connectorlab trigger ls|fire`: it drives the triggers of a
// running `connectorlab mock` through its admin API.
func runTrigger(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("trigger", "ls | fire OPERATION", "List the triggers, subscriptions and polling cursors of a running mock, or fire an event.\n"+
		"The admin token comes from "+admin.TokenEnv+" or the token file the mock wrote for --admin-port.\n"+
		"fire exits 1 when an event reaches no subscriber or a delivery fails.", e)
	port := fs.Int("admin-port", DefaultAdminPort, "admin port of the running mock")
	conn := fs.String("connector", "", "connector name, when the mock serves several")
	count := fs.Int("count", 1, "fire: number of events")
	sub := fs.String("subscription", "", "fire: only this webhook subscription")
	payload := fs.String("payload", "", "fire: JSON file with the payload (webhook) or item (polling); - reads stdin")
	format := fs.String("format", "text", "output: text or json")
	wait := fs.Bool("wait", false, "fire: wait for the deliveries and exit 1 if one failed (default: return at once with the delivery ids; trigger ls shows how they went)")
	rest, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	fail := func(err error) int {
		fmt.Fprintln(e.stderr, "connectorlab trigger:", err)
		return workflowExit(err)
	}
	if len(rest) == 0 || (rest[0] != "ls" && rest[0] != "fire") || (rest[0] == "fire" && len(rest) != 2) || (rest[0] == "ls" && len(rest) != 1) {
		return fail(workflow.Usage("no verb", "use `trigger ls` or `trigger fire OPERATION`"))
	}
	if *format != "text" && *format != "json" {
		return fail(workflow.Usage(fmt.Sprintf("--format %q is not known", *format), "use text or json"))
	}
	cl, err := triggers.Connect(*port, os.Getenv)
	if err != nil {
		return fail(err)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	if rest[0] == "ls" {
		l, err := cl.List(ctx, *conn)
		if err != nil {
			return fail(err)
		}
		if *format == "json" {
			_ = enc.Encode(l)
		} else {
			triggers.WriteList(e.stdout, l, *conn)
		}
		return ExitOK
	}
	res, err := cl.Fire(ctx, triggers.FireSpec{Connector: *conn, OperationID: rest[1], Count: *count, Subscription: *sub, Payload: *payload, Stdin: os.Stdin, Wait: *wait})
	if err != nil {
		return fail(err)
	}
	if *format == "json" {
		_ = enc.Encode(res)
	} else {
		triggers.WriteFire(e.stdout, res)
	}
	if o := triggers.Judge(res); !o.OK() {
		for _, l := range triggers.IdleLines(res) {
			fmt.Fprintln(e.stderr, "connectorlab trigger:", l)
		}
		return ExitFindings
	}
	if !*wait && *format == "text" {
		fmt.Fprintln(e.stdout, "Deliveries run in the background; connectorlab trigger ls shows their attempts and result.")
	}
	return ExitOK
}
