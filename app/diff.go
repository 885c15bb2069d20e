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
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/report"
	"github.com/connectorlab/connectorlab/contract/specdiff"
)

// SideView names one side of a diff.
type SideView struct {
	Path       string `json:"path"`
	Name       string `json:"name"`
	Operations int    `json:"operations"`
	Format     string `json:"format"`
}

// ContractFinding is a contract.Finding with its level as text.
type ContractFinding struct {
	ID         string `json:"id"`
	Level      string `json:"level"`
	Operation  string `json:"operation,omitempty"`
	Method     string `json:"method,omitempty"`
	Path       string `json:"path,omitempty"`
	Where      string `json:"where,omitempty"`
	Field      string `json:"field,omitempty"`
	Message    string `json:"message"`
	Old        string `json:"old,omitempty"`
	New        string `json:"new,omitempty"`
	Location   string `json:"location,omitempty"`
	Fix        string `json:"fix,omitempty"`
	Count      int    `json:"count,omitempty"`
	CustomCode bool   `json:"customCode,omitempty"`
	Exchange   int64  `json:"exchange,omitempty"`
}

func contractFindings(fs []contract.Finding) []ContractFinding {
	out := make([]ContractFinding, 0, len(fs))
	for _, f := range fs {
		loc := f.File
		if f.Line > 0 {
			loc = fmt.Sprintf("%s:%d:%d", filepath.Base(f.File), f.Line, f.Col)
		} else if f.Pointer != "" {
			loc = filepath.Base(f.File) + " #" + f.Pointer
		}
		out = append(out, ContractFinding{
			ID: f.ID, Level: f.Level.String(), Operation: f.Operation, Method: f.Method, Path: f.Path,
			Where: f.Where, Field: f.Field, Message: f.Message, Old: f.Old, New: f.New,
			Location: loc, Fix: f.Fix, Count: f.Count, CustomCode: f.CustomCode, Exchange: f.Exchange,
		})
	}
	// Breaking changes first, then by operation, stable within.
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := levelRank(out[i].Level), levelRank(out[j].Level); a != b {
			return a > b
		}
		return out[i].Operation < out[j].Operation
	})
	return out
}

// DiffView is the breaking-change report between two definitions.
type DiffView struct {
	Old      SideView          `json:"old"`
	New      SideView          `json:"new"`
	Findings []ContractFinding `json:"findings"`
	Counts   map[string]int    `json:"counts"`
	Passed   bool              `json:"passed"`
	Millis   int64             `json:"millis"`
}

// DiffService is bound to the window: compare two definitions.
type DiffService struct {
	ctx    context.Context
	log    *slog.Logger
	loader *connector.Loader
	dialog dialogs

	mu   sync.Mutex
	last *contract.Report
}

func newDiffService(log *slog.Logger, d dialogs) *DiffService {
	return &DiffService{ctx: context.Background(), log: log, loader: &connector.Loader{}, dialog: d}
}

func (s *DiffService) startup(ctx context.Context) { s.ctx = ctx }

// Compare loads both definitions and reports what changed, breaking
// changes first.
func (s *DiffService) Compare(oldPath, newPath string) (DiffView, error) {
	started := time.Now()
	var sides [2]*connector.Connector
	for i, p := range []string{oldPath, newPath} {
		which := []string{"old", "new"}[i]
		p = strings.TrimSpace(p)
		if p == "" {
			return DiffView{}, &UserError{Message: "no " + which + " definition given", Fix: "pick both the old and the new definition"}
		}
		abs, _ := filepath.Abs(p)
		if _, err := os.Stat(abs); err != nil {
			return DiffView{}, userErr(err, fmt.Sprintf("the %s definition %s does not exist", which, abs), "check the path")
		}
		c, err := s.loader.Load(s.ctx, abs)
		if err != nil {
			d := describe(err)
			return DiffView{}, userErr(err, "the "+which+" definition cannot be loaded: "+d.Message, d.Fix)
		}
		sides[i] = c
	}
	fs := specdiff.Run(sides[0], sides[1])
	r := &contract.Report{
		Tool: "connectorlab desktop", Kind: contract.KindDiff, Connector: sides[1].Name,
		Old: oldPath, New: newPath, Started: started, FailOn: contract.LevelError,
		CustomCode: sides[1].CustomCode != nil, Findings: fs,
	}
	r.Duration = contract.Duration(time.Since(started))
	r.Finish()
	s.mu.Lock()
	s.last = r
	s.mu.Unlock()
	v := DiffView{
		Old:      SideView{Path: oldPath, Name: sides[0].Name, Operations: len(sides[0].Operations), Format: string(sides[0].Format)},
		New:      SideView{Path: newPath, Name: sides[1].Name, Operations: len(sides[1].Operations), Format: string(sides[1].Format)},
		Findings: contractFindings(fs), Counts: r.Counts, Passed: r.Passed, Millis: time.Since(started).Milliseconds(),
	}
	return v, nil
}

// Export writes the last diff as html, json or junit to path (a save
// dialog when path is ""); it returns the path written, "" if cancelled.
func (s *DiffService) Export(format, path string) (string, error) {
	s.mu.Lock()
	r := s.last
	s.mu.Unlock()
	if r == nil {
		return "", &UserError{Message: "there is no diff to export yet", Fix: "compare two definitions first"}
	}
	return exportReport(s.ctx, s.dialog, r, format, path, "diff")
}

// exportReport writes r in format to path, asking with a save dialog when
// path is empty.
func exportReport(ctx context.Context, d dialogs, r *contract.Report, format, path, stem string) (string, error) {
	ext := map[string]string{"html": ".html", "json": ".json", "junit": ".xml"}[format]
	if ext == "" {
		return "", &UserError{Message: fmt.Sprintf("report format %q is not supported", format), Fix: "export as html, json or junit"}
	}
	if path == "" {
		p, err := d.SaveFile(ctx, "Export report", stem+"-report"+ext, "*"+ext)
		if err != nil || p == "" {
			return "", err
		}
		path = p
	}
	f, err := report.New(format, report.Options{})
	if err != nil {
		return "", err
	}
	out, err := os.Create(path)
	if err != nil {
		return "", userErr(err, "cannot write "+path+": "+err.Error(), "pick a folder you can write to")
	}
	if err := f.Format(out, r); err != nil {
		out.Close()
		return "", fmt.Errorf("write report %s: %w", path, err)
	}
	if err := out.Close(); err != nil {
		return "", userErr(err, "cannot write "+path+": "+err.Error(), "check the disk has room")
	}
	return path, nil
}
