package sqlite_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/recordings/sqlite"
)

// TestMain lets the test binary double as the recording proxy that the
// kill -9 test runs as a subprocess.
func TestMain(m *testing.M) {
	if os.Getenv("CONNECTORLAB_PROXY_HELPER") == "1" {
		os.Exit(proxyHelper())
	}
	os.Exit(m.Run())
}

// proxyHelper records into $DB, forwarding to $UPSTREAM, and prints its
// address; it runs until killed.
func proxyHelper() int {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, os.Getenv("DB"), sqlite.Options{Spool: os.Getenv("SPOOL") == "1"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	sess := &recordings.Session{Name: "kill-" + strconv.Itoa(os.Getpid()), Source: recordings.SourceProxy}
	if err := s.CreateSession(ctx, sess); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	u, _ := url.Parse(os.Getenv("UPSTREAM"))
	p, err := recordings.NewProxy(recordings.ProxyOptions{Upstream: u, Sink: s, SessionID: sess.ID})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	fmt.Printf("ADDR %s\n", ln.Addr())
	return func() int { http.Serve(ln, p); return 0 }()
}

type killRound struct{ acked, stored, lost int }

// TestKill9LosesNothingAcknowledged: 100 concurrent clients through a
// recording proxy in a subprocess, SIGKILL at a random moment mid-load,
// reopen: every exchange a client got a response for must be in the
// database, and the database must pass integrity_check. Both ways of
// storing: answering after the commit, and after the spool write
// (Options.Spool; the reopen stores what the spool holds).
func TestKill9LosesNothingAcknowledged(t *testing.T) {
	for _, mode := range []struct {
		name  string
		spool bool
	}{{"commit", false}, {"spool", true}} {
		t.Run(mode.name, func(t *testing.T) { kill9Campaign(t, mode.spool) })
	}
}

func kill9Campaign(t *testing.T, spool bool) {
	rounds := 5
	if testing.Short() {
		rounds = 1
	}
	if v, err := strconv.Atoi(os.Getenv("CONNECTORLAB_KILL_ROUNDS")); err == nil && v > 0 {
		rounds = v // a longer campaign: CONNECTORLAB_KILL_ROUNDS=30
	}
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"seq":%q,"pad":"%s"}`, r.URL.Query().Get("seq"), strings.Repeat("x", 200))
	}))
	defer up.Close()
	db := filepath.Join(t.TempDir(), "kill.db")
	var total killRound
	for round := range rounds {
		r := killOnce(t, db, up.URL, spool, time.Duration(400+rand.IntN(1200))*time.Millisecond)
		t.Logf("round %d: acknowledged %d, stored %d, lost %d", round+1, r.acked, r.stored, r.lost)
		total.acked += r.acked
		total.stored += r.stored
		total.lost += r.lost
	}
	t.Logf("kill -9 x%d under 100 clients: acknowledged %d, stored %d (incl. unacknowledged in flight), lost %d", rounds, total.acked, total.stored, total.lost)
	if total.lost != 0 {
		t.Fatalf("%d acknowledged exchanges lost", total.lost)
	}
	if total.acked == 0 {
		t.Fatal("no exchange was acknowledged: the test measured nothing")
	}
	if out := os.Getenv("CONNECTORLAB_KILL_REPORT"); out != "" {
		// One line per mode, appended (the subtests share the file).
		if f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644); err == nil {
			fmt.Fprintf(f, "spool=%v rounds=%d acknowledged=%d stored=%d lost=%d\n", spool, rounds, total.acked, total.stored, total.lost)
			f.Close()
		}
	}
}

func killOnce(t *testing.T, db, upstream string, spool bool, after time.Duration) killRound {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CONNECTORLAB_PROXY_HELPER=1", "DB="+db, "UPSTREAM="+upstream)
	if spool {
		cmd.Env = append(cmd.Env, "SPOOL=1")
	}
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "ADDR ") {
		cmd.Process.Kill()
		t.Fatalf("helper did not start: %q %v", line, err)
	}
	base := "http://" + strings.TrimSpace(strings.TrimPrefix(line, "ADDR "))
	session := "kill-" + strconv.Itoa(cmd.Process.Pid)

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 200}, Timeout: 10 * time.Second}
	var (
		mu    sync.Mutex
		acked = map[string]bool{}
		seq   atomic.Int64
		stop  atomic.Bool
		wg    sync.WaitGroup
	)
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				n := strconv.FormatInt(seq.Add(1), 10)
				resp, err := client.Get(base + "/items?seq=" + n)
				if err != nil {
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err == nil && resp.StatusCode == 200 && strings.Contains(string(body), `"seq":"`+n+`"`) && resp.Header.Get(recordings.ExchangeHeader) != "" {
					mu.Lock()
					acked[n] = true
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(after)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	stop.Store(true)
	wg.Wait()

	ctx := context.Background()
	s, err := sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatalf("reopen after kill -9: %v", err)
	}
	defer s.Close()
	sess, err := s.SessionByName(ctx, session)
	if err != nil {
		t.Fatal(err)
	}
	if sess.Status != recordings.SessionIncomplete {
		t.Errorf("session of the killed recorder is %s, want incomplete", sess.Status)
	}
	stored := map[string]bool{}
	f := recordings.ExchangeFilter{SessionID: sess.ID, Limit: 1000, NoBodies: true}
	for {
		page, err := s.ListExchanges(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range page.Exchanges {
			_, q, _ := strings.Cut(x.Request.URL, "seq=")
			stored[q] = true
		}
		if page.Next == 0 {
			break
		}
		f.After = page.Next
	}
	if spool {
		if rec := s.Recovered(); rec.Files == 0 {
			t.Errorf("reopen after kill -9 found no spool file: %+v", rec)
		} else {
			t.Logf("spool recovery: %+v", rec)
		}
		if left, _ := filepath.Glob(db + "-spool-*"); len(left) != 0 {
			t.Errorf("spool files left after recovery: %v", left)
		}
	}
	r := killRound{acked: len(acked), stored: len(stored)}
	for n := range acked {
		if !stored[n] {
			r.lost++
		}
	}
	raw, _ := sql.Open("sqlite3", "file:"+db+"?mode=ro")
	defer raw.Close()
	var check string
	if err := raw.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check after kill -9: %q %v", check, err)
	}
	return r
}
