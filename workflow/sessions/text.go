package sessions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/connectorlab/connectorlab/contract/report"
	"github.com/connectorlab/connectorlab/recordings"
)

// pr makes recorded text safe to print: a recording (an imported HAR, a
// hostile API) may carry terminal escape sequences.
func pr(s string) string { return report.Printable(s) }

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// List is the JSON form of a session list.
type List struct {
	SchemaVersion int                   `json:"schemaVersion"`
	Sessions      []*recordings.Session `json:"sessions"`
}

// NewList wraps sessions (never a null list).
func NewList(ss []*recordings.Session) List {
	if ss == nil {
		ss = []*recordings.Session{}
	}
	return List{SchemaVersion: 1, Sessions: ss}
}

// WriteList writes sessions as a table; db names the database when
// there are none.
func WriteList(w io.Writer, ss []*recordings.Session, db string) {
	if len(ss) == 0 {
		fmt.Fprintf(w, "no sessions in %s\n", db)
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tCONNECTOR\tSTATUS\tEXCHANGES\tSTARTED\tUPSTREAM")
	for _, x := range ss {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\t%s\n", x.ID, pr(x.Name), pr(dash(x.Connector)), x.Status, x.Exchanges, x.StartedAt.Local().Format("2006-01-02 15:04:05"), pr(dash(x.Upstream)))
	}
	tw.Flush()
}

// Show is the JSON form of a session and a page of its exchanges.
type Show struct {
	SchemaVersion int                    `json:"schemaVersion"`
	Session       *recordings.Session    `json:"session"`
	Exchanges     []*recordings.Exchange `json:"exchanges"`
	More          bool                   `json:"more,omitempty"`
}

// WriteShow writes a session and its exchanges (without bodies).
func WriteShow(w io.Writer, v Show) {
	sess := v.Session
	fmt.Fprintf(w, "session %d %q  connector %s  status %s", sess.ID, sess.Name, pr(dash(sess.Connector)), sess.Status)
	if sess.Problem != "" {
		fmt.Fprintf(w, " (%s)", pr(sess.Problem))
	}
	fmt.Fprintf(w, "\n  upstream %s  started %s", pr(dash(sess.Upstream)), sess.StartedAt.Local().Format(time.RFC3339))
	if !sess.EndedAt.IsZero() {
		fmt.Fprintf(w, "  ended %s", sess.EndedAt.Local().Format(time.RFC3339))
	}
	fmt.Fprintf(w, "  %d exchanges\n", sess.Exchanges)
	if len(sess.Tags) > 0 {
		fmt.Fprintf(w, "  tags %s\n", pr(strings.Join(sess.Tags, ", ")))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\nID\tMETHOD\tPATH\tSTATUS\tOPERATION\tDURATION\tRESPONSE")
	for _, x := range v.Exchanges {
		status := strconv.Itoa(x.Response.Status)
		resp := fmt.Sprintf("%d B", x.Response.Size)
		if x.Error != "" {
			status, resp = "failed", firstLine(x.Error)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", x.ID, pr(x.Request.Method), pr(PathOf(x.Request.URL)), status, pr(dash(x.OperationID)), x.Duration.Round(time.Microsecond), pr(resp))
	}
	tw.Flush()
	if v.More {
		fmt.Fprintf(w, "... more; use --limit 0 for all %d\n", sess.Exchanges)
	}
}

// PathOf is the path and query of a URL (raw when it has no host).
func PathOf(raw string) string {
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

// WriteExchange writes one exchange in full: headers, bodies, notes and
// redactions.
func WriteExchange(w io.Writer, x *recordings.Exchange) {
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
	keys := make([]string, 0, len(m.Header))
	for k := range m.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
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
