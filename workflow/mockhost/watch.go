package mockhost

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/connector"
)

// WatchEvery is how often Watch looks at the definition's files.
const WatchEvery = 500 * time.Millisecond

// Loader loads the connector at path (connector.Loader.Load).
type Loader func(ctx context.Context, path string) (*connector.Connector, error)

// Watch reloads u from path whenever one of its files changes, until ctx
// is done. A definition that no longer loads or mocks keeps the running
// version; report is told of every reload, with the error when it
// failed (then c is nil).
func Watch(ctx context.Context, u *Unit, path string, load Loader, report func(c *connector.Connector, err error)) {
	watchFrom(ctx, stamp(u.Connector()), u, path, load, report)
}

// StartWatch is Watch in its own goroutine; the files' state it compares
// against is taken before it returns, so an edit right after is seen.
func StartWatch(ctx context.Context, u *Unit, path string, load Loader, report func(c *connector.Connector, err error)) {
	go watchFrom(ctx, stamp(u.Connector()), u, path, load, report)
}

func watchFrom(ctx context.Context, last string, u *Unit, path string, load Loader, report func(c *connector.Connector, err error)) {
	t := time.NewTicker(WatchEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := stamp(u.Connector())
		if now == last {
			continue
		}
		last = now
		c, err := load(ctx, path)
		if err == nil {
			err = u.Reload(c)
		}
		if err != nil {
			c = nil
			err = fmt.Errorf("reload of %s failed, still serving the last good version: %w", path, err)
		}
		if report != nil {
			report(c, err)
		}
	}
}

// stamp is the size and modification time of the definition's files
// (custom code included, so a saved script.csx is recompiled).
func stamp(c *connector.Connector) string {
	var b strings.Builder
	for _, p := range []string{c.Files.Definition, c.Files.Properties, c.Files.Script} {
		if p == "" {
			continue
		}
		if st, err := os.Stat(p); err == nil {
			fmt.Fprintf(&b, "%s:%d:%d;", p, st.Size(), st.ModTime().UnixNano())
		}
	}
	return b.String()
}
