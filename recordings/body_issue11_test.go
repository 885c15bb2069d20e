package recordings_test

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/connectorlab/connectorlab/recordings"
)

// TestIssue11UndecodableBodiesNeverStoredRaw is issue 11 item 2: every
// coding the proxy forwards is decoded (deflate zlib and raw, stacked
// gzip), Accept-Encoding only offers what can be decoded, and a body that
// still cannot be decoded (zstd sent anyway, an unknown coding, corrupt
// gzip) is stored as "not stored: undecodable coding X" with its length
// and hash, never as its raw bytes.
func TestIssue11UndecodableBodiesNeverStoredRaw(t *testing.T) {
	t.Parallel()
	const plain = `{"note":"UNDECODABLE-CANARY-1 in clear"}`
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	}
	var zl, raw bytes.Buffer
	zw := zlib.NewWriter(&zl)
	zw.Write([]byte(plain))
	zw.Close()
	fw, _ := flate.NewWriter(&raw, flate.BestSpeed)
	fw.Write([]byte(plain))
	fw.Close()
	cases := []struct {
		coding  string
		body    []byte
		decoded bool
	}{
		{"zstd", []byte(plain), false}, // zstd frames keep literals in clear
		{"x-unknown", []byte(plain), false},
		{"gzip", append([]byte("\x1f\x8b garbage "), plain...), false},
		{"deflate", zl.Bytes(), true},
		{"deflate", raw.Bytes(), true},
		{"gzip, gzip", gz(gz([]byte(plain))), true},
		{"gzip,br", nil, false}, // br of nothing valid: undecodable
	}
	var mu sync.Mutex
	var acceptSeen []string
	for _, c := range cases {
		t.Run(c.coding, func(t *testing.T) {
			up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				acceptSeen = append(acceptSeen, r.Header.Get("Accept-Encoding"))
				mu.Unlock()
				w.Header().Set("Content-Encoding", c.coding)
				w.Header().Set("Content-Type", "application/json")
				b := c.body
				if b == nil {
					b = []byte("\xff\xff" + plain)
				}
				w.Write(b)
			}))
			defer up.Close()
			sink := &memSink{}
			px := newProxy(t, up.URL, recordings.ProxyOptions{Sink: sink})
			req, _ := http.NewRequest("GET", px.URL+"/x", nil)
			req.Header.Set("Accept-Encoding", "zstd, gzip;q=0.8, br, compress")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if len(sink.xs) != 1 {
				t.Fatalf("%d exchanges stored", len(sink.xs))
			}
			m := sink.xs[0].Response.Message
			switch {
			case c.decoded && string(m.Body) != plain:
				t.Errorf("Content-Encoding %s: stored %q, want the decoded body", c.coding, m.Body)
			case !c.decoded && (bytes.Contains(m.Body, []byte("UNDECODABLE-CANARY-1")) || !strings.HasPrefix(string(m.Body), "not stored: undecodable coding ")):
				t.Errorf("Content-Encoding %s: stored %q, want \"not stored: undecodable coding …\"", c.coding, m.Body)
			case !c.decoded && (m.WireSize == 0 || len(m.SHA256) != 64):
				t.Errorf("Content-Encoding %s: length %d / sha256 %q of the wire bytes not kept", c.coding, m.WireSize, m.SHA256)
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	for _, a := range acceptSeen {
		if strings.Contains(a, "zstd") || strings.Contains(a, "compress") || !strings.Contains(a, "gzip") {
			t.Errorf("upstream saw Accept-Encoding %q: only decodable codings may be offered", a)
		}
	}
}
