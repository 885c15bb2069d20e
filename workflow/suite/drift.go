package suite

import (
	"net/url"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract/conform"
	"github.com/connectorlab/connectorlab/contract/drift"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/route"
)

// Traffic is `drift`: every recorded response of xs (webhook events and
// failed exchanges aside) checked against c offline. n is how many
// responses were compared.
func Traffic(c *connector.Connector, xs []*recordings.Exchange) (tr *drift.Traffic, n int) {
	router := route.New(c)
	tr = drift.NewTraffic(c, conform.New(c, conform.Options{}))
	for _, x := range xs {
		if x == nil || x.Source == recordings.SourceEvent || x.Response.Status == 0 {
			continue
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
	}
	return tr, n
}
