package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// RecentEntry is one connector the user opened before.
type RecentEntry struct {
	Path string `json:"path"`
	Name string `json:"name"`
	// OpenedAt is unix milliseconds.
	OpenedAt int64 `json:"openedAt"`
	// Missing is true when the path no longer exists.
	Missing bool `json:"missing,omitempty"`
}

// recentList persists the recently opened connectors as a small JSON file
// in the user config dir. Only paths and names are kept: never connection
// parameters or anything read from the definitions.
type recentList struct {
	mu   sync.Mutex
	file string
	max  int
}

type recentFile struct {
	SchemaVersion int           `json:"schemaVersion"`
	Entries       []RecentEntry `json:"entries"`
}

func newRecentList(configDir string) *recentList {
	return &recentList{file: filepath.Join(configDir, "recent.json"), max: 12}
}

func (r *recentList) load() ([]RecentEntry, error) {
	raw, err := os.ReadFile(r.file)
	if errors.Is(err, os.ErrNotExist) {
		return []RecentEntry{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read recent list %s: %w", r.file, err)
	}
	var f recentFile
	if err := json.Unmarshal(raw, &f); err != nil {
		// A damaged list is not worth an error dialog: start over, the
		// next save rewrites it.
		return []RecentEntry{}, nil
	}
	if f.Entries == nil {
		f.Entries = []RecentEntry{}
	}
	return f.Entries, nil
}

// List returns the entries, newest first, marking those whose path is gone.
func (r *recentList) List() ([]RecentEntry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	es, err := r.load()
	if err != nil {
		return nil, err
	}
	for i := range es {
		if _, err := os.Stat(es[i].Path); err != nil {
			es[i].Missing = true
		}
	}
	return es, nil
}

// Add puts path first in the list.
func (r *recentList) Add(path, name string, at time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	es, err := r.load()
	if err != nil {
		return err
	}
	out := []RecentEntry{{Path: path, Name: name, OpenedAt: at.UnixMilli()}}
	for _, e := range es {
		if e.Path != path && len(out) < r.max {
			out = append(out, e)
		}
	}
	return r.save(out)
}

// Remove drops path from the list.
func (r *recentList) Remove(path string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	es, err := r.load()
	if err != nil {
		return err
	}
	out := es[:0]
	for _, e := range es {
		if e.Path != path {
			out = append(out, e)
		}
	}
	return r.save(out)
}

func (r *recentList) save(es []RecentEntry) error {
	raw, err := json.MarshalIndent(recentFile{SchemaVersion: 1, Entries: es}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(r.file), 0o700); err != nil {
		return fmt.Errorf("create config dir: %w", err)
	}
	tmp := r.file + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		return fmt.Errorf("write recent list: %w", err)
	}
	if err := os.Rename(tmp, r.file); err != nil {
		return fmt.Errorf("write recent list: %w", err)
	}
	return nil
}
