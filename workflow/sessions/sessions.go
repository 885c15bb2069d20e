package sessions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
	"github.com/connectorlab/connectorlab/workflow"
)

// Access is how a verb uses the database.
type Access int

const (
	// Read opens an existing database read-only (ls, show, export).
	Read Access = iota
	// Write opens an existing database for writing (rm, rename): a
	// mistyped path must not leave an empty database behind.
	Write
	// Create opens or creates the database (import).
	Create
)

// Open opens the recordings database at path.
func Open(ctx context.Context, path string, a Access, log *slog.Logger) (*sqlite.Store, error) {
	s, err := sqlite.Open(ctx, path, sqlite.Options{ReadOnly: a == Read, Existing: a != Create, Logger: log})
	if err != nil {
		return nil, &workflow.Error{Kind: workflow.KindInfra, Message: err.Error(), Fix: "check the recordings database path (--db or the Record screen)", Err: err}
	}
	return s, nil
}

// Error wraps a store error: not found and already exists are the
// user's to fix, anything else the machine's.
func Error(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, recordings.ErrNotFound):
		return &workflow.Error{Kind: workflow.KindUsage, Message: err.Error(), Fix: "list the sessions (connectorlab recordings ls) and pick one", Err: err}
	case errors.Is(err, recordings.ErrExists):
		return &workflow.Error{Kind: workflow.KindExists, Message: err.Error(), Fix: "pick another name", Err: err}
	}
	var we *workflow.Error
	if errors.As(err, &we) {
		return err
	}
	return &workflow.Error{Kind: workflow.KindInfra, Message: err.Error(), Fix: "check the recordings database", Err: err}
}

// Find resolves a session name, numeric id or "#id".
func Find(ctx context.Context, s recordings.Sessions, ref string) (*recordings.Session, error) {
	sess, err := recordings.PickSession(ctx, s, ref, "")
	return sess, Error(err)
}

// ByID is Find of "#id".
func ByID(ctx context.Context, s recordings.Sessions, id int64) (*recordings.Session, error) {
	return Find(ctx, s, fmt.Sprintf("#%d", id))
}

// Remove deletes the session ref and its exchanges; it returns the
// session as it was.
func Remove(ctx context.Context, s recordings.Store, ref string) (*recordings.Session, error) {
	sess, err := Find(ctx, s, ref)
	if err != nil {
		return nil, err
	}
	if err := s.DeleteSession(ctx, sess.ID); err != nil {
		return nil, Error(err)
	}
	return sess, nil
}

// Rename gives the session ref a new name; it returns the session as it
// was.
func Rename(ctx context.Context, s recordings.Store, ref, name string) (*recordings.Session, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, workflow.Usage("the new session name is empty", "give a name")
	}
	sess, err := Find(ctx, s, ref)
	if err != nil {
		return nil, err
	}
	if err := s.RenameSession(ctx, sess.ID, name); err != nil {
		return nil, Error(err)
	}
	return sess, nil
}

// CheckFormat refuses a format not among allowed.
func CheckFormat(format string, allowed ...string) error {
	for _, a := range allowed {
		if format == a {
			return nil
		}
	}
	return workflow.Usage(fmt.Sprintf("format %q is not known", format), "use "+strings.Join(allowed, " or "))
}

// Export writes session id as HAR 1.2 ("har") or JSON ("json"); secrets
// stay redacted. version names the writing program in a HAR.
func Export(ctx context.Context, s recordings.Store, id int64, format string, w io.Writer, version string) (int, error) {
	if err := CheckFormat(format, "har", "json"); err != nil {
		return 0, err
	}
	var n int
	var err error
	if format == "json" {
		n, err = recordings.ExportJSON(ctx, s, id, w)
	} else {
		n, err = recordings.ExportHAR(ctx, s, id, w, version)
	}
	return n, Error(err)
}

// ExportFile is Export into path, through a temporary file renamed into
// place so that a failed export never leaves half a file under the real
// name.
func ExportFile(ctx context.Context, s recordings.Store, id int64, format, path, version string) (int, error) {
	if err := CheckFormat(format, "har", "json"); err != nil {
		return 0, err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return 0, &workflow.Error{Kind: workflow.KindInfra, Message: "cannot write " + path + ": " + err.Error(), Fix: "pick a folder you can write to", Err: err}
	}
	n, err := Export(ctx, s, id, format, f, version)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = &workflow.Error{Kind: workflow.KindInfra, Message: "cannot write " + path + ": " + cerr.Error(), Fix: "check the disk has room", Err: cerr}
	}
	if err == nil {
		if rerr := os.Rename(f.Name(), path); rerr != nil {
			err = &workflow.Error{Kind: workflow.KindInfra, Message: "cannot write " + path + ": " + rerr.Error(), Fix: "pick a folder you can write to", Err: rerr}
		}
	}
	if err != nil {
		os.Remove(f.Name())
		return n, err
	}
	return n, nil
}

// ImportSpec is one import.
type ImportSpec struct {
	// File is read unless Data is given; it also names the session by
	// default.
	File string
	Data []byte
	// Name is the session name (default: the exported session's name, or
	// the file name).
	Name string
	// Connector tags the session (default: the export's).
	Connector string
	// Format is auto (also ""), har or json.
	Format string
}

// Imported is what an import made.
type Imported struct {
	Session   *recordings.Session
	Exchanges int
	// Skipped are the HAR entries that could not be imported, and why.
	Skipped []string
}

// Import makes a session from a HAR 1.2 file or a connectorlab JSON
// export; everything is redacted on the way in.
func Import(ctx context.Context, s recordings.Store, spec ImportSpec) (Imported, error) {
	p, err := spec.Read()
	if err != nil {
		return Imported{Skipped: p.Skipped}, err
	}
	return p.Save(ctx, s)
}

// Pending is an import read and checked but not stored yet.
type Pending struct {
	Session   *recordings.Session
	Exchanges []*recordings.Exchange
	Skipped   []string
}

// Save stores the pending import.
func (p Pending) Save(ctx context.Context, s recordings.Store) (Imported, error) {
	res := Imported{Skipped: p.Skipped}
	n, err := recordings.Import(ctx, s, p.Session, p.Exchanges)
	if err != nil {
		return res, Error(err)
	}
	res.Session, res.Exchanges = p.Session, n
	return res, nil
}

// Read reads and checks the file of an import, before any database is
// opened (or made).
func (spec ImportSpec) Read() (Pending, error) {
	var res Pending
	if spec.Format == "" {
		spec.Format = "auto"
	}
	if err := CheckFormat(spec.Format, "auto", "har", "json"); err != nil {
		return res, err
	}
	data := spec.Data
	if data == nil {
		b, err := os.ReadFile(spec.File)
		if err != nil {
			return res, &workflow.Error{Kind: workflow.KindInfra, Message: err.Error(), Fix: "check the file's path", Err: err}
		}
		data = b
	}
	kind := spec.Format
	if kind == "auto" {
		kind = "har"
		var probe struct {
			Kind string `json:"kind"`
		}
		if json.Unmarshal(data, &probe) == nil && probe.Kind == recordings.ExportKind {
			kind = "json"
		}
	}
	sess := &recordings.Session{Source: recordings.SourceImport, Connector: spec.Connector, Name: strings.TrimSpace(spec.Name)}
	var xs []*recordings.Exchange
	bad := func(err error) error {
		return &workflow.Error{Kind: workflow.KindUsage, Message: fmt.Sprintf("%s: %v", spec.File, err), Fix: "give a HAR 1.2 file or a connectorlab JSON export", Err: err}
	}
	if kind == "json" {
		ex, err := recordings.ReadExport(bytes.NewReader(data))
		if err != nil {
			return res, bad(err)
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
		var err error
		if xs, res.Skipped, err = recordings.ReadHAR(bytes.NewReader(data), recordings.Limits{}); err != nil {
			return res, bad(err)
		}
	}
	if sess.Name == "" {
		sess.Name = strings.TrimSuffix(filepath.Base(spec.File), filepath.Ext(spec.File))
	}
	if sess.Name == "" || sess.Name == "." {
		sess.Name = "imported"
	}
	for _, x := range xs {
		if sess.Connector != "" && x.Connector == "" {
			x.Connector = sess.Connector
		}
	}
	res.Session, res.Exchanges = sess, xs
	return res, nil
}
