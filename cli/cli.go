package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/spelling"
)

// Exit codes, as documented in the README.
const (
	ExitOK       = 0 // nothing at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on
	ExitUsage    = 2 // bad arguments or an invalid definition
	ExitInfra    = 3 // the environment failed: unreadable files, ports, databases
)

// Version is set at build time with -ldflags "-X .../cli.Version=…".
var Version = "dev"

// env carries what every command needs; nothing global.
type env struct {
	stdout, stderr io.Writer
	log            *slog.Logger
	color          bool
}

type command struct {
	name, args, summary string
	run                 func(ctx context.Context, e *env, args []string) int
}

func commands() []command {
	return []command{
		{"mock", "PATH...", "serve connectors as mock APIs on localhost", runMock},
		{"trigger", "ls|fire", "list or fire the triggers of a running mock (admin API)", runTrigger},
		{"record", "PATH", "record live traffic through a redacting proxy into SQLite", runRecord},
		{"recordings", "VERB", "list, show, rename, remove, export (HAR/JSON) and import recordings", runRecordings},
		{"test", "PATH", "replay recordings (or generated requests) against a target: conformance + drift", runTest},
		{"drift", "PATH", "compare recorded traffic with the definition offline; --write-patch proposes a fix", runDrift},
		{"diff", "OLD NEW", "report breaking changes between two connector definitions", runDiff},
		{"validate", "PATH...", "lint connector definitions (certification-style checks with stable IDs)", runValidate},
		{"script", "test", "run the connector's custom code (script.csx) once and show what it changed", runScript},
		{"inspect", "PATH", "summarise a connector: auth, policies and its operations", runInspect},
		{"new", "DIR", "create a connector folder from blank, OpenAPI, Postman, HAR or a recording session", runNew},
		{"pack", "DIR", "check a connector folder as certification does and zip it for the portal and paconn", runPack},
		{"export", "DIR", "export a connector's definition as OpenAPI 3 (--to openapi3)", runExport},
		{"version", "", "print the version", func(_ context.Context, e *env, _ []string) int {
			fmt.Fprintln(e.stdout, "connectorlab", Version)
			return ExitOK
		}},
	}
}

// Run is the whole CLI: it parses args (without the program name), runs a
// command and returns the process exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, color: isTerminal(stdout) && os.Getenv("NO_COLOR") == ""}
	e.log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if len(args) == 0 {
		usage(e.stderr)
		return ExitUsage
	}
	name := args[0]
	switch name {
	case "-h", "--help", "help":
		usage(e.stdout)
		return ExitOK
	case "-V", "--version":
		name = "version"
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, e, args[1:])
		}
	}
	fmt.Fprintf(e.stderr, "connectorlab: unknown command %q%s\nRun 'connectorlab help' for the list of commands.\n", name, suggestCommand(name))
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Connector Lab: mock, record and contract-test Power Platform custom connectors.")
	fmt.Fprintln(w, "\nUsage:\n  connectorlab <command> [flags] [arguments]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-11s %-9s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "\nPATH is a connector folder, a Swagger 2.0 / OpenAPI 3 file (JSON or YAML) or a Postman collection.")
	fmt.Fprintln(w, "Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage error or invalid definition, 3 infrastructure error.")
	fmt.Fprintln(w, "Run 'connectorlab <command> -h' for a command's flags.")
}

func suggestCommand(name string) string {
	best, bestD := "", 3 // suggest only close typos
	for _, c := range commands() {
		if strings.HasPrefix(c.name, name) || strings.HasPrefix(name, c.name) {
			return fmt.Sprintf(" (did you mean %q?)", c.name)
		}
		if d := spelling.Distance(name, c.name); d < bestD {
			best, bestD = c.name, d
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

// parseFlags parses flags given before, between or after positional
// arguments, as users of other CLIs expect. It returns the positionals and
// an exit code when parsing ended the command (help or error).
func parseFlags(fs *flag.FlagSet, args []string, e *env) ([]string, int, bool) {
	fs.SetOutput(e.stderr)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, ExitOK, false
			}
			return nil, ExitUsage, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if rest[0] == "--" {
			pos = append(pos, rest[1:]...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	return pos, 0, true
}

func newFlagSet(name, args, summary string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: connectorlab %s [flags] %s\n\n%s\n\nFlags:\n", name, args, summary)
		fs.PrintDefaults()
	}
	return fs
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return isTTY(f) && os.Getenv("TERM") != "dumb"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
