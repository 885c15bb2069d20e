package mock

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
)

func recorded() []*recordings.Exchange {
	x := &recordings.Exchange{ID: 7, Source: recordings.SourceProxy, OperationID: "GetOrder"}
	x.Request.Method = "GET"
	x.Request.URL = "/v1/orders/" + orderID
	x.Response.Status = 200
	x.Response.Header = http.Header{"Content-Type": {"application/json"}}
	x.Response.Body = []byte(`{"id":"recorded"}`)
	return []*recordings.Exchange{x}
}

func TestReplay(t *testing.T) {
	m := recordings.NewMatcher(recorded(), recordings.MatchOptions{})
	s, ts := newSample(t, Options{})
	s.UseFirst(NewReplay(m, ReplayOptions{}))
	a := do(t, "GET", ts.URL+"/v1/orders/"+orderID, "", key)
	if a.status != 200 || string(a.body) != `{"id":"recorded"}` || a.header.Get(recordings.ExchangeHeader) != "7" {
		t.Fatalf("hit: %d %s %v", a.status, a.body, a.header)
	}
	miss := do(t, "GET", ts.URL+"/v1/orders/"+strings.Replace(orderID, "3fa8", "0000", 1), "", key)
	if miss.status != 404 {
		t.Fatalf("miss: %d %s", miss.status, miss.body)
	}
	var p Problem
	_ = json.Unmarshal(miss.body, &p)
	if p.Type != ProblemTypeBase+"no-recording-matched" || p.Recording == nil || p.Recording.ExchangeID != 7 || len(p.Recording.Differences) == 0 {
		t.Fatalf("miss problem: %s", miss.body)
	}
}

func TestReplayFallbackAndSpy(t *testing.T) {
	m := recordings.NewMatcher(recorded(), recordings.MatchOptions{})
	s, ts := newSample(t, Options{})
	s.UseFirst(NewReplay(m, ReplayOptions{Fallback: true}))
	other := "/v1/orders/" + strings.Replace(orderID, "3fa8", "0000", 1)
	if a := do(t, "GET", ts.URL+other, "", key); a.status != 200 || strings.Contains(string(a.body), "recorded") {
		t.Fatalf("fallback: %d %s", a.status, a.body)
	}
	spied := 0
	spy := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		spied++
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"live"}`))
	})
	sink := &captureSink{}
	s2, ts2 := newSample(t, Options{Sink: sink})
	s2.UseFirst(NewReplay(m, ReplayOptions{Spy: spy}))
	if a := do(t, "GET", ts2.URL+other, "", key); a.status != 200 || string(a.body) != `{"id":"live"}` || spied != 1 {
		t.Fatalf("spy: %d %s (spied %d)", a.status, a.body, spied)
	}
	if len(sink.xs) != 1 || sink.xs[0].Source != recordings.SourceSpy {
		t.Fatalf("spy exchange source: %+v", sink.xs)
	}
}
