package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/mock/admin"
)

// hostGet sends GET u with the Host header set to host.
func hostGet(t *testing.T, u, host string, hdr ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Host = host
	req.Header.Set("X-API-Key", "k")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestMockRefusesForeignHost (issue 11 item 5): a web page that rebinds its
// DNS name to 127.0.0.1 sends its own name as Host; the mock (and so
// `mock --replay`, which serves recorded data on the same listener) must
// refuse it, answer its own address and loopback names, and answer a name
// given with --allow-host.
func TestMockRefusesForeignHost(t *testing.T) {
	urls, out, _, stop := startMock(t, "--allow-host", "mock.test", sampleDir)
	defer stop()
	if len(urls) != 1 {
		t.Fatalf("urls %v\n%s", urls, out)
	}
	addr := strings.TrimPrefix(urls[0], "http://")
	port := addr[strings.LastIndex(addr, ":")+1:]
	for _, tc := range []struct {
		host string
		want int
	}{
		{addr, 200},
		{"localhost:" + port, 200},
		{"mock.test:" + port, 200},
		{"rebind.attacker.example:" + port, 403},
		{"127.0.0.1.attacker.example", 403},
		{"localhost.attacker.example:" + port, 403},
	} {
		code, body := hostGet(t, urls[0]+sampleOrder, tc.host)
		if code != tc.want {
			t.Errorf("Host %s: %d, want %d: %s", tc.host, code, tc.want, body)
		}
		if tc.want == 403 && !strings.Contains(body, "--allow-host") {
			t.Errorf("Host %s: the refusal does not say how to allow the name: %s", tc.host, body)
		}
	}

	// mock --replay serves recorded data: record one exchange, replay it,
	// and a rebinding Host gets 403 while the mock's own address gets the
	// recording.
	db := filepath.Join(t.TempDir(), "rec.db")
	rurls, rout, _, rstop := startMock(t, "--record", db, sampleDir)
	if code, body := get(t, rurls[0]+sampleOrder); code != 200 {
		t.Fatalf("record: %d %s\n%s", code, body, rout)
	}
	rstop()
	purls, pout, _, pstop := startMock(t, "--replay", db, sampleDir)
	defer pstop()
	paddr := strings.TrimPrefix(purls[0], "http://")
	if code, body := hostGet(t, purls[0]+sampleOrder, paddr); code != 200 {
		t.Fatalf("replay, own address: %d %s\n%s", code, body, pout)
	}
	if code, body := hostGet(t, purls[0]+sampleOrder, "rebind.attacker.example"); code != 403 || strings.Contains(body, "customerId") {
		t.Fatalf("replay, rebinding Host: %d %s", code, body)
	}
}

var adminRE = regexp.MustCompile(`Admin API at (http://127\.0\.0\.1:(\d+)) \(token in .*; or ` + admin.TokenEnv + `=([0-9a-f]+)\)`)

// TestTriggerFireReturnsAtOnce (issue 11 item 8, issue 12 item 5):
// deliveries ran one after another inside the fire request (4 × 10 s
// retries: `trigger fire` waited 87 s and then called the mock
// unreachable), and firing with no subscribers exited 0. Now `trigger fire`
// returns at once with a delivery id, `trigger ls` shows each delivery's
// state, attempts and result, and firing with nobody subscribed exits 1
// saying so.
func TestTriggerFireReturnsAtOnce(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-time.After(10 * time.Second):
		}
	}))
	defer slow.Close()
	defer close(release)
	urls, out, _, stop := startMock(t, sampleDir, "--admin-port", "0", "--auth", "off", "--allow-private-callbacks")
	defer stop()
	m := adminRE.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no admin API line:\n%s", out)
	}
	t.Setenv(admin.TokenEnv, m[3])
	port := m[2]

	code, stdout, stderr := run(t, "trigger", "fire", "OnOrderShipped", "--admin-port", port)
	if code != ExitFindings || !strings.Contains(stderr, "no subscriptions") {
		t.Fatalf("fire with no subscribers: exit %d\n%s\n%s", code, stdout, stderr)
	}

	// Even with --allow-private-callbacks, a callback to the mock itself,
	// its admin API or the recording proxy's port is refused.
	for _, cb := range []string{urls[0] + "/v1/orders", m[1] + "/v1/fire", fmt.Sprintf("http://localhost:%d/v1/orders", DefaultRecordPort)} {
		resp, err := http.Post(urls[0]+"/v1/hooks", "application/json", strings.NewReader(`{"callbackUrl":"`+cb+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(b), "listener of this mock process") {
			t.Fatalf("callback %s: %d %s", cb, resp.StatusCode, b)
		}
	}
	resp, err := http.Post(urls[0]+"/v1/hooks", "application/json", strings.NewReader(`{"callbackUrl":"`+slow.URL+`/cb"}`))
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("subscribe: %v %v", resp, err)
	}
	resp.Body.Close()
	start := time.Now()
	code, stdout, stderr = run(t, "trigger", "fire", "OnOrderShipped", "--admin-port", port, "--count", "3")
	took := time.Since(start)
	if code != ExitOK || !regexp.MustCompile(`d\d+ OnOrderShipped → .*: queued`).MatchString(stdout) {
		t.Fatalf("fire: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if took > 2*time.Second {
		t.Fatalf("fire waited %v for a slow callback", took)
	}
	_, ls, _ := run(t, "trigger", "ls", "--admin-port", port)
	if !regexp.MustCompile(`delivery Contoso.* d\d+ OnOrderShipped → .*: (queued|running)`).MatchString(ls) {
		t.Fatalf("ls does not show the pending deliveries:\n%s", ls)
	}
	release <- struct{}{}
	release <- struct{}{}
	release <- struct{}{}
	waitFor(t, func() bool {
		_, ls, _ = run(t, "trigger", "ls", "--admin-port", port)
		return strings.Count(ls, "delivered 200 after 1 attempt(s)") == 3
	}, "three deliveries reported delivered by trigger ls")
}

// TestBusyDefaultAdminPortFallsBack (issue 12 item 5): a second mock
// failed to start because the default admin port was taken; now it takes
// a free port and prints it. An explicit --admin-port that is busy is
// still an error.
func TestBusyDefaultAdminPortFallsBack(t *testing.T) {
	if ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", DefaultAdminPort)); err == nil {
		defer ln.Close()
	} // else it is busy already, as the test needs
	ctx, cancel := context.WithCancel(context.Background())
	out, errb := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan int, 1)
	go func() { done <- Run(ctx, []string{"mock", "--port", "0", "--log-format", "off", sampleDir}, out, errb) }()
	waitFor(t, func() bool {
		return strings.Contains(out.String(), "Press Ctrl-C") || strings.Contains(errb.String(), "admin")
	}, "the mock to start")
	cancel()
	<-done
	if !regexp.MustCompile(fmt.Sprintf(`Admin port %d is in use .*using (\d+) instead`, DefaultAdminPort)).MatchString(out.String()) || !adminRE.MatchString(out.String()) {
		t.Fatalf("no fallback:\n%s\n%s", out, errb)
	}
	code, _, stderr := run(t, "mock", "--port", "0", "--log-format", "off", "--admin-port", fmt.Sprint(DefaultAdminPort), sampleDir)
	if code != ExitInfra || !strings.Contains(stderr, "admin API") {
		t.Fatalf("explicit busy --admin-port: exit %d %s", code, stderr)
	}
}
