package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
	"github.com/connectorlab/connectorlab/workflow"
	"github.com/connectorlab/connectorlab/workflow/exchanges"
	"github.com/connectorlab/connectorlab/workflow/sessions"
)

const recordingsUsage = `Usage: connectorlab recordings <ls|show|rm|rename|copy|export|import> [flags] [arguments]

  ls                          list sessions
  show SESSION [--exchange ID] a session and its exchanges, or one exchange in full
  rm SESSION...               delete sessions and their exchanges
  rm SESSION --exchange ID    drop single exchanges from a session (repeat --exchange)
  rename SESSION NEW-NAME     rename a session
  copy SESSION --exchange ID --to NAME
                              save exchanges as test cases of session NAME (made when missing)
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
		"ls": recLs, "list": recLs, "show": recShow, "rm": recRm, "rename": recRename, "copy": recCopy, "export": recExport, "import": recImport,
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

// recVerb is one verb's flags and the database it opens.
type recVerb struct {
	e      *env
	name   string
	fs     *flag.FlagSet
	db     *string
	format *string
}

func newRecVerb(e *env, verb, args, summary, format, formatHelp string) *recVerb {
	v := &recVerb{e: e, name: verb, fs: newFlagSet("recordings "+verb, args, summary, e)}
	v.db = v.fs.String("db", defaultDB(), "recordings database file (env "+DBEnv+")")
	if format != "" {
		v.format = v.fs.String("format", format, formatHelp)
	}
	return v
}

// parse parses args and checks the positionals' count (min, max; -1 no
// limit) and the format.
func (v *recVerb) parse(args []string, min, max int, want string, formats ...string) ([]string, int, bool) {
	pos, code, ok := parseFlags(v.fs, args, v.e)
	if !ok {
		return nil, code, false
	}
	if len(pos) < min || (max >= 0 && len(pos) > max) {
		return nil, v.fail(workflow.Usage("wrong arguments", "give "+want)), false
	}
	if v.format != nil {
		if err := sessions.CheckFormat(*v.format, formats...); err != nil {
			return nil, v.fail(err), false
		}
	}
	return pos, ExitOK, true
}

// open opens the --db database for the verb.
func (v *recVerb) open(ctx context.Context, a sessions.Access) (*sqlite.Store, int) {
	s, err := sessions.Open(ctx, *v.db, a, v.e.log)
	if err != nil {
		return nil, v.fail(err)
	}
	return s, ExitOK
}

func (v *recVerb) fail(err error) int {
	fmt.Fprintf(v.e.stderr, "connectorlab recordings %s: %v\n", v.name, err)
	return workflowExit(err)
}

func (v *recVerb) json(x any) int {
	enc := json.NewEncoder(v.e.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(x); err != nil {
		return v.fail(err)
	}
	return ExitOK
}

func recLs(ctx context.Context, e *env, args []string) int {
	v := newRecVerb(e, "ls", "", "List recording sessions, newest first.", "text", "output format: text or json")
	connectorName := v.fs.String("connector", "", "only sessions of this connector")
	tag := v.fs.String("tag", "", "only sessions with this tag")
	if _, code, ok := v.parse(args, 0, 0, "no arguments", "text", "json"); !ok {
		return code
	}
	s, code := v.open(ctx, sessions.Read)
	if s == nil {
		return code
	}
	defer s.Close()
	list, err := s.ListSessions(ctx, recordings.SessionFilter{Connector: *connectorName, Tag: *tag})
	if err != nil {
		return v.fail(sessions.Error(err))
	}
	if *v.format == "json" {
		return v.json(sessions.NewList(list))
	}
	sessions.WriteList(e.stdout, list, s.Path())
	return ExitOK
}

func recShow(ctx context.Context, e *env, args []string) int {
	v := newRecVerb(e, "show", "SESSION", "Show a session and its exchanges, or one exchange in full with --exchange.", "text", "output format: text or json")
	xid := v.fs.Int64("exchange", 0, "show this exchange in full (headers and bodies)")
	limit := v.fs.Int("limit", 100, "list at most this many exchanges (0: all)")
	pos, code, ok := v.parse(args, 0, 1, "one SESSION (or --exchange ID)", "text", "json")
	if !ok {
		return code
	}
	if len(pos) == 0 && *xid == 0 {
		return v.fail(workflow.Usage("no session given", "give one SESSION (or --exchange ID)"))
	}
	s, code := v.open(ctx, sessions.Read)
	if s == nil {
		return code
	}
	defer s.Close()
	if *xid != 0 {
		x, err := s.Exchange(ctx, *xid)
		if err != nil {
			return v.fail(sessions.Error(err))
		}
		s.Redact(ctx, x)
		if *v.format == "json" {
			return v.json(x)
		}
		sessions.WriteExchange(e.stdout, x)
		return ExitOK
	}
	sess, err := sessions.Find(ctx, s, pos[0])
	if err != nil {
		return v.fail(err)
	}
	page, err := s.ListExchanges(ctx, recordings.ExchangeFilter{SessionID: sess.ID, Limit: *limit, NoBodies: true})
	if err != nil {
		return v.fail(sessions.Error(err))
	}
	view := sessions.Show{SchemaVersion: 1, Session: sess, Exchanges: page.Exchanges, More: page.Next != 0}
	if *v.format == "json" {
		return v.json(view)
	}
	sessions.WriteShow(e.stdout, view)
	return ExitOK
}

func recRm(ctx context.Context, e *env, args []string) int {
	v := newRecVerb(e, "rm", "SESSION... | SESSION --exchange ID...", "Delete sessions and their exchanges, or with --exchange only those exchanges of one session (freed pages are zeroed).", "", "")
	var xids int64List
	v.fs.Var(&xids, "exchange", "remove only this exchange of the session (repeatable; ids as 'recordings show' lists them)")
	pos, code, ok := v.parse(args, 1, -1, "at least one SESSION")
	if !ok {
		return code
	}
	if len(xids) > 0 && len(pos) != 1 {
		return v.fail(workflow.Usage("--exchange needs exactly one SESSION", "give the session the exchanges belong to"))
	}
	s, code := v.open(ctx, sessions.Write)
	if s == nil {
		return code
	}
	defer s.Close()
	if len(xids) > 0 {
		sess, err := findSession(ctx, s, pos[0])
		if err == nil {
			err = exchanges.Exclude(ctx, s, sess.ID, xids)
		}
		if err != nil {
			return v.fail(err)
		}
		fmt.Fprintf(e.stdout, "removed %d exchanges from session %q\n", len(xids), sess.Name)
		return ExitOK
	}
	for _, ref := range pos {
		sess, err := sessions.Remove(ctx, s, ref)
		if err != nil {
			return v.fail(err)
		}
		fmt.Fprintf(e.stdout, "removed session %q (%d exchanges)\n", sess.Name, sess.Exchanges)
	}
	return ExitOK
}

func recRename(ctx context.Context, e *env, args []string) int {
	v := newRecVerb(e, "rename", "SESSION NEW-NAME", "Rename a session.", "", "")
	pos, code, ok := v.parse(args, 2, 2, "SESSION and NEW-NAME")
	if !ok {
		return code
	}
	s, code := v.open(ctx, sessions.Write)
	if s == nil {
		return code
	}
	defer s.Close()
	sess, err := sessions.Rename(ctx, s, pos[0], pos[1])
	if err != nil {
		return v.fail(err)
	}
	fmt.Fprintf(e.stdout, "renamed session %q to %q\n", sess.Name, pos[1])
	return ExitOK
}

// recCopy is the CLI's "save as test case" (the desktop's Traffic
// screen calls the same sessions.SaveCase).
func recCopy(ctx context.Context, e *env, args []string) int {
	v := newRecVerb(e, "copy", "SESSION --exchange ID... --to NAME", "Save exchanges of a session as test cases of the session NAME (made and tagged test-cases when missing), for 'connectorlab test --recordings NAME'.", "", "")
	var xids int64List
	v.fs.Var(&xids, "exchange", "the exchange to save (repeatable; ids as 'recordings show' lists them)")
	to := v.fs.String("to", "", "the test-case session to save into")
	pos, code, ok := v.parse(args, 1, 1, "one SESSION")
	if !ok {
		return code
	}
	if len(xids) == 0 || strings.TrimSpace(*to) == "" {
		return v.fail(workflow.Usage("copy needs --exchange ID and --to NAME", "e.g. connectorlab recordings copy mock-run --exchange 12 --to \"orders cases\""))
	}
	s, code := v.open(ctx, sessions.Write)
	if s == nil {
		return code
	}
	defer s.Close()
	src, err := findSession(ctx, s, pos[0])
	if err != nil {
		return v.fail(sessions.Error(err))
	}
	var last sessions.SavedCase
	for _, id := range xids {
		x, err := s.Exchange(ctx, id)
		if err == nil && x.SessionID != src.ID {
			err = workflow.Usage(fmt.Sprintf("exchange %d is not in session %q", id, src.Name), "list its exchanges with 'connectorlab recordings show "+src.Name+"'")
		}
		if err != nil {
			return v.fail(sessions.Error(err))
		}
		if last, err = sessions.SaveCase(ctx, s, x, *to, src.Connector); err != nil {
			return v.fail(err)
		}
	}
	fmt.Fprintf(e.stdout, "saved %d exchanges to session %q (%d test cases); run them with: connectorlab test CONNECTOR --recordings %q\n", len(xids), last.Session.Name, last.Session.Exchanges, last.Session.Name)
	return ExitOK
}

func recExport(ctx context.Context, e *env, args []string) int {
	v := newRecVerb(e, "export", "SESSION", "Write a session as HAR 1.2 or as JSON (with schemaVersion); secrets stay redacted.", "har", "har or json")
	output := v.fs.String("output", "", "write to this file instead of stdout")
	v.fs.StringVar(output, "o", "", "shorthand for --output")
	pos, code, ok := v.parse(args, 1, 1, "one SESSION", "har", "json")
	if !ok {
		return code
	}
	s, code := v.open(ctx, sessions.Read)
	if s == nil {
		return code
	}
	defer s.Close()
	sess, err := sessions.Find(ctx, s, pos[0])
	if err != nil {
		return v.fail(err)
	}
	if *output == "" {
		_, err = sessions.Export(ctx, s, sess.ID, *v.format, e.stdout, Version)
	} else {
		var n int
		if n, err = sessions.ExportFile(ctx, s, sess.ID, *v.format, *output, Version); err == nil {
			fmt.Fprintf(e.stderr, "wrote %d exchanges of session %q to %s\n", n, sess.Name, *output)
		}
	}
	if err != nil {
		return v.fail(err)
	}
	return ExitOK
}

func recImport(ctx context.Context, e *env, args []string) int {
	v := newRecVerb(e, "import", "FILE", "Make a session from a HAR 1.2 file (browser, Postman, another proxy) or a connectorlab JSON export.\nEverything is redacted on the way in.", "auto", "auto, har or json")
	name := v.fs.String("session", "", "session name (default: the file name, or the exported session's name)")
	connectorName := v.fs.String("connector", "", "connector name to tag the session with")
	pos, code, ok := v.parse(args, 1, 1, "one FILE", "auto", "har", "json")
	if !ok {
		return code
	}
	p, err := sessions.ImportSpec{File: pos[0], Name: *name, Connector: *connectorName, Format: *v.format}.Read()
	for _, sk := range p.Skipped {
		fmt.Fprintf(e.stderr, "connectorlab recordings import: %s: skipped %s\n", pos[0], sk)
	}
	if err != nil {
		return v.fail(err)
	}
	s, code := v.open(ctx, sessions.Create)
	if s == nil {
		return code
	}
	defer s.Close()
	res, err := p.Save(ctx, s)
	if err != nil {
		return v.fail(err)
	}
	fmt.Fprintf(e.stdout, "imported %d exchanges into session %q (id %d)\n", res.Exchanges, res.Session.Name, res.Session.ID)
	return ExitOK
}

// int64List is a repeatable integer flag.
type int64List []int64

func (l *int64List) String() string { return fmt.Sprint([]int64(*l)) }
func (l *int64List) Set(v string) error {
	n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(v), "#"), 10, 64)
	if err != nil || n <= 0 {
		return fmt.Errorf("%q is not an exchange id (a positive number, as 'recordings show' lists it)", v)
	}
	*l = append(*l, n)
	return nil
}
