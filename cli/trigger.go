package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/mock/admin"
	"github.com/connectorlab/connectorlab/mock/trigger"
)

// runTrigger is `connectorlab trigger ls|fire`: it drives the triggers of a
// running `connectorlab mock` through its admin API.
func runTrigger(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet("trigger", "ls | fire OPERATION", "List the triggers, subscriptions and polling cursors of a running mock, or fire an event.\n"+
		"The admin token comes from "+admin.TokenEnv+" or the token file the mock wrote for --admin-port.", e)
	port := fs.Int("admin-port", DefaultAdminPort, "admin port of the running mock")
	conn := fs.String("connector", "", "connector name, when the mock serves several")
	count := fs.Int("count", 1, "fire: number of events")
	sub := fs.String("subscription", "", "fire: only this webhook subscription")
	payload := fs.String("payload", "", "fire: JSON file with the payload (webhook) or item (polling); - reads stdin")
	format := fs.String("format", "text", "output: text or json")
	wait := fs.Bool("wait", false, "fire: wait for the deliveries and exit 1 if one failed (default: return at once with the delivery ids; trigger ls shows how they went)")
	rest, code, ok := parseFlags(fs, args, e)
	if !ok {
		return code
	}
	if len(rest) == 0 || (rest[0] != "ls" && rest[0] != "fire") || (rest[0] == "fire" && len(rest) != 2) || (rest[0] == "ls" && len(rest) != 1) {
		fmt.Fprintln(e.stderr, "connectorlab trigger: use `trigger ls` or `trigger fire OPERATION`")
		return ExitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(e.stderr, "connectorlab trigger: --format %q: use text or json\n", *format)
		return ExitUsage
	}
	base, tok, err := adminTarget(*port)
	if err != nil {
		fmt.Fprintln(e.stderr, "connectorlab trigger:", err)
		return ExitInfra
	}
	cl := &adminClient{base: base, token: tok, http: &http.Client{Timeout: 60 * time.Second}}
	if rest[0] == "ls" {
		return triggerList(ctx, e, cl, *conn, *format)
	}
	f := admin.Fire{Connector: *conn, FireRequest: trigger.FireRequest{OperationID: rest[1], Count: *count, SubscriptionID: *sub, Async: !*wait}}
	if *payload != "" {
		var b []byte
		if *payload == "-" {
			b, err = io.ReadAll(os.Stdin)
		} else {
			b, err = os.ReadFile(*payload)
		}
		if err != nil {
			fmt.Fprintln(e.stderr, "connectorlab trigger: --payload:", err)
			return ExitUsage
		}
		if !json.Valid(b) {
			fmt.Fprintf(e.stderr, "connectorlab trigger: --payload %s is not JSON\n", *payload)
			return ExitUsage
		}
		f.Payload = b
	}
	var res []admin.FireResult
	if code, err := cl.call(ctx, http.MethodPost, "/v1/fire", f, &res); err != nil {
		fmt.Fprintln(e.stderr, "connectorlab trigger:", err)
		if code == http.StatusNotFound || code == http.StatusBadRequest {
			return ExitUsage
		}
		return ExitInfra
	}
	if *format == "json" {
		writeTriggerJSON(e.stdout, res)
	}
	failed, happened := false, false
	for _, r := range res {
		if len(r.Items) > 0 || len(r.Deliveries) > 0 {
			happened = true
		}
	}
	for _, r := range res {
		for op, n := range r.Items {
			if *format == "text" {
				fmt.Fprintf(e.stdout, "%s %s: %d new item(s) for the next poll\n", r.Connector, op, n)
			}
		}
		for _, op := range r.Idle {
			if *format == "text" || !happened {
				fmt.Fprintf(e.stderr, "connectorlab trigger: %s %s: no subscriptions, nothing was delivered; subscribe (create a flow) first\n", r.Connector, op)
			}
		}
		for _, d := range r.Deliveries {
			if d.State == trigger.StateFailed || d.State != trigger.StateQueued && d.State != trigger.StateRunning && !d.OK() {
				failed = true
			}
			if *format == "text" {
				fmt.Fprintf(e.stdout, "%s %s\n", r.Connector, deliveryLine(d))
			}
		}
	}
	if !happened {
		return ExitFindings
	}
	if failed {
		return ExitFindings
	}
	if !*wait && *format == "text" {
		fmt.Fprintln(e.stdout, "Deliveries run in the background; connectorlab trigger ls shows their attempts and result.")
	}
	return ExitOK
}

// deliveryLine says where a delivery stands: "d3 OnOrderShipped → URL:
// delivered 200 after 1 attempt(s)".
func deliveryLine(d trigger.Delivery) string {
	head := d.ID + " " + d.OperationID + " → " + d.CallbackURL + ": "
	switch d.State {
	case trigger.StateQueued, trigger.StateRunning:
		return head + d.State
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

func triggerList(ctx context.Context, e *env, cl *adminClient, conn, format string) int {
	q := ""
	if conn != "" {
		q = "?connector=" + conn
	}
	var cs []admin.Connector
	var subs []admin.Subscription
	var curs []admin.Cursor
	var dels []admin.Delivery
	for _, c := range []struct {
		path string
		v    any
	}{{"/v1/connectors", &cs}, {"/v1/subscriptions" + q, &subs}, {"/v1/cursors" + q, &curs}, {"/v1/deliveries" + q, &dels}} {
		if _, err := cl.call(ctx, http.MethodGet, c.path, nil, c.v); err != nil {
			fmt.Fprintln(e.stderr, "connectorlab trigger:", err)
			return ExitInfra
		}
	}
	if format == "json" {
		writeTriggerJSON(e.stdout, map[string]any{"connectors": cs, "subscriptions": subs, "cursors": curs, "deliveries": dels})
		return ExitOK
	}
	for _, c := range cs {
		if conn != "" && !strings.EqualFold(conn, c.Name) {
			continue
		}
		fmt.Fprintf(e.stdout, "%s (%s)\n", c.Name, c.URL)
		for _, t := range c.Triggers {
			extra := ""
			if t.Kind == "webhook" {
				extra = fmt.Sprintf("%d subscription(s)", t.Subscriptions)
			} else {
				extra = fmt.Sprintf("%d item(s) made", t.Items)
			}
			fmt.Fprintf(e.stdout, "  %-8s %-7s %-30s %s %s  %s\n", t.Kind, t.Cardinality, t.OperationID, t.Method, t.Path, extra)
		}
	}
	for _, s := range subs {
		fmt.Fprintf(e.stdout, "subscription %s %s → %s (%d delivered, %d failed)\n", s.ID, s.OperationID, s.CallbackURL, s.Deliveries, s.Failures)
	}
	for _, c := range curs {
		fmt.Fprintf(e.stdout, "poll %s %s: state %d → %d, %d item(s), %d\n", c.Connector, c.OperationID, c.Cursor, c.Next, c.Items, c.Status)
	}
	for _, d := range dels {
		fmt.Fprintf(e.stdout, "delivery %s %s\n", d.Connector, deliveryLine(d.Delivery))
	}
	return ExitOK
}

func writeTriggerJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// adminTarget finds the admin API and its token: the environment, else
// the token file the mock wrote.
func adminTarget(port int) (string, string, error) {
	path, err := admin.DefaultTokenPath(port)
	if err != nil {
		return "", "", err
	}
	tf, ferr := admin.ReadTokenFile(path)
	if tok := os.Getenv(admin.TokenEnv); tok != "" {
		u := "http://127.0.0.1:" + itoa(port)
		if ferr == nil {
			u = tf.URL
		}
		return u, tok, nil
	}
	if ferr != nil {
		return "", "", ferr
	}
	return tf.URL, tf.Token, nil
}

type adminClient struct {
	base, token string
	http        *http.Client
}

func (a *adminClient) call(ctx context.Context, method, path string, in, out any) (int, error) {
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("admin API at %s unreachable: %w (is `connectorlab mock` running?)", a.base, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if resp.StatusCode >= 300 {
		var ae admin.Error
		if json.Unmarshal(b, &ae) == nil && ae.Error != "" {
			return resp.StatusCode, fmt.Errorf("admin API: %s", ae.Error)
		}
		return resp.StatusCode, fmt.Errorf("admin API: %s", resp.Status)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, fmt.Errorf("admin API answer: %w", err)
		}
	}
	return resp.StatusCode, nil
}
