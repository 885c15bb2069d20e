package recordings_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
)

// TestIssue17RecordedBodyIsWhatTheClientGot: JSON bodies are read whole
// for link rewriting and taken as the captured body without a second copy
// (issue 17); the recorded body, size and hash must still be exactly the
// bytes the client received — with and without Content-Length, small,
// larger than the pre-sized buffer, rewritten or not, and past the body
// cap (where the held body is not taken and the rest is spilled).
func TestIssue17RecordedBodyIsWhatTheClientGot(t *testing.T) {
	t.Parallel()
	var upURL string
	big := `{"items":"` + strings.Repeat("x", 100<<10) + `"}`
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		var body string
		switch r.URL.Path {
		case "/v1/link":
			body = `{"next":"` + upURL + `/v1/link?page=2"}`
		case "/v1/big", "/v1/capped":
			body = big
		default:
			body = `{"id":"o-1"}`
		}
		if r.URL.Query().Get("chunked") == "" {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		} else {
			w.(http.Flusher).Flush() // no Content-Length: chunked
		}
		io.WriteString(w, body)
	}))
	t.Cleanup(up.Close) // the subtests run in parallel, after this function returns
	upURL = up.URL
	for _, tc := range []struct {
		name, path string
		bodyCap    int64
	}{
		{"small", "/small", 0},
		{"small chunked", "/small?chunked=1", 0},
		{"rewritten link", "/link", 0},
		{"rewritten link chunked", "/link?chunked=1", 0},
		{"larger than the pre-sized buffer", "/big", 0},
		{"larger chunked", "/big?chunked=1", 0},
		{"past the body cap", "/capped", 1 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sink := &memSink{}
			px := newProxy(t, up.URL+"/v1", recordings.ProxyOptions{Sink: sink, Limits: recordings.Limits{BodyCap: tc.bodyCap}})
			resp, err := http.Get(px.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || len(got) == 0 {
				t.Fatalf("status %d, %d bytes: %s", resp.StatusCode, len(got), got)
			}
			if tc.path == "/link" && !strings.Contains(string(got), px.URL) {
				t.Fatalf("the link was not rewritten to the proxy: %s", got)
			}
			if len(sink.xs) != 1 {
				t.Fatalf("%d exchanges recorded", len(sink.xs))
			}
			m := sink.xs[0].Response.Message
			sum := sha256.Sum256(got)
			if m.Size != int64(len(got)) || m.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("recorded size %d sha256 %s, the client got %d bytes sha256 %x", m.Size, m.SHA256, len(got), sum)
			}
			want := got
			if tc.bodyCap > 0 {
				want = got[:tc.bodyCap]
				if !m.Truncated {
					t.Error("a body past the cap is not marked truncated")
				}
			}
			if string(m.Body) != string(want) {
				t.Errorf("recorded body (%d bytes) is not what the client got (%d bytes)", len(m.Body), len(want))
			}
		})
	}
}
