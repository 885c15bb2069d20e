package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/connectorlab/connectorlab/contract/report"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

const recordingsUsage = `Usage: connectorlab recordings <ls|show|rm|rename|export|import> [flags] [arguments]

  ls                          list sessions
  show SESSION [--exchange ID] a session and its exchanges, or one exchange in full
  rm SESSION...               delete sessions and their exchanges
  rename SESSION NEW-NAME     rename a session
  export SESSION              write a session as HAR 1.2 (--format har) or JSON (--format json)
  import FILE                 make a session from a HAR 1.2 file or a JSON export

SESSION is a session name or its numeric id. Every verb takes --db FILE (default $` + DBEnv + ` or recordings.db).
`

func runRecordings(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, recordingsUsage)
		return ExitUsage
	}
	verbs := map[string]func(context.Context, *env, []string) int{
		"ls": recLs, "list": recLs, "show": recShow, "rm": recRm, "rename": recRename, "export": recExport, "import": recImport,
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprint(e.stdout, recordingsUsage)
		return ExitOK
	}
	fn, ok := verbs[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "connectorlab recordings: unknown verb %q\n\n%s", args[0], recordingsUsage)
		return ExitUsage
	}
	return fn(ctx, e, args[1:])
}

// openRecordings opens the store and maps failures to an exit code.
func openRecordings(ctx context.Context, e *env, verb, db string, readOnly bool) (*sqlite.Store, int) {
	// Only import may create the file; rm and rename of a mistyped --db
	// must not leave an empty database behind.
	s, err := sqlite.Open(ctx, db, sqlite.Options{ReadOnly: readOnly, Existing: verb != "import", Logger: e.log})
	if err != nil {
		fmt.Fprintf(e.stderr, "connectorlab recordings %s: %v\n", verb, err)
		return nil, ExitInfra
	}
	return s, ExitOK
}

// findSession resolves a session name or id.
func findSession(ctx context.Context, s recordings.Store, ref string) (*recordings.Session, error) {
	return recordings.PickSession(ctx, s, ref, "")
}

func sessionExit(err error) int {
	if errors.Is(err, recordings.ErrNotFound) || errors.Is(err, recordings.ErrExists) {
		return ExitUsage
	}
	return ExitInfra
}

func recFlags(e *env, verb, args, summary string) (*flag.FlagSet, *string) {
	fs := newFlagSet("recordings "+verb, args, summary, e)
	db := fs.String("db", defaultDB(), "recordings database file (env "+DBEnv+")")
	return fs, db
}

func recLs(ctx context.Context, e *env, args []string) int {
	fs, db := recFlags(e, "ls", "", "List recording sessions, newest first.")
	format := fs.String("format", "text", "output format: text or json")
	connectorName := fs.String("connector", "", "only sessions of this connector")
	tag := fs.String("tag", "", "only sessions with this tag")
	pos, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	if len(pos) > 0 || (*format != "text" && *format != "json") {
		fmt.Fprintln(e.stderr, "connectorlab recordings ls: takes no arguments; --format is text or json")
		return ExitUsage
	}
	s, code := openRecordings(ctx, e, "ls", *db, true)
	if s == nil {
		return code
	}
	defer s.Close()
	list, err := s.ListSessions(ctx, recordings.SessionFilter{Connector: *connectorName, Tag: *tag})
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab recordings ls:", err)
		return ExitInfra
	}
	if *format == "json" {
		return writeJSON(e, "ls", struct {
			SchemaVersion int                   `json:"schemaVersion"`
			Sessions      []*recordings.Session `json:"sessions"`
		}{1, nonNilSessions(list)})
	}
	if len(list) == 0 {
		fmt.Fprintf(e.stdout, "no sessions in %s\n", s.Path())
		return ExitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tCONNECTOR\tSTATUS\tEXCHANGES\tSTARTED\tUPSTREAM")
	for _, x := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\n", x.ID, pr(x.Name), pr(dash(x.Connector)), x.Status, x.Exchanges, x.StartedAt.Local().Format("2006-01-02 15:04:05"), pr(dash(x.Upstream)))
	}
	tw.Flush()
	return ExitOK
}

func nonNilSessions(v []*recordings.Session) []*recordings.Session {
	if v == nil {
		return []*recordings.Session{}
	}
	return v
}

func recShow(ctx context.Context, e *env, args []string) int {
	fs, db := recFlags(e, "show", "SESSION", "Show a session and its exchanges, or one exchange in full with --exchange.")
	format := fs.String("format", "text", "output format: text or json")
	xid := fs.Int64("exchange", 0, "show this exchange in full (headers and bodies)")
	limit := fs.Int("limit", 100, "list at most this many exchanges (0: all)")
	pos, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	if (len(pos) != 1 && *xid == 0) || (*format != "text" && *format != "json") {
		fmt.Fprintln(e.stderr, "connectorlab recordings show: give one SESSION (or --exchange ID); --format is text or json")
		return ExitUsage
	}
	s, code := openRecordings(ctx, e, "show", *db, true)
	if s == nil {
		return code
	}
	defer s.Close()
	if *xid != 0 {
		x, err := s.Exchange(ctx, *xid)
		if err != nil {
			fmt.Fprintln(e.stderr, "connectorlab recordings show:", err)
			return sessionExit(err)
		}
		s.Redact(ctx, x)
		if *format == "json" {
			return writeJSON(e, "show", x)
		}
		writeExchangeText(e.stdout, x)
		return ExitOK
	}
	sess, err := findSession(ctx, s, pos[0])
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab recordings show:", err)
		return sessionExit(err)
	}
	page, err := s.ListExchanges(ctx, recordings.ExchangeFilter{SessionID: sess.ID, Limit: *limit, NoBodies: true})
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab recordings show:", err)
		return ExitInfra
	}
	if *format == "json" {
		return writeJSON(e, "show", struct {
			SchemaVersion int                    `json:"schemaVersion"`
			Session       *recordings.Session    `json:"session"`
			Exchanges     []*recordings.Exchange `json:"exchanges"`
			More          bool                   `json:"more,omitempty"`
		}{1, sess, page.Exchanges, page.Next != 0})
	}
	fmt.Fprintf(e.stdout, "session %d %q  connector %s  status %s", sess.ID, sess.Name, pr(dash(sess.Connector)), sess.Status)
	if sess.Problem != "" {
		fmt.Fprintf(e.stdout, " (%s)", pr(sess.Problem))
	}
	fmt.Fprintf(e.stdout, "\n  upstream %s  started %s", pr(dash(sess.Upstream)), sess.StartedAt.Local().Format(time.RFC3339))
	if !sess.EndedAt.IsZero() {
		fmt.Fprintf(e.stdout, "  ended %s", sess.EndedAt.Local().Format(time.RFC3339))
	}
	fmt.Fprintf(e.stdout, "  %d exchanges\n", sess.Exchanges)
	if len(sess.Tags) > 0 {
		fmt.Fprintf(e.stdout, "  tags %s\n", pr(strings.Join(sess.Tags, ", ")))
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nID\tMETHOD\tPATH\tSTATUS\tOPERATION\tDURATION\tRESPONSE")
	for _, x := range page.Exchanges {
		status := strconv.Itoa(x.Response.Status)
		resp := fmt.Sprintf("%d B", x.Response.Size)
		if x.Error != "" {
			status, resp = "failed", firstLine(x.Error)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", x.ID, pr(x.Request.Method), pr(pathOf(x.Request.URL)), status, pr(dash(x.OperationID)), x.Duration.Round(time.Microsecond), pr(resp))
	}
	tw.Flush()
	if page.Next != 0 {
		fmt.Fprintf(e.stdout, "... more; use --limit 0 for all %d\n", sess.Exchanges)
	}
	return ExitOK
}

func pathOf(raw string) string {
	if i := strings.Index(raw, "://"); i >= 0 {
		if j := strings.IndexByte(raw[i+3:], '/'); j >= 0 {
			return raw[i+3+j:]
		}
		return "/"
	}
	return raw
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return s
}

// pr makes recorded text safe to print: a recording (an imported HAR, a
// hostile API) may carry terminal escape sequences.
func pr(s string) string { return report.Printable(s) }

func writeExchangeText(w io.Writer, x *recordings.Exchange) {
	fmt.Fprintf(w, "exchange %d  session %d  source %s  operation %s\n", x.ID, x.SessionID, pr(string(x.Source)), pr(dash(x.OperationID)))
	fmt.Fprintf(w, "started %s  duration %s  upstream %s\n", x.StartedAt.Local().Format(time.RFC3339Nano), x.Duration, x.Upstream)
	fmt.Fprintf(w, "\n> %s %s\n", pr(x.Request.Method), pr(x.Request.URL))
	writeMessage(w, ">", x.Request.Message)
	if x.Error != "" {
		fmt.Fprintf(w, "\nfailed: %s\n", pr(x.Error))
	} else {
		fmt.Fprintf(w, "\n< %d\n", x.Response.Status)
		writeMessage(w, "<", x.Response.Message)
	}
	for _, n := range x.Notes {
		fmt.Fprintf(w, "note %s [%s] %s\n", pr(n.ID), pr(n.Level), pr(n.Message))
	}
	for _, r := range x.Redactions {
		fmt.Fprintf(w, "redacted %s %s (hash %s)\n", pr(r.Where), pr(r.Name), pr(r.Hash))
	}
}

func writeMessage(w io.Writer, dir string, m recordings.Message) {
	for _, k := range sortedKeys(m.Header) {
		for _, v := range m.Header[k] {
			fmt.Fprintf(w, "%s %s: %s\n", dir, pr(k), pr(v))
		}
	}
	if m.Size == 0 && len(m.Body) == 0 {
		return
	}
	info := fmt.Sprintf("%d bytes", m.Size)
	if m.Encoding != "" {
		info += fmt.Sprintf(", decoded from %s (%d on the wire)", pr(m.Encoding), m.WireSize)
	}
	if m.Truncated {
		info += fmt.Sprintf(", stored truncated to %d", len(m.Body))
	}
	fmt.Fprintf(w, "%s [body: %s, sha256 %s]\n", dir, info, m.SHA256)
	if utf8.Valid(m.Body) {
		var pretty bytes.Buffer
		if json.Indent(&pretty, m.Body, "", "  ") == nil {
			fmt.Fprintln(w, report.PrintableLines(pretty.String()))
		} else {
			fmt.Fprintln(w, report.PrintableLines(string(m.Body)))
		}
	} else {
		fmt.Fprintln(w, "(binary body; export the session to get it)")
	}
}

func recRm(ctx context.Context, e *env, args []string) int {
	fs, db := recFlags(e, "rm", "SESSION...", "Delete sessions and their exchanges (freed pages are zeroed).")
	pos, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		fmt.Fprintln(e.stderr, "connectorlab recordings rm: give at least one SESSION")
		return ExitUsage
	}
	s, code := openRecordings(ctx, e, "rm", *db, false)
	if s == nil {
		return code
	}
	defer s.Close()
	for _, ref := range pos {
		sess, err := findSession(ctx, s, ref)
		if err == nil {
			err = s.DeleteSession(ctx, sess.ID)
		}
		if err != nil {
			fmt.Fprintln(e.stderr, "connectorlab recordings rm:", err)
			return sessionExit(err)
		}
		fmt.Fprintf(e.stdout, "removed session %q (%d exchanges)\n", sess.Name, sess.Exchanges)
	}
	return ExitOK
}

func recRename(ctx context.Context, e *env, args []string) int {
	fs, db := recFlags(e, "rename", "SESSION NEW-NAME", "Rename a session.")
	pos, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	if len(pos) != 2 {
		fmt.Fprintln(e.stderr, "connectorlab recordings rename: give SESSION and NEW-NAME")
		return ExitUsage
	}
	s, code := openRecordings(ctx, e, "rename", *db, false)
	if s == nil {
		return code
	}
	defer s.Close()
	sess, err := findSession(ctx, s, pos[0])
	if err == nil {
		err = s.RenameSession(ctx, sess.ID, pos[1])
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab recordings rename:", err)
		return sessionExit(err)
	}
	fmt.Fprintf(e.stdout, "renamed session %q to %q\n", sess.Name, pos[1])
	return ExitOK
}

func recExport(ctx context.Context, e *env, args []string) int {
	fs, db := recFlags(e, "export", "SESSION", "Write a session as HAR 1.2 or as JSON (with schemaVersion); secrets stay redacted.")
	format := fs.String("format", "har", "har or json")
	output := fs.String("output", "", "write to this file instead of stdout")
	fs.StringVar(output, "o", "", "shorthand for --output")
	pos, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	if len(pos) != 1 || (*format != "har" && *format != "json") {
		fmt.Fprintln(e.stderr, "connectorlab recordings export: give one SESSION; --format is har or json")
		return ExitUsage
	}
	s, code := openRecordings(ctx, e, "export", *db, true)
	if s == nil {
		return code
	}
	defer s.Close()
	sess, err := findSession(ctx, s, pos[0])
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab recordings export:", err)
		return sessionExit(err)
	}
	write := func(w io.Writer) (int, error) {
		if *format == "json" {
			return recordings.ExportJSON(ctx, s, sess.ID, w)
		}
		return recordings.ExportHAR(ctx, s, sess.ID, w, Version)
	}
	var n int
	if *output == "" {
		n, err = write(e.stdout)
	} else {
		n, err = writeFileAtomic(*output, write)
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab recordings export:", err)
		return ExitInfra
	}
	if *output != "" {
		fmt.Fprintf(e.stderr, "wrote %d exchanges of session %q to %s\n", n, sess.Name, *output)
	}
	return ExitOK
}

// writeFileAtomic writes through a temporary file renamed into place, so
// a failed export never leaves half a file under the real name.
func writeFileAtomic(path string, fn func(io.Writer) (int, error)) (int, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	n, err := fn(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return n, fmt.Errorf("write %s: %w", path, err)
	}
	return n, nil
}

func recImport(ctx context.Context, e *env, args []string) int {
	fs, db := recFlags(e, "import", "FILE", "Make a session from a HAR 1.2 file (browser, Postman, another proxy) or a connectorlab JSON export.\nEverything is redacted on the way in.")
	name := fs.String("session", "", "session name (default: the file name, or the exported session's name)")
	connectorName := fs.String("connector", "", "connector name to tag the session with")
	format := fs.String("format", "auto", "auto, har or json")
	pos, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	if len(pos) != 1 || (*format != "auto" && *format != "har" && *format != "json") {
		fmt.Fprintln(e.stderr, "connectorlab recordings import: give one FILE; --format is auto, har or json")
		return ExitUsage
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab recordings import:", err)
		return ExitInfra
	}
	kind := *format
	if kind == "auto" {
		kind = "har"
		var probe struct {
			Kind string `json:"kind"`
		}
		if json.Unmarshal(data, &probe) == nil && probe.Kind == recordings.ExportKind {
			kind = "json"
		}
	}
	sess := &recordings.Session{Source: recordings.SourceImport, Connector: *connectorName, Name: *name}
	var xs []*recordings.Exchange
	if kind == "json" {
		ex, err := recordings.ReadExport(bytes.NewReader(data))
		if err != nil {
			fmt.Fprintf(e.stderr, "connectorlab recordings import: %s: %v\n", pos[0], err)
			return ExitUsage
		}
		xs = ex.Exchanges
		if sess.Name == "" {
			sess.Name = ex.Session.Name
		}
		if sess.Connector == "" {
			sess.Connector = ex.Session.Connector
		}
		sess.Upstream, sess.Tags, sess.Rules = ex.Session.Upstream, ex.Session.Tags, ex.Session.Rules
	} else {
		var skipped []string
		xs, skipped, err = recordings.ReadHAR(bytes.NewReader(data), recordings.Limits{})
		if err != nil {
			fmt.Fprintf(e.stderr, "connectorlab recordings import: %s: %v\n", pos[0], err)
			return ExitUsage
		}
		for _, s := range skipped {
			fmt.Fprintf(e.stderr, "connectorlab recordings import: %s: skipped %s\n", pos[0], s)
		}
	}
	if sess.Name == "" {
		sess.Name = strings.TrimSuffix(filepath.Base(pos[0]), filepath.Ext(pos[0]))
	}
	for _, x := range xs {
		if sess.Connector != "" && x.Connector == "" {
			x.Connector = sess.Connector
		}
	}
	s, code := openRecordings(ctx, e, "import", *db, false)
	if s == nil {
		return code
	}
	defer s.Close()
	n, err := recordings.Import(ctx, s, sess, xs)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab recordings import:", err)
		return sessionExit(err)
	}
	fmt.Fprintf(e.stdout, "imported %d exchanges into session %q (id %d)\n", n, sess.Name, sess.ID)
	return ExitOK
}

func writeJSON(e *env, verb string, v any) int {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(e.stderr, "connectorlab recordings %s: %v\n", verb, err)
		return ExitInfra
	}
	return ExitOK
}
