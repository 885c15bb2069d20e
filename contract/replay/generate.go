package replay

import (
	"context"
	"fmt"
	"net/url"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/probe"
	"github.com/connectorlab/connectorlab/recordings"
)

// Generated builds one request per operation from the definition (package
// probe) as exchanges without a response, so Run checks the target's
// answers for conformance only. Operations probe cannot build a request
// for come back in skipped with the reason.
func Generated(c *connector.Connector, opts probe.Options) (xs []*recordings.Exchange, skipped []string) {
	return GeneratedContext(context.Background(), c, opts)
}

// GeneratedContext is Generated with a context for the dynamic-schema
// lookups opts.Lookup makes. What the probe could not look up is an info
// Note (RequestDynamicUnresolved) on the exchange.
func GeneratedContext(ctx context.Context, c *connector.Connector, opts probe.Options) (xs []*recordings.Exchange, skipped []string) {
	b := probe.New(c, opts)
	for i, op := range c.Operations {
		if op.Trigger != nil && op.Trigger.Kind == connector.TriggerWebhook {
			// Subscribing a live API to a callback nobody serves would
			// leave a dangling webhook behind.
			skipped = append(skipped, fmt.Sprintf("%s: webhook subscription not sent", op.ID))
			continue
		}
		req, err := b.BuildContext(ctx, op)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", op.ID, err))
			continue
		}
		u := req.Path
		if q := req.Query.Encode(); q != "" {
			u += "?" + q
		}
		x := &recordings.Exchange{
			ID: int64(i + 1), Source: recordings.SourceTest, Connector: c.Name, OperationID: op.ID,
			Request: recordings.Request{Method: req.Method, URL: u, Message: recordings.Message{Header: req.Header, Body: req.Body, Size: int64(len(req.Body))}},
		}
		for _, n := range req.Notes {
			x.Notes = append(x.Notes, recordings.Note{ID: RequestDynamicUnresolved, Level: "info", Message: n})
		}
		xs = append(xs, x)
	}
	return xs, skipped
}

// lookup sends a lookup request the probe built to the target the way
// every replayed request goes (basePath, policies, the connection's
// credentials, retries): test --generate resolves dynamic body schemas on
// the API it tests, as the designer does before it sends the action.
func (r *Runner) lookup(ctx context.Context, req *probe.Request) (int, []byte, error) {
	if r.opts.Target == nil {
		return 0, nil, fmt.Errorf("no target to send the %s lookup to", req.Operation.ID)
	}
	raw := req.Path
	if q := req.Query.Encode(); q != "" {
		raw += "?" + q
	}
	u, err := url.Parse(raw)
	if err != nil {
		return 0, nil, fmt.Errorf("%s lookup URL: %w", req.Operation.ID, err)
	}
	u = r.withBasePath(u)
	var params map[string]string
	if m, _ := r.router.Find(req.Method, u.EscapedPath()); m != nil {
		params = m.Params
	}
	x := &recordings.Exchange{Source: recordings.SourceTest, Connector: r.c.Name, OperationID: req.Operation.ID,
		Request: recordings.Request{Method: req.Method, URL: raw, Message: recordings.Message{Header: req.Header, Body: req.Body, Size: int64(len(req.Body))}}}
	resp, body, err := r.send(ctx, x, u, req.Operation, params)
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, body, nil
}

// RunGenerated builds requests with Generated and runs them. A generated
// request is valid for its operation, so an operation that never got a
// success (every answer 4xx/5xx, declared or not) fails the run:
// operation-never-succeeded, an error on its case. Without it a target
// that answers 404 to everything would pass.
//
// Dynamic request-body schemas are looked up on the target (opts.Lookup,
// when nil, sends through the runner); a part whose lookup failed is
// generated from the static schema and its case carries an info
// RequestDynamicUnresolved finding saying so.
func (r *Runner) RunGenerated(ctx context.Context, opts probe.Options) (*Result, []string, error) {
	if opts.Lookup == nil {
		opts.Lookup = r.lookup
	}
	xs, skipped := GeneratedContext(ctx, r.c, opts)
	// One case per operation, and the check below needs every case:
	// nothing is summarised.
	res, err := r.run(ctx, r.c.Name+" (generated)", r.selected(xs), SliceSource(xs), contract.Keep{Failing: -1, Passing: -1})
	if err != nil || res == nil {
		return res, skipped, err
	}
	succeeded := map[string]bool{}
	for _, c := range res.Suite.Cases {
		if c.Error == "" && c.Skipped == "" && c.Status > 0 && c.Status < 400 {
			succeeded[c.Operation] = true
		}
	}
	notes := map[int64][]recordings.Note{}
	for _, x := range xs {
		notes[x.ID] = x.Notes
	}
	for i := range res.Suite.Cases {
		c := &res.Suite.Cases[i]
		for _, n := range notes[c.Exchange] {
			c.Findings = append(c.Findings, contract.Finding{ID: n.ID, Level: contract.LevelInfo, Operation: c.Operation,
				Method: c.Method, Exchange: c.Exchange, Where: "request.body", Message: n.Message,
				Fix: "check that the lookup the extension names answers with a schema at its value-path"})
		}
		if c.Error != "" || c.Skipped != "" || c.Status < 400 || succeeded[c.Operation] {
			continue
		}
		c.Findings = append(c.Findings, contract.Finding{ID: NeverSucceeded, Level: contract.LevelError, Operation: c.Operation,
			Method: c.Method, Exchange: c.Exchange, Where: "response.status", New: fmt.Sprint(c.Status),
			Message: fmt.Sprintf("%s never succeeded: a valid generated request got %d", c.Operation, c.Status),
			Fix:     "check the target serves this operation (path, basePath, auth) or that the definition's request is right"})
	}
	return res, skipped, err
}
