package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/workflow/create"
)

// ConnectorService is bound to the window: open, inspect and validate
// connector definitions, and keep the recent list.
type ConnectorService struct {
	ctx    context.Context
	log    *slog.Logger
	ws     *workspace
	recent *recentList
	loader *connector.Loader
	dialog dialogs
	now    func() time.Time
	// loaded, when set, runs after a connector was loaded (idleTrim.poke:
	// loading allocates several times what the connector keeps).
	loaded func()
}

// dialogs opens native pickers; the Wails runtime implements it.
type dialogs interface {
	ChooseFolder(ctx context.Context, title string) (string, error)
	ChooseFile(ctx context.Context, title string, patterns string) (string, error)
	SaveFile(ctx context.Context, title, name, patterns string) (string, error)
}

func newConnectorService(log *slog.Logger, ws *workspace, recent *recentList, d dialogs) *ConnectorService {
	return &ConnectorService{
		ctx: context.Background(), log: log, ws: ws, recent: recent, dialog: d,
		loader: &connector.Loader{}, now: time.Now,
	}
}

func (s *ConnectorService) startup(ctx context.Context) { s.ctx = ctx }

// Open loads the connector at path (a folder, a Swagger/OpenAPI file or a
// Postman collection), lints it and adds it to the recent list.
func (s *ConnectorService) Open(path string) (ConnectorView, error) {
	path = strings.TrimSpace(path)
	if path == "" {
		return ConnectorView{}, &UserError{Message: "no path given", Fix: "type or pick a connector folder, a definition file or a Postman collection"}
	}
	if strings.HasPrefix(path, "file://") {
		path = strings.TrimPrefix(path, "file://")
	}
	if strings.HasPrefix(path, "~"+string(filepath.Separator)) {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, path[2:])
		}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return ConnectorView{}, userErr(err, fmt.Sprintf("cannot resolve %s: %v", path, err), "give an absolute path")
	}
	if _, err := os.Stat(abs); err != nil {
		return ConnectorView{}, userErr(err, fmt.Sprintf("%s does not exist", abs), "check the path: pick the connector folder (with apiDefinition.swagger.json) or a definition file")
	}
	start := s.now()
	c, err := s.loader.Load(s.ctx, abs)
	if err != nil {
		return ConnectorView{}, fmt.Errorf("open %s: %w", abs, err)
	}
	findings := connector.Lint(s.ctx, c)
	// Linted: the definition's bytes (kept for findings' line numbers)
	// would only sit in memory while the connector stays open.
	c.ReleaseSource()
	v := connectorView(abs, c, findings)
	v.LoadMillis = s.now().Sub(start).Milliseconds()
	s.ws.put(abs, c)
	if s.loaded != nil {
		s.loaded()
	}
	if err := s.recent.Add(abs, c.Name, s.now()); err != nil {
		// The connector is open; a recent list we cannot write is not a
		// reason to fail the call.
		s.log.Warn("recent list not saved", "err", err)
	}
	return v, nil
}

// Recent lists the recently opened connectors, newest first.
func (s *ConnectorService) Recent() ([]RecentEntry, error) {
	return s.recent.List()
}

// ForgetRecent removes path from the recent list.
func (s *ConnectorService) ForgetRecent(path string) error {
	return s.recent.Remove(path)
}

// ChooseFolder opens a native folder picker; "" when the user cancels.
func (s *ConnectorService) ChooseFolder() (string, error) {
	return s.dialog.ChooseFolder(s.ctx, "Open a connector folder")
}

// ChooseFile opens a native file picker for a definition or collection.
func (s *ConnectorService) ChooseFile() (string, error) {
	return s.dialog.ChooseFile(s.ctx, "Open a definition or Postman collection", "*.json;*.yaml;*.yml")
}

// OperationEditForm is the Connectors screen's edit of one operation:
// what the Power Automate action card shows. Every field is written (an
// empty description or visibility removes the member).
type OperationEditForm struct {
	OperationID string `json:"operationId"`
	Summary     string `json:"summary"`
	Description string `json:"description"`
	Visibility  string `json:"visibility"`
}

// Visibilities lists the x-ms-visibility values the edit form offers
// ("" is none).
func (s *ConnectorService) Visibilities() []string {
	return append([]string(nil), authoring.Visibilities...)
}

// EditOperation saves an operation's summary, description and visibility
// into the open connector's apiDefinition.swagger.json, keeping the file's
// formatting and key order, and returns the connector opened again (its
// validation findings refreshed).
func (s *ConnectorService) EditOperation(path string, form OperationEditForm) (ConnectorView, error) {
	c, err := s.ws.get(path)
	if err != nil {
		return ConnectorView{}, err
	}
	if c.Format != connector.FormatSwagger2 || c.Files.Definition == "" {
		return ConnectorView{}, &UserError{Message: fmt.Sprintf("%s is %s; only a connector's apiDefinition.swagger.json can be edited here", c.Name, c.Format),
			Fix: "create a connector folder from it first (New connector), then edit that"}
	}
	edit := authoring.OperationEdit{OperationID: form.OperationID, Summary: &form.Summary, Description: &form.Description, Visibility: &form.Visibility}
	if _, err := authoring.EditOperationFile(c.Files.Definition, edit); err != nil {
		var ee *authoring.EditError
		if errors.As(err, &ee) {
			return ConnectorView{}, userErr(err, fmt.Sprintf("%s: %s: %s", filepath.Base(ee.File), ee.Field, ee.Problem), ee.Fix)
		}
		fix := "check the file is writable"
		return ConnectorView{}, userErr(err, err.Error(), fix)
	}
	s.log.Info("operation edited", "definition", c.Files.Definition, "operation", form.OperationID)
	return s.Open(path)
}

// MockoonExportView is what "Export as Mockoon" wrote and lost.
type MockoonExportView struct {
	File     string                `json:"file"`
	Routes   int                   `json:"routes"`
	Findings []NewConnectorFinding `json:"findings"`
}

// ExportMockoon writes the open connector (with its overrides sidecar) as
// a Mockoon environment to out ("" opens a save dialog; "" back when the
// user cancels).
func (s *ConnectorService) ExportMockoon(path, out string) (MockoonExportView, error) {
	c, err := s.ws.get(path)
	if err != nil {
		return MockoonExportView{}, err
	}
	res, err := create.ExportMockoon(s.ctx, create.ExportRequest{Path: path})
	if err != nil {
		d := describe(err)
		return MockoonExportView{}, userErr(err, d.Message, d.Fix)
	}
	if strings.TrimSpace(out) == "" {
		p, err := s.dialog.SaveFile(s.ctx, "Export as a Mockoon environment", slugName(c.Name)+".mockoon.json", "*.json")
		if err != nil || p == "" {
			return MockoonExportView{}, err
		}
		out = p
	}
	if err := os.WriteFile(out, res.Document, 0o644); err != nil {
		return MockoonExportView{}, userErr(err, err.Error(), "pick a folder you can write to")
	}
	v := MockoonExportView{File: out, Routes: res.Routes, Findings: []NewConnectorFinding{}}
	for _, f := range res.Findings {
		v.Findings = append(v.Findings, NewConnectorFinding{ID: f.ID, Level: f.Level.String(), Location: location(f), Message: f.Message, Fix: f.Fix})
	}
	return v, nil
}

func slugName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	if out := strings.Trim(b.String(), "-"); out != "" {
		return out
	}
	return "connector"
}
