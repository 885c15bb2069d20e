package recordings

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
)

// ExportSchemaVersion is the schemaVersion of a JSON export.
const ExportSchemaVersion = 1

// ExportKind tells a JSON export apart from other JSON files.
const ExportKind = "connectorlab-recording"

// Export is the JSON export of one session: its metadata and exchanges,
// bodies base64-encoded (encoding/json's []byte form).
type Export struct {
	SchemaVersion int         `json:"schemaVersion"`
	Kind          string      `json:"kind"`
	Session       *Session    `json:"session"`
	Exchanges     []*Exchange `json:"exchanges"`
}

// ExportJSON writes a session as JSON, streaming the exchanges, each
// redacted again on the way out.
func ExportJSON(ctx context.Context, s Store, sessionID int64, w io.Writer) (int, error) {
	sess, err := s.Session(ctx, sessionID)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriter(w)
	head, err := json.MarshalIndent(sess, "  ", "  ")
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(bw, "{\n  \"schemaVersion\": %d,\n  \"kind\": %q,\n  \"session\": %s,\n  \"exchanges\": [", ExportSchemaVersion, ExportKind, head)
	first := true
	n, err := eachExchange(ctx, s, sessionID, func(x *Exchange) error {
		b, err := json.MarshalIndent(x, "    ", "  ")
		if err != nil {
			return fmt.Errorf("encode exchange %d: %w", x.ID, err)
		}
		if !first {
			bw.WriteString(",")
		}
		first = false
		bw.WriteString("\n    ")
		_, err = bw.Write(b)
		return err
	})
	if err != nil {
		return n, err
	}
	if _, err := bw.WriteString("\n  ]\n}\n"); err != nil {
		return n, err
	}
	return n, bw.Flush()
}

// ReadExport decodes a JSON export.
func ReadExport(r io.Reader) (*Export, error) {
	var e Export
	if err := json.NewDecoder(r).Decode(&e); err != nil {
		return nil, fmt.Errorf("not a connectorlab JSON export: %w", err)
	}
	if e.Kind != ExportKind {
		return nil, fmt.Errorf("not a connectorlab JSON export: kind is %q, want %q", e.Kind, ExportKind)
	}
	if e.SchemaVersion != ExportSchemaVersion {
		return nil, fmt.Errorf("JSON export schemaVersion %d is not supported (this program reads %d)", e.SchemaVersion, ExportSchemaVersion)
	}
	if e.Session == nil {
		return nil, errors.New("JSON export has no session")
	}
	return &e, nil
}

// Import stores exchanges into a new session (sess is created, its ID set).
// Each exchange is redacted by the store on the way in.
//
// An imported file may add redaction rules, never take them away: a
// Rules.Keep list it brings is dropped (a hand-written export could
// otherwise store its own secrets in clear).
func Import(ctx context.Context, s Store, sess *Session, xs []*Exchange) (int, error) {
	sess.Rules.Keep = nil
	if im, ok := s.(interface {
		ImportSession(context.Context, *Session, []*Exchange) (int, error)
	}); ok {
		// One transaction: a killed import leaves nothing half-done.
		return im.ImportSession(ctx, sess, xs)
	}
	if sess.Status == "" || sess.Status == SessionOpen {
		sess.Status = SessionOpen
	}
	if err := s.CreateSession(ctx, sess); err != nil {
		return 0, err
	}
	n := 0
	for _, x := range xs {
		x.ID, x.SessionID = 0, sess.ID
		if x.Source == "" {
			x.Source = SourceImport
		}
		if err := s.Record(ctx, x); err != nil {
			s.EndSession(context.WithoutCancel(ctx), sess.ID, SessionIncomplete, "import stopped: "+err.Error())
			return n, err
		}
		n++
	}
	return n, s.EndSession(ctx, sess.ID, SessionComplete, "")
}

func sortedHeaderKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
