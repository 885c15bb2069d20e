package sessions

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/workflow"
)

// CaseTag marks sessions made of exchanges saved one at a time as test
// cases (the desktop's "save as test case", `recordings copy`).
const CaseTag = "test-cases"

// SavedCase is what SaveCase did.
type SavedCase struct {
	Session *recordings.Session
	// Created is true when the session was made for this exchange.
	Created bool
	// Exchange is the stored copy's id.
	Exchange int64
}

// SaveCase stores a copy of x as one more test case of the session named
// name (made, tagged CaseTag and tied to connector, when there is none),
// so `connectorlab test --recordings NAME` and the Contract screen replay
// it. The copy is redacted by the store on the way in. An exchange
// without a response, or whose bodies were dropped from memory, is
// refused; so is a session of another connector.
func SaveCase(ctx context.Context, s recordings.Store, x *recordings.Exchange, name, connector string) (SavedCase, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return SavedCase{}, workflow.Usage("the test-case session name is empty", "give the session a name, e.g. \"orders regression\"")
	}
	if x == nil || x.Response.Status == 0 {
		return SavedCase{}, workflow.Usage("this exchange has no response to compare against", "save an exchange that was answered (a status is shown)")
	}
	if x.Source == recordings.SourceEvent {
		return SavedCase{}, workflow.Usage("a webhook delivery made by the mock is not a request a test can replay", "save a request the client sent")
	}
	var res SavedCase
	sess, err := s.SessionByName(ctx, name)
	switch {
	case errors.Is(err, recordings.ErrNotFound):
		sess = &recordings.Session{Name: name, Connector: connector, Source: recordings.SourceImport, StartedAt: time.Now(), Tags: []string{CaseTag}, Status: recordings.SessionComplete}
		if err := s.CreateSession(ctx, sess); err != nil {
			return SavedCase{}, Error(err)
		}
		res.Created = true
	case err != nil:
		return SavedCase{}, Error(err)
	case connector != "" && sess.Connector != "" && sess.Connector != connector:
		return SavedCase{}, workflow.Usage(fmt.Sprintf("session %q holds exchanges of %s, not %s", name, sess.Connector, connector), "pick another session name for this connector's test cases")
	}
	cp := *x
	cp.ID, cp.SessionID = 0, sess.ID
	cp.Request.Header = x.Request.Header.Clone()
	cp.Response.Header = x.Response.Header.Clone()
	cp.Request.Body = append([]byte(nil), x.Request.Body...)
	cp.Response.Body = append([]byte(nil), x.Response.Body...)
	if cp.Connector == "" {
		cp.Connector = connector
	}
	if err := s.Record(ctx, &cp); err != nil {
		if res.Created {
			_ = s.DeleteSession(context.WithoutCancel(ctx), sess.ID)
		}
		return SavedCase{}, Error(err)
	}
	if res.Created {
		_ = s.EndSession(ctx, sess.ID, recordings.SessionComplete, "")
	}
	fresh, err := s.Session(ctx, sess.ID)
	if err != nil {
		return SavedCase{}, Error(err)
	}
	res.Session, res.Exchange = fresh, cp.ID
	return res, nil
}
