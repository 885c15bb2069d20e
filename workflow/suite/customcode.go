package suite

import (
	"net/http"

	"github.com/connectorlab/connectorlab/contract/replay"
	"github.com/connectorlab/connectorlab/scripthost"
)

// UseCustomCode runs r's script in front of the run's client: each
// replayed request (auth and policies applied) is the script's
// Context.Request, and what the script sends goes to the target. Use it
// for sessions recorded without the script (recorder.CustomCodeTag
// absent): those hold what clients sent, not what the gateway sent.
func UseCustomCode(opts *replay.Options, r *scripthost.Runner) {
	if r == nil {
		return
	}
	c := opts.Client
	if c == nil {
		c = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	cc := *c
	cc.Transport = r.RoundTripper(c.Transport)
	opts.Client = &cc
}
