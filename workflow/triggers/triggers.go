package triggers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/mock/admin"
	"github.com/connectorlab/connectorlab/mock/trigger"
	"github.com/connectorlab/connectorlab/workflow"
)

// Client talks to one mock's admin API.
type Client struct {
	Base, Token string
	HTTP        *http.Client
}

// Connect finds the admin API on port and its token: the environment
// (getenv(admin.TokenEnv)), else the token file the mock wrote.
func Connect(port int, getenv func(string) string) (*Client, error) {
	infra := func(err error) error {
		return &workflow.Error{Kind: workflow.KindInfra, Message: err.Error(), Fix: "start `connectorlab mock` (its admin API), or give --admin-port and " + admin.TokenEnv, Err: err}
	}
	path, err := admin.DefaultTokenPath(port)
	if err != nil {
		return nil, infra(err)
	}
	c := &Client{HTTP: &http.Client{Timeout: 60 * time.Second}}
	tf, ferr := admin.ReadTokenFile(path)
	if tok := getenv(admin.TokenEnv); tok != "" {
		c.Base, c.Token = "http://127.0.0.1:"+strconv.Itoa(port), tok
		if ferr == nil {
			c.Base = tf.URL
		}
		return c, nil
	}
	if ferr != nil {
		return nil, infra(ferr)
	}
	c.Base, c.Token = tf.URL, tf.Token
	return c, nil
}

func (a *Client) call(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.Base+path, body)
	if err != nil {
		return &workflow.Error{Kind: workflow.KindInfra, Message: err.Error(), Err: err}
	}
	req.Header.Set("Authorization", "Bearer "+a.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.HTTP.Do(req)
	if err != nil {
		return &workflow.Error{Kind: workflow.KindInfra, Message: fmt.Sprintf("admin API at %s unreachable: %v", a.Base, err), Fix: "is `connectorlab mock` running?", Err: err}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if resp.StatusCode >= 300 {
		msg := "admin API: " + resp.Status
		var ae admin.Error
		if json.Unmarshal(b, &ae) == nil && ae.Error != "" {
			msg = "admin API: " + ae.Error
		}
		kind := workflow.KindInfra
		if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusBadRequest {
			kind = workflow.KindUsage
		}
		return &workflow.Error{Kind: kind, Message: msg}
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return &workflow.Error{Kind: workflow.KindInfra, Message: "admin API answer: " + err.Error(), Err: err}
		}
	}
	return nil
}

// Listing is what `trigger ls` shows.
type Listing struct {
	Connectors    []admin.Connector    `json:"connectors"`
	Subscriptions []admin.Subscription `json:"subscriptions"`
	Cursors       []admin.Cursor       `json:"cursors"`
	Deliveries    []admin.Delivery     `json:"deliveries"`
}

// List reads the triggers, subscriptions and cursors (of connector conn
// when set).
func (a *Client) List(ctx context.Context, conn string) (Listing, error) {
	var l Listing
	q := ""
	if conn != "" {
		q = "?connector=" + conn
	}
	for _, c := range []struct {
		path string
		v    any
	}{{"/v1/connectors", &l.Connectors}, {"/v1/subscriptions" + q, &l.Subscriptions}, {"/v1/cursors" + q, &l.Cursors}, {"/v1/deliveries" + q, &l.Deliveries}} {
		if err := a.call(ctx, http.MethodGet, c.path, nil, c.v); err != nil {
			return l, err
		}
	}
	return l, nil
}

// WriteList writes l as text (only connector conn when set).
func WriteList(w io.Writer, l Listing, conn string) {
	for _, c := range l.Connectors {
		if conn != "" && !strings.EqualFold(conn, c.Name) {
			continue
		}
		fmt.Fprintf(w, "%s (%s)\n", c.Name, c.URL)
		for _, t := range c.Triggers {
			extra := fmt.Sprintf("%d item(s) made", t.Items)
			if t.Kind == "webhook" {
				extra = fmt.Sprintf("%d subscription(s)", t.Subscriptions)
			}
			fmt.Fprintf(w, "  %-8s %-7s %-30s %s %s  %s\n", t.Kind, t.Cardinality, t.OperationID, t.Method, t.Path, extra)
		}
	}
	for _, s := range l.Subscriptions {
		fmt.Fprintf(w, "subscription %s %s → %s (%d delivered, %d failed)\n", s.ID, s.OperationID, s.CallbackURL, s.Deliveries, s.Failures)
	}
	for _, c := range l.Cursors {
		fmt.Fprintf(w, "poll %s %s: state %d → %d, %d item(s), %d\n", c.Connector, c.OperationID, c.Cursor, c.Next, c.Items, c.Status)
	}
	for _, d := range l.Deliveries {
		fmt.Fprintf(w, "delivery %s %s\n", d.Connector, DeliveryLine(d.Delivery))
	}
}

// DeliveryLine says where a delivery stands: "d3 OnOrderShipped → URL:
// delivered 200 after 1 attempt(s)".
func DeliveryLine(d trigger.Delivery) string {
	head := d.ID + " " + d.OperationID + " → " + d.CallbackURL + ": "
	switch d.State {
	case trigger.StateQueued, trigger.StateRunning:
		return strings.TrimPrefix(head, " ") + d.State
	}
	st := d.State
	if st == "" {
		st = "delivered"
		if !d.OK() {
			st = "failed"
		}
	}
	if d.Status != 0 {
		st += fmt.Sprintf(" %d", d.Status)
	}
	if d.Error != "" {
		st += " (" + d.Error + ")"
	}
	return strings.TrimPrefix(head, " ") + fmt.Sprintf("%s after %d attempt(s)", st, d.Attempts)
}

// FireSpec is one `trigger fire`.
type FireSpec struct {
	Connector, OperationID, Subscription string
	Count                                int
	// Payload is a JSON file ("-" reads Stdin) with the event (webhook)
	// or the item (polling); "" generates one.
	Payload string
	Stdin   io.Reader
	// Wait waits for the webhook deliveries; otherwise Fire returns at
	// once with their ids and `trigger ls` shows how they went.
	Wait bool
}

// Fire fires the event of spec.
func (a *Client) Fire(ctx context.Context, spec FireSpec) ([]admin.FireResult, error) {
	f := admin.Fire{Connector: spec.Connector, FireRequest: trigger.FireRequest{OperationID: spec.OperationID, Count: spec.Count, SubscriptionID: spec.Subscription, Async: !spec.Wait}}
	if spec.Payload != "" {
		var b []byte
		var err error
		if spec.Payload == "-" {
			b, err = io.ReadAll(spec.Stdin)
		} else {
			b, err = os.ReadFile(spec.Payload)
		}
		if err != nil {
			return nil, &workflow.Error{Kind: workflow.KindUsage, Message: "payload: " + err.Error(), Fix: "give a JSON file, or - for stdin", Err: err}
		}
		if !json.Valid(b) {
			return nil, workflow.Usage("payload "+spec.Payload+" is not JSON", "give the event (webhook) or the item (polling) as JSON")
		}
		f.Payload = b
	}
	var res []admin.FireResult
	err := a.call(ctx, http.MethodPost, "/v1/fire", f, &res)
	return res, err
}

// Outcome is what a fire achieved.
type Outcome struct {
	// Failed: a delivery did not succeed; Idle: a webhook trigger had no
	// subscriber, so nothing was delivered.
	Failed, Idle bool
}

// OK is true when every event reached a subscriber (or a poll).
func (o Outcome) OK() bool { return !o.Failed && !o.Idle }

// Judge says what res achieved.
func Judge(res []admin.FireResult) Outcome {
	var o Outcome
	for _, r := range res {
		o.Idle = o.Idle || len(r.Idle) > 0
		for _, d := range r.Deliveries {
			// A queued or running delivery (fire without wait) has not failed.
			pending := d.State == trigger.StateQueued || d.State == trigger.StateRunning
			o.Failed = o.Failed || d.State == trigger.StateFailed || !pending && !d.OK()
		}
	}
	return o
}

// IdleLines say which webhook triggers had no subscriber (for stderr).
func IdleLines(res []admin.FireResult) []string {
	var out []string
	for _, r := range res {
		for _, op := range r.Idle {
			out = append(out, fmt.Sprintf("%s %s: no subscriptions, nothing was delivered; subscribe (create a flow, or POST the subscription) first", r.Connector, op))
		}
	}
	return out
}

// WriteFire writes res as text (deliveries and new items; IdleLines has
// the triggers nobody subscribed to).
func WriteFire(w io.Writer, res []admin.FireResult) {
	for _, r := range res {
		for op, n := range r.Items {
			fmt.Fprintf(w, "%s %s: %d new item(s) for the next poll\n", r.Connector, op, n)
		}
		for _, d := range r.Deliveries {
			fmt.Fprintf(w, "%s %s\n", r.Connector, DeliveryLine(d))
		}
	}
}
