package triggers

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/mock/admin"
	"github.com/connectorlab/connectorlab/mock/trigger"
	"github.com/connectorlab/connectorlab/workflow"
)

func TestJudge(t *testing.T) {
	t.Parallel()
	if o := Judge([]admin.FireResult{{FireResult: trigger.FireResult{Idle: []string{"OnOrder"}}}}); o.OK() || !o.Idle {
		t.Errorf("no subscriber: %+v", o)
	}
	if o := Judge([]admin.FireResult{{FireResult: trigger.FireResult{Deliveries: []trigger.Delivery{{Status: 500}}}}}); o.OK() || !o.Failed {
		t.Errorf("failed delivery: %+v", o)
	}
	if o := Judge([]admin.FireResult{{FireResult: trigger.FireResult{Deliveries: []trigger.Delivery{{Status: 200}}, Items: map[string]int{"Poll": 1}}}}); !o.OK() {
		t.Errorf("delivered: %+v", o)
	}
	if l := IdleLines([]admin.FireResult{{Connector: "C", FireResult: trigger.FireResult{Idle: []string{"OnOrder"}}}}); len(l) != 1 || !strings.Contains(l[0], "no subscriptions, nothing was delivered") {
		t.Errorf("idle lines %q", l)
	}
	var b bytes.Buffer
	WriteFire(&b, []admin.FireResult{{Connector: "C", FireResult: trigger.FireResult{Deliveries: []trigger.Delivery{{ID: "d1", OperationID: "OnOrder", CallbackURL: "http://x", Status: 200, Attempts: 1}}}}})
	if !strings.Contains(b.String(), "d1 OnOrder → http://x: delivered 200 after 1 attempt(s)") {
		t.Errorf("text %q", b.String())
	}
}

func TestClientErrorsAndPayload(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error": "no trigger NoSuch"}`))
	}))
	defer srv.Close()
	c := &Client{Base: srv.URL, Token: "tok", HTTP: srv.Client()}
	_, err := c.Fire(context.Background(), FireSpec{OperationID: "NoSuch"})
	if workflow.KindOf(err) != workflow.KindUsage || !strings.Contains(err.Error(), "no trigger NoSuch") {
		t.Errorf("404: %v", err)
	}
	c.Token = "wrong"
	if _, err := c.List(context.Background(), ""); workflow.KindOf(err) != workflow.KindInfra {
		t.Errorf("401: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "p.json")
	os.WriteFile(bad, []byte("{nope"), 0o600)
	if _, err := c.Fire(context.Background(), FireSpec{OperationID: "X", Payload: bad}); workflow.KindOf(err) != workflow.KindUsage || !strings.Contains(err.Error(), "not JSON") {
		t.Errorf("bad payload: %v", err)
	}
	if _, err := (&Client{Base: "http://127.0.0.1:1", HTTP: http.DefaultClient}).List(context.Background(), ""); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Errorf("unreachable: %v", err)
	}
}
