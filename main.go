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
	"io/fs"
	"log/slog"
	"os"
	"runtime/debug"
	"time"

	"github.com/connectorlab/connectorlab/app"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// started is as close to process start as Go code gets, for the start-up
// benchmark (docs/PERFORMANCE.md).
var started = time.Now()

func main() {
	os.Exit(run())
}

func run() int {
	if !desktopBuild {
		fmt.Fprintln(os.Stderr, "connectorlab-desktop: this binary was built without the desktop build tags, so it cannot open a window.")
		fmt.Fprintln(os.Stderr, "  Build the app with:   make app   (wails build -tags webkit2_41)")
		fmt.Fprintln(os.Stderr, "  or by hand:           go build -tags desktop,production,webkit2_41 .")
		fmt.Fprintln(os.Stderr, "  For the headless CLI: go run ./cmd/connectorlab")
		return 2
	}
	// A desktop app idles most of the time: trade a little GC CPU for a
	// smaller heap (the user can still override with GOGC).
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	dist, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		fmt.Fprintln(os.Stderr, "connectorlab-desktop: the embedded frontend is missing:", err)
		return 3
	}
	opts := app.Options{Assets: dist, Logger: log, Version: version, Started: started, ReadyFile: os.Getenv("CONNECTORLAB_READY_FILE")}
	if p := openArg(os.Args[1:]); p != "" {
		opts.OpenPath = p
	}
	for i, a := range os.Args[1:] {
		switch {
		case a == "--mock" || a == "-mock":
			opts.StartMock = true
		case a == "--mock-no-auth" || a == "-mock-no-auth":
			opts.MockNoAuth = true
		case (a == "--mock-port" || a == "-mock-port") && i+2 < len(os.Args):
			fmt.Sscan(os.Args[i+2], &opts.MockPort)
		}
	}
	d, err := app.New(opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "connectorlab-desktop:", err)
		return 3
	}
	if err := d.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "connectorlab-desktop:", err)
		if errors.Is(err, app.ErrNoDesktopTags) {
			fmt.Fprintln(os.Stderr, "  build with: go build -tags desktop,production,webkit2_41 .  (or make app)")
			return 2
		}
		return 1
	}
	return 0
}

// openArg returns the first argument that names an existing file or
// folder: a connector to open at start-up. Flags (and their values) are
// left to Wails' dev mode, which parses its own.
func openArg(args []string) string {
	for _, a := range args {
		if a == "" || a[0] == '-' {
			continue
		}
		if _, err := os.Stat(a); err == nil {
			return a
		}
	}
	return ""
}
