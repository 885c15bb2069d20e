package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/workflow/sessions"
)

func TestRecordingsCopySavesTestCases(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "r.db")
	s, err := sessions.Open(ctx, db, sessions.Create, nil)
	if err != nil {
		t.Fatal(err)
	}
	sess := &recordings.Session{Name: "mock-run", Connector: "Contoso Orders", Source: recordings.SourceMock}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	x := &recordings.Exchange{SessionID: sess.ID, Connector: "Contoso Orders", OperationID: "GetOrder", Source: recordings.SourceMock, StartedAt: time.Now(),
		Request: recordings.Request{Method: "GET", URL: "http://127.0.0.1:4010/v1/orders/o1"}, Response: recordings.Response{Status: 200, Message: recordings.Message{Body: []byte(`{"id":"o1"}`)}}}
	if err := s.Record(ctx, x); err != nil {
		t.Fatal(err)
	}
	s.EndSession(ctx, sess.ID, recordings.SessionComplete, "")
	s.Close()
	code, out, errs := runCLI(t, "recordings", "copy", "mock-run", "--exchange", fmt.Sprint(x.ID), "--to", "orders cases", "--db", db)
	if code != ExitOK || !strings.Contains(out, `session "orders cases" (1 test cases)`) {
		t.Fatalf("copy: %d %s %s", code, out, errs)
	}
	if code, out, _ := runCLI(t, "recordings", "show", "orders cases", "--db", db); code != ExitOK || !strings.Contains(out, "GetOrder") {
		t.Fatalf("show: %d %s", code, out)
	}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"no --to", []string{"recordings", "copy", "mock-run", "--exchange", "1", "--db", db}},
		{"exchange of another session", []string{"recordings", "copy", "orders cases", "--exchange", fmt.Sprint(x.ID), "--to", "x", "--db", db}},
	} {
		if code, _, errs := runCLI(t, tc.args...); code != ExitUsage || errs == "" {
			t.Errorf("%s: exit %d %s", tc.name, code, errs)
		}
	}
}
