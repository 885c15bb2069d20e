package sessions

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/workflow"
)

func TestSaveCaseMakesThenExtendsANamedSession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := seed(t)
	x := &recordings.Exchange{ID: 99, SessionID: 1, Connector: "Contoso", OperationID: "GetOrder", Source: recordings.SourceMock, StartedAt: time.Now(),
		Request:  recordings.Request{Method: "GET", URL: "http://127.0.0.1:4010/v1/orders/7", Message: recordings.Message{Header: http.Header{"Authorization": {"Bearer top-secret-token"}}}},
		Response: recordings.Response{Status: 200, Message: recordings.Message{Body: []byte(`{"id":"7"}`)}}}
	first, err := SaveCase(ctx, s, x, "  orders cases ", "Contoso")
	if err != nil || !first.Created || first.Session.Name != "orders cases" || first.Session.Exchanges != 1 || !slices.Contains(first.Session.Tags, CaseTag) || !first.Session.Complete() {
		t.Fatalf("first save: %+v %v", first, err)
	}
	if x.ID != 99 || x.SessionID != 1 {
		t.Fatal("SaveCase changed the exchange it was given")
	}
	second, err := SaveCase(ctx, s, x, "orders cases", "Contoso")
	if err != nil || second.Created || second.Session.ID != first.Session.ID || second.Session.Exchanges != 2 {
		t.Fatalf("second save: %+v %v", second, err)
	}
	stored, err := s.Exchange(ctx, second.Exchange)
	if err != nil {
		t.Fatal(err)
	}
	if got := stored.Request.Header.Get("Authorization"); got == "Bearer top-secret-token" {
		t.Fatal("the stored test case keeps the credential")
	}
	// The session is what `test --recordings` picks by name.
	if sess, err := Find(ctx, s, "orders cases"); err != nil || sess.Exchanges != 2 {
		t.Fatalf("Find: %+v %v", sess, err)
	}
}

func TestSaveCaseRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := seed(t)
	ok := &recordings.Exchange{Connector: "Contoso", Request: recordings.Request{Method: "GET", URL: "http://x/v1/orders/1"}, Response: recordings.Response{Status: 200}}
	for _, tc := range []struct {
		name, session, connector string
		x                        *recordings.Exchange
	}{
		{"empty name", " ", "Contoso", ok},
		{"no response", "c", "Contoso", &recordings.Exchange{Request: ok.Request}},
		{"webhook delivery", "c", "Contoso", &recordings.Exchange{Source: recordings.SourceEvent, Request: ok.Request, Response: ok.Response}},
		{"session of another connector", "s1", "Fabrikam", ok},
	} {
		if _, err := SaveCase(ctx, s, tc.x, tc.session, tc.connector); workflow.KindOf(err) != workflow.KindUsage {
			t.Errorf("%s: err = %v, want a usage error", tc.name, err)
		}
	}
	if list, _ := s.ListSessions(ctx, recordings.SessionFilter{}); len(list) != 1 {
		t.Fatalf("a refused save left %d sessions", len(list))
	}
}
