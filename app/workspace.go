package app

import (
	"context"
	"fmt"
	"sync"

	"github.com/connectorlab/connectorlab/connector"
)

// workspace holds the connectors open in the window, by absolute path. The
// mock, record and contract services look connectors up here so that they
// run exactly what the Connectors screen shows.
type workspace struct {
	mu   sync.RWMutex
	open map[string]*connector.Connector
}

func newWorkspace() *workspace { return &workspace{open: map[string]*connector.Connector{}} }

func (w *workspace) put(path string, c *connector.Connector) {
	w.mu.Lock()
	w.open[path] = c
	w.mu.Unlock()
}

// load reads the connector at path again (a watched mock's reload).
func (w *workspace) load(ctx context.Context, path string) (*connector.Connector, error) {
	return (&connector.Loader{}).Load(ctx, path)
}

func (w *workspace) get(path string) (*connector.Connector, error) {
	w.mu.RLock()
	c := w.open[path]
	w.mu.RUnlock()
	if c == nil {
		return nil, &UserError{Message: fmt.Sprintf("connector %s is not open", path), Fix: "open it on the Connectors screen first"}
	}
	return c, nil
}
