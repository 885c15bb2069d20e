package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/workflow/create"
)

// NewConnectorRequest is the New connector form: a source (a file, "blank",
// or a recording session of the app's database) and the options of
// `connectorlab new`.
type NewConnectorRequest struct {
	// From is a file path or "blank"; empty when Session is set.
	From string `json:"from"`
	// Session names a recording session of the app's database.
	Session          string `json:"session,omitempty"`
	Name             string `json:"name,omitempty"`
	Auth             string `json:"auth,omitempty"` // apikey | basic | oauth2 | aad | none; "" keeps the source's
	ServicePrincipal bool   `json:"servicePrincipal,omitempty"`
	IconBrandColor   string `json:"iconBrandColor,omitempty"`
}

// NewConnectorFinding is one conversion loss or repair, with its place in
// the source.
type NewConnectorFinding struct {
	ID       string `json:"id"`
	Level    string `json:"level"`
	Location string `json:"location,omitempty"`
	Message  string `json:"message"`
	Fix      string `json:"fix,omitempty"`
}

// NewConnectorOperation is one row of the preview.
type NewConnectorOperation struct {
	Method      string `json:"method"`
	Path        string `json:"path"`
	OperationID string `json:"operationId"`
	Summary     string `json:"summary"`
}

// NewConnectorPreview is what the maker reviews before saving.
type NewConnectorPreview struct {
	Name       string                  `json:"name"`
	Source     string                  `json:"source"`
	Auth       string                  `json:"auth"`
	Operations []NewConnectorOperation `json:"operations"`
	Findings   []NewConnectorFinding   `json:"findings"`
	Counts     map[string]int          `json:"counts"`
	// Definition is apiDefinition.swagger.json as it will be written.
	Definition string `json:"definition"`
}

// NewConnectorService is bound to the window: the New connector flow
// (pick a file or a recording, see the findings, save). It calls the same
// workflow as `connectorlab new`.
type NewConnectorService struct {
	ctx    context.Context
	log    *slog.Logger
	store  *storeHolder
	dialog dialogs

	mu   sync.Mutex
	last *create.Result
}

func newNewConnectorService(log *slog.Logger, store *storeHolder, d dialogs) *NewConnectorService {
	return &NewConnectorService{ctx: context.Background(), log: log, store: store, dialog: d}
}

func (s *NewConnectorService) startup(ctx context.Context) { s.ctx = ctx }

// AuthKinds lists the values the form's auth picker offers.
func (s *NewConnectorService) AuthKinds() []string {
	return append([]string(nil), authoring.AuthKinds...)
}

// ChooseSource opens a file dialog for an OpenAPI, Swagger, Postman, HAR
// or Mockoon file ("" when cancelled).
func (s *NewConnectorService) ChooseSource() (string, error) {
	return s.dialog.ChooseFile(s.ctx, "Create a connector from", "*.json;*.yaml;*.yml;*.har")
}

// Preview builds the connector in memory and returns what it holds and
// every loss, without writing anything.
func (s *NewConnectorService) Preview(req NewConnectorRequest) (NewConnectorPreview, error) {
	r := create.Request{From: strings.TrimSpace(req.From), Log: s.log,
		Options: authoring.Options{Name: req.Name, Auth: req.Auth, ServicePrincipal: req.ServicePrincipal, IconBrandColor: req.IconBrandColor}}
	if req.Session != "" {
		st, err := s.store.get(s.ctx)
		if err != nil {
			return NewConnectorPreview{}, err
		}
		r.From, r.Store, r.StoreFile = req.Session, st, s.store.current()
	} else if r.From == "" {
		return NewConnectorPreview{}, &UserError{Message: "no source picked", Fix: "pick a file, choose Blank, or pick a recording session"}
	}
	res, err := create.New(s.ctx, r)
	if err != nil {
		d := describe(err)
		return NewConnectorPreview{}, userErr(err, d.Message, d.Fix)
	}
	s.mu.Lock()
	s.last = res
	s.mu.Unlock()
	return preview(res), nil
}

func preview(res *create.Result) NewConnectorPreview {
	f := res.Folder
	info, _ := f.Definition["info"].(map[string]any)
	name, _ := info["title"].(string)
	v := NewConnectorPreview{Name: name, Source: res.Source, Counts: map[string]int{}, Findings: []NewConnectorFinding{},
		Operations: []NewConnectorOperation{}, Definition: string(f.Files()[authoring.DefinitionFile])}
	v.Auth = authoring.AuthNone
	if sd, ok := f.Definition["securityDefinitions"].(map[string]any); ok {
		for _, s := range sd {
			if m, ok := s.(map[string]any); ok {
				v.Auth = fmt.Sprint(m["type"])
			}
		}
	}
	paths, _ := f.Definition["paths"].(map[string]any)
	for p, item := range paths {
		ops, _ := item.(map[string]any)
		for m, op := range ops {
			o, ok := op.(map[string]any)
			if !ok || m == "parameters" || strings.HasPrefix(m, "x-") {
				continue
			}
			id, _ := o["operationId"].(string)
			sum, _ := o["summary"].(string)
			v.Operations = append(v.Operations, NewConnectorOperation{Method: strings.ToUpper(m), Path: p, OperationID: id, Summary: sum})
		}
	}
	sort.Slice(v.Operations, func(i, j int) bool {
		if v.Operations[i].Path != v.Operations[j].Path {
			return v.Operations[i].Path < v.Operations[j].Path
		}
		return v.Operations[i].Method < v.Operations[j].Method
	})
	for _, fd := range f.Findings {
		v.Findings = append(v.Findings, NewConnectorFinding{ID: fd.ID, Level: fd.Level.String(), Location: location(fd), Message: fd.Message, Fix: fd.Fix})
		v.Counts[fd.Level.String()]++
	}
	return v
}

func location(f connector.Finding) string {
	loc := filepath.Base(f.File)
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d:%d", loc, f.Line, f.Col)
	}
	if f.Pointer != "" {
		return loc + " #" + f.Pointer
	}
	return loc
}

// Save writes the last preview into dir ("" opens a folder dialog) and
// returns the folder. An existing connector is replaced only with
// overwrite.
func (s *NewConnectorService) Save(dir string, overwrite bool) (string, error) {
	s.mu.Lock()
	res := s.last
	s.mu.Unlock()
	if res == nil {
		return "", &UserError{Message: "nothing to save", Fix: "preview a connector first"}
	}
	if strings.TrimSpace(dir) == "" {
		d, err := s.dialog.ChooseFolder(s.ctx, "Save the connector in")
		if err != nil || d == "" {
			return "", err
		}
		dir = d
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", userErr(err, err.Error(), "")
	}
	if err := res.Folder.Write(abs, overwrite); err != nil {
		fix := "pick another folder"
		if os.IsPermission(err) {
			fix = "pick a folder you can write to"
		}
		return "", userErr(err, err.Error(), fix)
	}
	return abs, nil
}
