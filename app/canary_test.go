package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// spellings are the ways a secret can reach the window: raw, URL-escaped,
// JSON-escaped and base64 at each alignment.
func spellings(s string) []string {
	out := []string{s, url.QueryEscape(s), strings.Trim(mustJSON(s), `"`)}
	for pad := 0; pad < 3; pad++ {
		b := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("x", pad) + s))
		// Drop the characters the padding prefix and the end influence.
		skip := (pad*4 + 2) / 3
		if len(b) > skip+8 {
			out = append(out, strings.TrimRight(b[skip:len(b)-4], "="))
		}
	}
	return out
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestDesktopTrafficViewShowsNoCanary (issue 11, "the desktop app's
// traffic view"): secrets planted in what a client sends, what the proxy
// adds and what the upstream answers never reach the window — neither the
// live traffic rows and details of a recording, nor the events the
// frontend receives, nor a stored session opened again in the list.
func TestDesktopTrafficViewShowsNoCanary(t *testing.T) {
	cs := newTestConnectors(t)
	v, err := cs.Open(sample)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := cs.ws.get(v.Path)
	secrets := map[string]string{}
	mk := func(where string) string {
		s := fmt.Sprintf("DeskCnry%02dq%sq/p+q=", len(secrets), strings.ReplaceAll(where, " ", "q"))
		secrets[s] = where
		return s
	}
	param := mk("connection parameter")
	hdr, tok, qkey, bodyPw, nested := mk("client header"), mk("bearer"), mk("query key"), mk("json password"), mk("json in json")
	respTok, cookie, loc, link := mk("response token"), mk("set cookie"), mk("location fragment"), mk("link sig")
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A careless API echoes what it got, credentials included.
		w.Header().Set("X-Echo-Key", r.Header.Get("X-Api-Key"))
		w.Header().Set("Set-Cookie", "session="+cookie+"; Path=/; HttpOnly")
		w.Header().Set("Location", "/done#access_token="+url.QueryEscape(loc))
		w.Header().Set("Link", `<https://api.example/p?sig=`+url.QueryEscape(link)+`>; rel="next"`)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"echo":%q,"value":[]}`, respTok, r.Header.Get("X-Api-Key"))
	}))
	defer upstream.Close()

	events := &eventLog{}
	tl := newTrafficLog(events)
	tl.Interval = time.Millisecond
	st := newStoreHolder(quietLog(), filepath.Join(t.TempDir(), "rec.db"))
	defer st.close()
	rs := newRecordService(quietLog(), cs.ws, st, tl, events, noDialogs{})
	rs.startup(context.Background())
	params := map[string]string{}
	for _, p := range c.Auth.Sets[0].Parameters {
		params[p.Name] = param
	}
	status, err := rs.Start(RecordConfig{Path: v.Path, Upstream: upstream.URL + c.BasePath, Session: "canary", Params: params})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/orders", "/customers"} {
		body := fmt.Sprintf(`{"password":%q,"payload":%q}`, bodyPw, fmt.Sprintf(`{"apiKey":%q}`, nested))
		req, _ := http.NewRequest("POST", status.URL+p+"?access_token="+url.QueryEscape(qkey), strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Tenant-Secret", hdr)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if _, err := rs.Stop(v.Path); err != nil {
		t.Fatal(err)
	}
	tl.Flush()

	var seen strings.Builder
	look := func(stream string) int {
		rows := tl.Rows(stream)
		seen.WriteString(mustJSON(rows))
		ts := &TrafficService{log: tl}
		for _, r := range rows {
			d, err := ts.Detail(r.Seq)
			if err != nil {
				t.Fatal(err)
			}
			seen.WriteString(mustJSON(d))
		}
		return len(rows)
	}
	if n := look(status.Stream); n != 2 {
		t.Fatalf("live rows = %d, want 2", n)
	}
	sessions, err := rs.Sessions(c.Name)
	if err != nil || len(sessions) != 1 {
		t.Fatalf("sessions = %+v %v", sessions, err)
	}
	stream, err := rs.OpenSession(sessions[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := look(stream); n != 2 {
		t.Fatalf("stored session rows = %d, want 2", n)
	}
	events.mu.Lock()
	for _, ev := range events.list {
		seen.WriteString(mustJSON(ev.data))
	}
	events.mu.Unlock()

	text := seen.String()
	if !strings.Contains(text, "/orders") || !strings.Contains(strings.ToLower(text), "x-tenant-secret") || !strings.Contains(text, "echo") {
		t.Fatal("the search saw no traffic: it could not fail")
	}
	found := 0
	for s, where := range secrets {
		for _, sp := range spellings(s) {
			if strings.Contains(text, sp) {
				found++
				t.Errorf("the %s secret reached the window as %q", where, sp)
				break
			}
		}
	}
	t.Logf("%d secrets planted, %d found in the window's traffic view", len(secrets), found)
}
