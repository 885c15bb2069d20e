package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/connector"
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
	v := connectorView(abs, c, findings)
	v.LoadMillis = s.now().Sub(start).Milliseconds()
	s.ws.put(abs, c)
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
