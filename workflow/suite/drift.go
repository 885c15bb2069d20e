package suite

import (
	"context"
	"net/url"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract/conform"
	"github.com/connectorlab/connectorlab/contract/drift"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/route"
)

// Traffic is `drift`: every recorded response of the inputs (webhook
// events and failed exchanges aside) checked against c offline, read as
// they are checked (the aggregate keeps one finding per kind, not the
// exchanges). n is how many responses were compared.
func Traffic(ctx context.Context, c *connector.Connector, inputs []Input) (tr *drift.Traffic, n int, err error) {
	router := route.New(c)
	tr = drift.NewTraffic(c, conform.New(c, conform.Options{}))
	add := func(x *recordings.Exchange) error {
		if x == nil || x.Source == recordings.SourceEvent || x.Response.Status == 0 {
			return nil
		}
		n++
		o := drift.Observation{Method: x.Request.Method, URL: x.Request.URL, Status: x.Response.Status, Header: x.Response.Header, Body: x.Response.Body}
		if op := c.Operation(x.OperationID); op != nil {
			o.Operation = op
		} else if u, err := url.Parse(x.Request.URL); err == nil {
			if m, _ := router.Find(x.Request.Method, u.EscapedPath()); m != nil {
				o.Operation = m.Operation
			}
		}
		tr.Add(o)
		return ctx.Err()
	}
	for _, in := range inputs {
		if err := in.Each(ctx, add); err != nil {
			return tr, n, err
		}
	}
	return tr, n, nil
}
