package replay

import (
	"context"
	"fmt"

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
	b := probe.New(c, opts)
	for i, op := range c.Operations {
		if op.Trigger != nil && op.Trigger.Kind == connector.TriggerWebhook {
			// Subscribing a live API to a callback nobody serves would
			// leave a dangling webhook behind.
			skipped = append(skipped, fmt.Sprintf("%s: webhook subscription not sent", op.ID))
			continue
		}
		req, err := b.Build(op)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", op.ID, err))
			continue
		}
		u := req.Path
		if q := req.Query.Encode(); q != "" {
			u += "?" + q
		}
		xs = append(xs, &recordings.Exchange{
			ID: int64(i + 1), Source: recordings.SourceTest, Connector: c.Name, OperationID: op.ID,
			Request: recordings.Request{Method: req.Method, URL: u, Message: recordings.Message{Header: req.Header, Body: req.Body, Size: int64(len(req.Body))}},
		})
	}
	return xs, skipped
}

// RunGenerated builds requests with Generated and runs them. A generated
// request is valid for its operation, so an operation that never got a
// success (every answer 4xx/5xx, declared or not) fails the run:
// operation-never-succeeded, an error on its case. Without it a target
// that answers 404 to everything would pass.
func (r *Runner) RunGenerated(ctx context.Context, opts probe.Options) (*Result, []string, error) {
	xs, skipped := Generated(r.c, opts)
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
	for i := range res.Suite.Cases {
		c := &res.Suite.Cases[i]
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
