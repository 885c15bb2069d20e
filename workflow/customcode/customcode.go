package customcode

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/scripthost"
	"github.com/connectorlab/connectorlab/workflow"
)

// Mode is the --custom-code setting.
type Mode string

// Modes: "" is auto (on when the host is available).
const (
	Auto Mode = ""
	On   Mode = "on"
	Off  Mode = "off"
)

// ParseMode parses a --custom-code value.
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return Auto, nil
	case "on", "true":
		return On, nil
	case "off", "false":
		return Off, nil
	}
	return Auto, workflow.Usage(fmt.Sprintf("--custom-code %q is not off or on", s), "use --custom-code=on to run the connector's script.csx, --custom-code=off to ignore it")
}

// Options configure the script host of a front door.
type Options struct {
	Mode Mode
	// Timeout per call (0: the gateway's 5 s).
	Timeout  time.Duration
	CacheDir string
	Logger   *slog.Logger
}

// Start starts the script host of c when c has a script and the mode
// allows it. It returns nil and no error when there is nothing to run;
// warning is set when the script is skipped because the host is missing
// or does not compile (auto mode). With mode on, a script that does not
// compile, or a missing host, is a usage error naming script.csx:line:col
// or the install command.
func Start(ctx context.Context, c *connector.Connector, o Options) (r *scripthost.Runner, warning string, err error) {
	if c.CustomCode == nil || o.Mode == Off {
		return nil, "", nil
	}
	eng, ferr := scripthost.FindEngine()
	if ferr != nil {
		if o.Mode == On {
			return nil, "", &workflow.Error{Kind: workflow.KindUsage, Message: "--custom-code=on: " + ferr.Error(), Fix: scripthost.InstallHint, Err: ferr}
		}
		return nil, fmt.Sprintf("%s has custom code (%s) that will NOT run: %v. Responses are the codeless definition's; pass --custom-code=off to silence this", c.Name, c.CustomCode.File, ferr), nil
	}
	src, rerr := scripthost.ReadSource(c.CustomCode.File)
	if rerr != nil {
		return nil, "", &workflow.Error{Kind: workflow.KindUsage, Message: rerr.Error(), Fix: "check the connector folder's script.csx", Err: rerr}
	}
	h, herr := scripthost.New(ctx, src, scripthost.Options{Engine: eng, CacheDir: o.CacheDir, Timeout: o.Timeout, Logger: o.Logger})
	if herr != nil {
		if _, isCompile := scripthost.IsCompileError(herr); isCompile && o.Mode == Auto {
			// Often a limit of the Mono compiler rather than of the script:
			// keep the old behaviour and say so; --custom-code=on refuses.
			return nil, fmt.Sprintf("%s's custom code does not compile here, so it will NOT run (--custom-code=on makes this an error):\n%s", c.Name, herr), nil
		}
		return nil, "", Error(herr)
	}
	r = scripthost.NewRunner(h, c, nil)
	if o.Logger != nil {
		r.Log = o.Logger
	}
	return r, "", nil
}

// Error maps a script host error onto a workflow error.
func Error(err error) error {
	if ce, ok := scripthost.IsCompileError(err); ok {
		fix := "fix the script (the portal would refuse it too), or run without it: --custom-code=off"
		switch ce.Kind {
		case "language", "syntax", "engine":
			fix = "the Mono compiler here knows C# up to 7.x; rewrite the newer construct, or run without the script: --custom-code=off"
		case "api":
			fix = "the host's .NET libraries lack this member (Mono, Newtonsoft.Json 6); use an equivalent, or --custom-code=off"
		}
		return &workflow.Error{Kind: workflow.KindUsage, Message: "custom code does not compile:\n" + ce.Error(), Fix: fix, Err: err}
	}
	if errors.Is(err, scripthost.ErrUnavailable) {
		return &workflow.Error{Kind: workflow.KindUsage, Message: err.Error(), Fix: scripthost.InstallHint, Err: err}
	}
	return &workflow.Error{Kind: workflow.KindInfra, Message: "the custom-code host failed: " + err.Error(), Fix: "run with --custom-code=off to serve without the script", Err: err}
}

// Unit is what runs a script in front of a mock (mockhost.Unit).
type Unit interface {
	UseCustomCode(r *scripthost.Runner)
}

// Reload recompiles c's script after an edit and puts it in front of u.
// A script that no longer compiles keeps the last good one running; the
// error names script.csx:line:col. recompiled says a new script runs.
func Reload(ctx context.Context, u Unit, c *connector.Connector, o Options) (recompiled bool, err error) {
	if c.CustomCode == nil || o.Mode == Off {
		return false, nil
	}
	o.Mode = On
	r, _, err := Start(ctx, c, o)
	switch {
	case errors.Is(err, scripthost.ErrUnavailable):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("custom code of %s not reloaded, still running the last good version: %w", c.Name, err)
	case r == nil:
		return false, nil
	}
	u.UseCustomCode(r)
	return true, nil
}
