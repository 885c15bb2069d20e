package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

// storeHolder opens the recordings database on first use and keeps it
// open: the Record and Contract screens share it.
type storeHolder struct {
	log  *slog.Logger
	mu   sync.Mutex
	path string
	st   *sqlite.Store
}

func newStoreHolder(log *slog.Logger, path string) *storeHolder {
	return &storeHolder{log: log, path: path}
}

func (h *storeHolder) get(ctx context.Context) (*sqlite.Store, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.st != nil {
		return h.st, nil
	}
	if err := os.MkdirAll(filepath.Dir(h.path), 0o700); err != nil {
		return nil, userErr(err, "cannot create the folder of "+h.path+": "+err.Error(), "pick a recordings database in a folder you can write to")
	}
	// Spool, as `connectorlab record`: an answer waits for a write(2) of
	// its exchange, not its commit (docs/RECORDINGS.md, Durability).
	st, err := sqlite.Open(ctx, h.path, sqlite.Options{Logger: h.log, Spool: true})
	if err != nil {
		return nil, userErr(err, "cannot open the recordings database: "+err.Error(), "pick another database file on the Record screen, or close the program that holds this one")
	}
	h.st = st
	return st, nil
}

// switchTo closes the current database and uses path from now on.
func (h *storeHolder) switchTo(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("database path %s: %w", path, err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.st != nil {
		if err := h.st.Close(); err != nil {
			h.log.Warn("close recordings database", "err", err)
		}
		h.st = nil
	}
	h.path = abs
	return nil
}

func (h *storeHolder) current() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.path
}

func (h *storeHolder) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.st != nil {
		_ = h.st.Close()
		h.st = nil
	}
}
