package cli

import (
	"context"
	"flag"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/connectorlab/connectorlab/mock"
	"github.com/connectorlab/connectorlab/mock/trigger"
	"github.com/connectorlab/connectorlab/workflow/mockhost"
)

// DefaultAdminPort is where `connectorlab mock` serves its admin API.
const DefaultAdminPort = mockhost.DefaultAdminPort

// DefaultRecordPort is where `connectorlab record` listens by default (its
// --port); webhook callbacks may never name it, even with
// --allow-private-callbacks: the recording proxy adds the connection's
// real credentials to what it forwards.
const DefaultRecordPort = 4020

// ppFlags are the Power Platform flags of `connectorlab mock`.
type ppFlags struct {
	fireEvery     time.Duration
	strictDynamic bool
	schemaFile    string
	adminPort     int
	adminPortSet  bool // --admin-port given: a busy port is an error, not a fallback
	allowPrivate  bool
	maxSubs       int
	maxCallback   int
	hub           *mock.Hub
}

func (p *ppFlags) register(fs *flag.FlagSet) {
	fs.DurationVar(&p.fireEvery, "fire-every", 0, "fire every trigger on this schedule (30s): a webhook event to each subscription, a new item for each polling trigger")
	fs.BoolVar(&p.strictDynamic, "strict-dynamic", false, "reject (400) values that a parameter's dynamic-values lookup would not return")
	fs.StringVar(&p.schemaFile, "dynamic-schemas", "", "JSON file of schemas for dynamic-schema lookups (default: dynamic-schemas.json next to the connector)")
	fs.IntVar(&p.adminPort, "admin-port", DefaultAdminPort, "port of the admin API on 127.0.0.1 (0 picks a free port, -1 turns it off; a taken default falls back to a free one)")
	fs.BoolVar(&p.allowPrivate, "allow-private-callbacks", false, "let webhook subscriptions name loopback and private callback addresses (local receivers); off, a web page cannot make the mock call services on this machine")
	fs.IntVar(&p.maxSubs, "max-subscriptions", trigger.DefaultMaxSubscriptions, "live webhook subscriptions kept (429 beyond)")
	fs.IntVar(&p.maxCallback, "max-callback-url", trigger.DefaultMaxCallbackURL, "longest webhook callback URL in bytes (413 beyond)")
}

// explicit notes which flags the user gave.
func (p *ppFlags) explicit(fs *flag.FlagSet) {
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "admin-port" {
			p.adminPortSet = true
		}
	})
}

// apply puts the flags into the mock options.
func (p *ppFlags) apply(o *mock.Options, e *env) {
	p.hub = mock.NewHub(e.log)
	p.hub.AddOwnAddr(net.JoinHostPort("127.0.0.1", strconv.Itoa(DefaultRecordPort)))
	o.PowerPlatform = mock.PowerPlatformOptions{StrictDynamic: p.strictDynamic, SchemaFile: p.schemaFile, Hub: p.hub,
		AllowPrivateCallbacks: p.allowPrivate, MaxSubscriptions: p.maxSubs, MaxCallbackURL: p.maxCallback}
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
	a, stop, err := mockhost.StartAdmin(ctx, p.hub, p.adminPort, p.adminPortSet, e.log)
	if err != nil {
		return nil, err
	}
	for _, l := range a.Lines() {
		fmt.Fprintln(e.stdout, l)
	}
	return stop, nil
}
