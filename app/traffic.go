package app

import (
	"fmt"

	"github.com/connectorlab/connectorlab/workflow/traffic"
)

// The views of live traffic (workflow/traffic): the window's rows and
// detail pane.
type (
	TrafficRow    = traffic.Row
	TrafficFilter = traffic.Filter
	TrafficPage   = traffic.Page
	TrafficBatch  = traffic.Batch
	ExchangeView  = traffic.ExchangeView
	MessageView   = traffic.MessageView
	HeaderView    = traffic.HeaderView
)

// trafficLog is the live traffic feed behind every list; its batches and
// clears become window events.
type trafficLog = traffic.Log

func newTrafficLog(e emitter) *trafficLog {
	return traffic.NewLog(func(b TrafficBatch) { e.Emit(EventTrafficBatch, b) }, func(scope string) { e.Emit(EventTrafficCleared, scope) })
}

// TrafficService is bound to the window: rows and details of live traffic.
type TrafficService struct {
	log *trafficLog
}

// Rows returns count rows (at most 1,000) of those matching filter, newest
// first, from index from, with the list's counts and filter menus. The
// window asks for the few hundred rows around what it shows, again when a
// batch event names a stream of its scope; it never holds the whole list.
func (s *TrafficService) Rows(filter TrafficFilter, from, count int) (TrafficPage, error) {
	p, err := s.log.Page(filter, from, count)
	if err != nil {
		return TrafficPage{}, &UserError{Message: err.Error(), Fix: "pick a status class from the list's menu"}
	}
	return p, nil
}

// Detail returns the full exchange behind a row.
func (s *TrafficService) Detail(seq int64) (ExchangeView, error) {
	row, x, dropped, ok := s.log.Get(seq)
	if !ok {
		return ExchangeView{}, &UserError{Message: fmt.Sprintf("exchange #%d is no longer kept in memory", seq),
			Fix: "the live list keeps the rows of the newest 50,000 exchanges but the details of the newest 2,000 only; record the session to keep everything"}
	}
	v := traffic.View(row, x)
	if dropped {
		const note = "(body no longer kept in memory: the live list keeps the bodies of the newest 8 MiB of traffic; record the session to keep them all)"
		for _, m := range []*MessageView{&v.Request, &v.Response} {
			if m.Size > 0 {
				m.Kind, m.Body = "dropped", note
			}
		}
	}
	return v, nil
}

// Clear drops the rows of scope: one stream, "mock:PATH#*" for every mock
// of a connector, "" for all.
func (s *TrafficService) Clear(stream string) error {
	s.log.Clear(stream)
	return nil
}
