package cli

import (
	"io"
	"net/http"
	"strings"
	"testing"
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
}
