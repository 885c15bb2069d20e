package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/connectorlab/connectorlab/mock/trigger"
)

// TriggersView is the state of a running mock's triggers.
type TriggersView struct {
	Triggers      []trigger.TriggerInfo `json:"triggers"`
	Subscriptions []SubscriptionView    `json:"subscriptions"`
	Cursors       []CursorView          `json:"cursors"`
}

// CursorView is one recent poll of a polling trigger.
type CursorView struct {
	OperationID string `json:"operationId"`
	Cursor      int    `json:"cursor"`
	Next        int    `json:"next"`
	Status      int    `json:"status"`
	Items       int    `json:"items"`
	At          int64  `json:"at"` // unix ms
}

// SubscriptionView is one webhook subscription.
type SubscriptionView struct {
	ID          string `json:"id"`
	OperationID string `json:"operationId"`
	CallbackURL string `json:"callbackUrl"`
	Created     int64  `json:"created"`
	Deliveries  int    `json:"deliveries"`
	Failures    int    `json:"failures"`
	LastStatus  int    `json:"lastStatus,omitempty"`
	LastError   string `json:"lastError,omitempty"`
	Warning     string `json:"warning,omitempty"`
}

// FireView says what firing a trigger did.
type FireView struct {
	Deliveries []trigger.Delivery `json:"deliveries"`
	Items      map[string]int     `json:"items,omitempty"`
	Idle       []string           `json:"idle,omitempty"`
}

func (s *MockService) engine(path string) (*trigger.Engine, error) {
	s.mu.Lock()
	m := s.find(path)
	s.mu.Unlock()
	if m == nil {
		return nil, &UserError{Message: "the mock of this connector is not running", Fix: "start it to use its triggers"}
	}
	e, _ := m.server().PowerPlatform()
	if e == nil {
		return nil, &UserError{Message: "this mock has no trigger engine", Fix: "restart the mock"}
	}
	return e, nil
}

// Triggers lists the running mock's triggers, webhook subscriptions and
// recent polls.
func (s *MockService) Triggers(path string) (TriggersView, error) {
	e, err := s.engine(path)
	if err != nil {
		return TriggersView{}, err
	}
	v := TriggersView{Triggers: e.Triggers(), Cursors: []CursorView{}, Subscriptions: []SubscriptionView{}}
	for _, c := range e.Cursors() {
		v.Cursors = append(v.Cursors, CursorView{OperationID: c.OperationID, Cursor: c.Cursor, Next: c.Next, Status: c.Status, Items: c.Items, At: c.At.UnixMilli()})
	}
	for _, sub := range e.Subscriptions() {
		v.Subscriptions = append(v.Subscriptions, SubscriptionView{
			ID: sub.ID, OperationID: sub.OperationID, CallbackURL: sub.CallbackURL, Created: sub.CreatedAt.UnixMilli(),
			Deliveries: sub.Deliveries, Failures: sub.Failures, LastStatus: sub.LastStatus, LastError: sub.LastError, Warning: sub.Warning,
		})
	}
	if v.Triggers == nil {
		v.Triggers = []trigger.TriggerInfo{}
	}
	return v, nil
}

// Fire delivers count events of a webhook trigger to its subscribers, or
// makes count new items for a polling trigger ("" fires every trigger).
// payload, when not empty, is the JSON event (webhook) or item (polling)
// to send instead of a generated one.
func (s *MockService) Fire(path, operationID string, count int, payload string) (FireView, error) {
	e, err := s.engine(path)
	if err != nil {
		return FireView{}, err
	}
	if count <= 0 {
		count = 1
	}
	if count > 1000 {
		return FireView{}, &UserError{Message: fmt.Sprintf("%d events at once is too many", count), Fix: "fire at most 1,000 at a time"}
	}
	fr := trigger.FireRequest{OperationID: operationID, Count: count}
	if p := strings.TrimSpace(payload); p != "" {
		if !json.Valid([]byte(p)) {
			return FireView{}, &UserError{Message: "the payload is not valid JSON", Fix: "fix the JSON, or leave it empty for a generated event"}
		}
		fr.Payload = json.RawMessage(p)
	}
	ctx, cancel := context.WithTimeout(s.ctx, 2*time.Minute)
	defer cancel()
	res, err := e.Fire(ctx, fr)
	if err != nil {
		return FireView{}, userErr(err, "cannot fire "+operationID+": "+err.Error(), "pick one of the connector's triggers")
	}
	v := FireView{Deliveries: res.Deliveries, Items: res.Items, Idle: res.Idle}
	if v.Deliveries == nil {
		v.Deliveries = []trigger.Delivery{}
	}
	return v, nil
}

// ResetTriggers forgets subscriptions, polling items and cursors.
func (s *MockService) ResetTriggers(path string) error {
	e, err := s.engine(path)
	if err != nil {
		return err
	}
	e.Reset()
	return nil
}
