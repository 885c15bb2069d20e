package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/workflow/mockhost"
)

// DefaultAdminPort is where `connectorlab mock` serves its admin API.
const DefaultAdminPort = mockhost.DefaultAdminPort

// ppFlags are the Power Platform flags of `connectorlab mock`.
type ppFlags struct {
	fireEvery     time.Duration
	strictDynamic bool
	schemaFile    string
	adminPort     int
	hub           *mock.Hub
}

func (p *ppFlags) register(fs *flag.FlagSet) {
	fs.DurationVar(&p.fireEvery, "fire-every", 0, "fire every trigger on this schedule (30s): a webhook event to each subscription, a new item for each polling trigger")
	fs.BoolVar(&p.strictDynamic, "strict-dynamic", false, "reject (400) values that a parameter's dynamic-values lookup would not return")
	fs.StringVar(&p.schemaFile, "dynamic-schemas", "", "JSON file of schemas for dynamic-schema lookups (default: dynamic-schemas.json next to the connector)")
	fs.IntVar(&p.adminPort, "admin-port", DefaultAdminPort, "port of the admin API on 127.0.0.1 (0 picks a free port, -1 turns it off; a taken default falls back to a free one)")
}

// apply puts the flags into the mock options.
func (p *ppFlags) apply(o *mock.Options, e *env) {
	p.hub = mock.NewHub(e.log)
	o.PowerPlatform = mock.PowerPlatformOptions{StrictDynamic: p.strictDynamic, SchemaFile: p.schemaFile, Hub: p.hub}
}

// start opens the admin API and runs the schedule; it returns a cleanup
// function.
func (p *ppFlags) start(ctx context.Context, e *env) (func(), error) {
	if p.fireEvery > 0 {
		go p.hub.Run(ctx, p.fireEvery)
		fmt.Fprintf(e.stdout, "Firing every trigger every %s\n", p.fireEvery)
	}
	if p.adminPort < 0 {
		return func() {}, nil
	}
	a, stop, err := mockhost.StartAdmin(ctx, p.hub, p.adminPort, e.log)
	if err != nil {
		return nil, err
	}
	for _, l := range a.Lines() {
		fmt.Fprintln(e.stdout, l)
	}
	return stop, nil
}
