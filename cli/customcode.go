package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/scripthost"
	"github.com/connectorlab/connectorlab/workflow/customcode"
)

// codeFlags are --custom-code and --script-timeout, shared by mock,
// record and test.
type codeFlags struct {
	mode    string
	timeout time.Duration
}

func (cf *codeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&cf.mode, "custom-code", "", "run the connector's script.csx as the gateway does: on or off (default: on when Mono is installed, else a warning)")
	fs.DurationVar(&cf.timeout, "script-timeout", scripthost.DefaultTimeout, "limit of one run of the custom code (the gateway's is 5s)")
}

// start starts c's script host per the flags; nil when none runs. A
// warning goes to stderr; an error is printed and its exit code returned.
func (cf *codeFlags) start(ctx context.Context, e *env, cmd string, c *connector.Connector) (*scripthost.Runner, int) {
	mode, err := customcode.ParseMode(cf.mode)
	if err != nil {
		fmt.Fprintf(e.stderr, "connectorlab %s: %v\n", cmd, err)
		return nil, ExitUsage
	}
	if cf.timeout <= 0 {
		fmt.Fprintf(e.stderr, "connectorlab %s: --script-timeout %s must be positive (the gateway's limit is 5s)\n", cmd, cf.timeout)
		return nil, ExitUsage
	}
	r, warn, err := customcode.Start(ctx, c, customcode.Options{Mode: mode, Timeout: cf.timeout, Logger: e.log})
	if err != nil {
		fmt.Fprintf(e.stderr, "connectorlab %s: %v\n", cmd, err)
		return nil, workflowExit(err)
	}
	if warn != "" {
		fmt.Fprintf(e.stderr, "connectorlab %s: warning: %s\n", cmd, warn)
	}
	if r != nil {
		n := 0
		for _, op := range c.Operations {
			if op.CustomCode {
				n++
			}
		}
		fmt.Fprintf(e.stderr, "Custom code: %s runs for %d operations (limit %s; --custom-code=off skips it)\n", c.CustomCode.File, n, cf.timeout)
	}
	return r, ExitOK
}

// parsedMode is the --custom-code mode; Off when cf is nil.
func (cf *codeFlags) parsedMode() (customcode.Mode, error) {
	if cf == nil {
		return customcode.Off, nil
	}
	return customcode.ParseMode(cf.mode)
}
