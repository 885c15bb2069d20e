// Command connectorlab-desktop is the Connector Lab desktop app (Wails v2).
// Build it with `make app`; the headless CLI is cmd/connectorlab.
//
//	connectorlab-desktop [PATH] [--mock] [--mock-port N] [--mock-no-auth]
//
// PATH opens a connector at start-up; --mock also starts its mock.
package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/app"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// started is as close to process start as Go code gets, for the start-up
// benchmark (docs/PERFORMANCE.md).
var started = time.Now()

const usage = `usage: connectorlab-desktop [PATH] [--mock] [--mock-port N] [--mock-no-auth]

Opens the Connector Lab desktop window.

  PATH            a connector folder or definition file to open at start-up
  --mock          also start the mock of PATH
  --mock-port N   the port of that mock (default: any free port)
  --mock-no-auth  the mock accepts requests without credentials
  -h, --help      this text

The window needs a display (X11 or Wayland). Without one, use the CLI:
  connectorlab mock PATH     (go run ./cmd/connectorlab mock PATH)
`

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stderr))
}

// run is main without the process: args without the program name, the
// environment and where messages go. It returns the exit code: 0 after
// the window closed, 2 for a usage problem the user can fix (a flag, no
// display, a build without the desktop tags), 1 or 3 for a failure.
func run(args []string, getenv func(string) string, stderr io.Writer) int {
	cli, err := parseArgs(args)
	if errors.Is(err, errHelp) {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "connectorlab-desktop: %v\n\n%s", err, usage)
		return 2
	}
	if !desktopBuild {
		fmt.Fprintln(stderr, "connectorlab-desktop: this binary was built without the desktop build tags, so it cannot open a window.")
		fmt.Fprintln(stderr, "  Build the app with:   make app   (wails build -tags webkit2_41)")
		fmt.Fprintln(stderr, "  or by hand:           go build -tags desktop,production,webkit2_41 .")
		fmt.Fprintln(stderr, "  For the headless CLI: go run ./cmd/connectorlab")
		return 2
	}
	if needsDisplay {
		if msg := displayProblem(runtime.GOOS, getenv); msg != "" {
			fmt.Fprintln(stderr, "connectorlab-desktop:", msg)
			return 2
		}
	}
	// A desktop app idles most of the time: trade a little GC CPU for a
	// smaller heap (the user can still override with GOGC).
	if getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	for k, v := range webviewEnv(getenv) {
		if err := os.Setenv(k, v); err != nil {
			fmt.Fprintln(stderr, "connectorlab-desktop: cannot set", k+":", err)
		}
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	dist, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		fmt.Fprintln(stderr, "connectorlab-desktop: the embedded frontend is missing:", err)
		return 3
	}
	opts := app.Options{Assets: dist, Logger: log, Version: version, Started: started, ReadyFile: getenv("CONNECTORLAB_READY_FILE")}
	opts.OpenPath, opts.StartMock, opts.MockPort, opts.MockNoAuth = cli.path, cli.mock, cli.mockPort, cli.mockNoAuth
	d, err := app.New(opts)
	if err != nil {
		fmt.Fprintln(stderr, "connectorlab-desktop:", err)
		return 3
	}
	if err := d.Run(); err != nil {
		fmt.Fprintln(stderr, "connectorlab-desktop:", err)
		if errors.Is(err, app.ErrNoDesktopTags) {
			fmt.Fprintln(stderr, "  build with: go build -tags desktop,production,webkit2_41 .  (or make app)")
			return 2
		}
		return 1
	}
	return 0
}

// webviewEnv is the environment the window's web process needs set (WebKit
// starts it with ours), leaving alone what the user set. The window's
// JavaScript — forms and lists, idle most of the time — runs on JSC's
// interpreter, without its JIT tiers: their compilers and code cost the web
// process 34 MB with HubSpot CRM V2 open and 10,000 exchanges listed (20 MB
// the optimizing DFG/FTL tiers, 14 MB the baseline JIT), while screen
// switches, the filter and scrolling the 10,000-row list took the same
// frames with and without (docs/PERFORMANCE.md, "Desktop app").
// JSC_useJIT=true turns the JIT back on.
func webviewEnv(getenv func(string) string) map[string]string {
	env := map[string]string{}
	if getenv("JSC_useJIT") == "" {
		env["JSC_useJIT"] = "false"
	}
	return env
}

var errHelp = errors.New("help requested")

// cliArgs is what the command line asks for.
type cliArgs struct {
	path       string
	mock       bool
	mockPort   int
	mockNoAuth bool
}

// parseArgs reads the flags main knows. Other flags (and their values) are
// left to Wails' dev mode, which parses its own; the first argument that
// names an existing file or folder is the connector to open.
func parseArgs(args []string) (cliArgs, error) {
	var c cliArgs
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			name = ""
		}
		switch name {
		case "h", "help":
			return c, errHelp
		case "mock":
			c.mock = true
		case "mock-no-auth":
			c.mockNoAuth = true
		case "mock-port":
			if !hasValue {
				if i+1 >= len(args) {
					return c, fmt.Errorf("--mock-port needs a port number (0 picks a free one), e.g. --mock-port 4010")
				}
				i++
				value = args[i]
			}
			p, err := strconv.Atoi(value)
			if err != nil || p < 0 || p > 65535 {
				return c, fmt.Errorf("--mock-port %q is not a port: give a number from 0 to 65535 (0 picks a free one)", value)
			}
			c.mockPort = p
		case "":
			if c.path == "" && a != "" {
				if _, err := os.Stat(a); err == nil {
					c.path = a
				}
			}
		}
	}
	if c.mock && c.path == "" {
		return c, fmt.Errorf("--mock needs a connector: pass the path of a connector folder or definition file that exists")
	}
	return c, nil
}

// openArg returns the first argument that names an existing file or
// folder: a connector to open at start-up.
func openArg(args []string) string {
	c, _ := parseArgs(args)
	return c.path
}

// displayProblem says why no window can open on this system, or "" when
// one can. On Linux and the BSDs GTK needs an X11 or Wayland display; it
// would otherwise abort deep inside the toolkit.
func displayProblem(goos string, getenv func(string) string) string {
	switch goos {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
	default:
		return ""
	}
	if getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != "" {
		return ""
	}
	return "no display: neither DISPLAY nor WAYLAND_DISPLAY is set, so the window cannot open.\n" +
		"  Run it from a desktop session, over ssh -X, or under a virtual display: xvfb-run connectorlab-desktop\n" +
		"  Without a window, the CLI does the same work: connectorlab mock PATH"
}
