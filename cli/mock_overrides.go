package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/mock/override"
)

// overridesFlag is --overrides: alone, each connector's sidecar
// (.connectorlab/overrides.json beside it); --overrides=FILE, that file
// (one connector only).
type overridesFlag struct {
	on   bool
	file string
}

func (o *overridesFlag) String() string {
	if o == nil || !o.on {
		return ""
	}
	if o.file == "" {
		return "true"
	}
	return o.file
}

func (o *overridesFlag) Set(v string) error {
	switch v {
	case "true":
		o.on, o.file = true, ""
	case "false", "":
		o.on, o.file = false, ""
	default:
		o.on, o.file = true, v
	}
	return nil
}

func (o *overridesFlag) IsBoolFlag() bool { return true }

// applyOverrides loads the overrides of connector c (served from path)
// into a Set placed first among opts' Responders, and follows the file
// while ctx lives, so edits (the desktop app's operations panel, an
// editor) apply without a restart.
func applyOverrides(ctx context.Context, e *env, of *overridesFlag, path string, c *connector.Connector, opts *mock.Options) error {
	if !of.on {
		return nil
	}
	file := of.file
	if file == "" {
		file = override.DefaultPath(path)
	}
	f, err := override.Load(file, c)
	if err != nil {
		return fmt.Errorf("--overrides: %w", err)
	}
	set := override.NewSet(f)
	opts.Responders = append([]mock.Responder{set.Responder()}, opts.Responders...)
	go set.Watch(ctx, file, c, 500*time.Millisecond, func(err error) {
		fmt.Fprintf(e.stderr, "connectorlab mock: overrides of %s not applied, still using the last good ones: %v\n", c.Name, err)
	})
	if n := len(f.Operations); n > 0 {
		fmt.Fprintf(e.stdout, "Overrides: %d operations of %s from %s\n", n, c.Name, file)
	}
	return nil
}
