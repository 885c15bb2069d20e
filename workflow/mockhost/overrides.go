package mockhost

import (
	"context"
	"fmt"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/mock/override"
	"github.com/connectorlab/connectorlab/workflow"
)

// Overrides is `mock --overrides`: On alone reads each connector's
// sidecar (.connectorlab/overrides.json beside it); File names one file
// (one connector only).
type Overrides struct {
	On   bool
	File string
}

// Check refuses one override file for several connectors.
func (ov Overrides) Check(connectors int) error {
	if ov.File != "" && connectors > 1 {
		return workflow.Usage("--overrides=FILE names one file but several connectors are served", "use --overrides alone to read each connector's .connectorlab/overrides.json")
	}
	return nil
}

// Apply loads the overrides of c (served from path) into a Set placed
// first among o's Responders and follows the file while ctx lives, so
// edits (the desktop's operations panel, an editor) apply without a
// restart; a broken edit keeps the last good overrides and is told to
// warn. line says what was applied ("" when nothing).
func (ov Overrides) Apply(ctx context.Context, path string, c *connector.Connector, o *mock.Options, warn func(error)) (line string, err error) {
	if !ov.On {
		return "", nil
	}
	file := ov.File
	if file == "" {
		file = override.DefaultPath(path)
	}
	f, err := override.Load(file, c)
	if err != nil {
		return "", &workflow.Error{Kind: workflow.KindUsage, Message: "--overrides: " + err.Error(), Fix: "fix the overrides file (the desktop's operations panel writes it) or run without --overrides", Err: err}
	}
	set := override.NewSet(f)
	o.Responders = append([]mock.Responder{set.Responder()}, o.Responders...)
	go set.Watch(ctx, file, c, 500*time.Millisecond, func(err error) {
		if warn != nil {
			warn(fmt.Errorf("overrides of %s not applied, still using the last good ones: %w", c.Name, err))
		}
	})
	if n := len(f.Operations); n > 0 {
		line = fmt.Sprintf("Overrides: %d operations of %s from %s", n, c.Name, file)
	}
	return line, nil
}
