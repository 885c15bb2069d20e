package mock

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/connectorlab/connectorlab/connector"
)

// TestHostileBodiesNever5xx (plan R3): bodies that break JSON, lie about
// their type or charset, nest absurdly or are malformed multipart (the
// CVE-2026-76905 shape) get a 4xx naming the problem — never a 5xx.
func TestHostileBodiesNever5xx(t *testing.T) {
	_, ts := newSample(t, Options{Seed: 3})
	deep := strings.Repeat(`{"a":`, 100_000) + "1" + strings.Repeat("}", 100_000)
	for _, tc := range []struct{ name, ct, body string }{
		{"truncated JSON", "application/json", `{"customerId":"c1","lines":[{"sku":"A"`},
		{"NaN", "application/json", `{"customerId":"c1","lines":[{"sku":"A","quantity":NaN,"unitPrice":1}]}`},
		{"Infinity", "application/json", `{"customerId":"c1","lines":[{"sku":"A","quantity":1e999999,"unitPrice":1}]}`},
		{"duplicate keys", "application/json", `{"customerId":"c1","customerId":2,"lines":[]}`},
		{"deep nesting (100k)", "application/json", deep},
		{"deep arrays (100k)", "application/json", strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)},
		{"wrong types", "application/json", `{"customerId":["x"],"lines":"none"}`},
		{"JSON null", "application/json", `null`},
		{"top-level string", "application/json", `"hello"`},
		{"invalid UTF-8", "application/json", "{\"customerId\":\"\xff\xfe\",\"lines\":[]}"},
		{"BOM then JSON", "application/json", "\xef\xbb\xbf{\"customerId\":\"c1\",\"lines\":[]}"},
		{"charset lie", "application/json; charset=utf-16", `{"customerId":"c1","lines":[]}`},
		{"text/plain", "text/plain", `{"customerId":"c1"}`},
		{"no Content-Type", "", `{"customerId":"c1","lines":[]}`},
		{"garbage Content-Type", "a/b/c;;;===", `{}`},
		{"XML", "application/xml", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>`},
		{"multipart without boundary", "multipart/form-data", "--x\r\n\r\n1\r\n--x--"},
		{"multipart, part without headers", "multipart/form-data; boundary=x", "--x\r\n\r\n1\r\n--x--"},
		{"multipart never closed", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"},
		{"form with bad escapes", "application/x-www-form-urlencoded", "a=%zz&b=%"},
		{"empty body", "application/json", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, target := range []struct{ method, path string }{{"POST", "/v1/orders"}, {"PATCH", "/v1/orders/" + orderID}} {
				h := map[string]string{"X-API-Key": "k"}
				if tc.ct != "" {
					h["Content-Type"] = tc.ct
				}
				a := do(t, target.method, ts.URL+target.path, tc.body, h)
				if a.status >= 500 {
					t.Errorf("%s %s: %d %s", target.method, target.path, a.status, a.body)
				}
			}
		})
	}
}

// TestEndlessChunkedBodyIs413 (plan R2): a chunked upload that never ends
// is cut at the body limit with a 413 and a closed connection; the mock
// reads no more than the limit (the client cannot push the whole stream).
func TestEndlessChunkedBodyIs413(t *testing.T) {
	s, err := New(loadSample(t), Options{MaxBodyBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := Listen("127.0.0.1", 0)
	if err != nil {
		t.Fatal(err)
	}
	srv := NewHTTPServer(s, nil)
	go srv.Serve(ln)
	defer srv.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "POST /v1/orders HTTP/1.1\r\nHost: x\r\nX-API-Key: k\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
	chunk := fmt.Sprintf("%x\r\n%s\r\n", 32<<10, strings.Repeat("a", 32<<10))
	wrote := make(chan int64, 1)
	go func() {
		var n int64
		defer func() { wrote <- n }()
		for n < 256<<20 { // 256 MiB at most: a mock without a limit fails the test
			c.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if _, err := io.WriteString(c, chunk); err != nil {
				return
			}
			n += 32 << 10
		}
	}()
	c.SetReadDeadline(time.Now().Add(30 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer to an endless upload: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("endless upload: %d, want 413", resp.StatusCode)
	}
	if n := <-wrote; n >= 256<<20 {
		t.Fatalf("the mock accepted the whole %d-byte stream", n)
	}
}

// TestCyclicSchemasServe: the mock answers operations whose schemas are
// self-referencing, mutually recursive or a 1,000-long cycle — bounded
// generation, never a panic or a hang.
func TestCyclicSchemasServe(t *testing.T) {
	cycle := `"D0":{"type":"object","properties":{"n":{"$ref":"#/definitions/D1"}}}`
	for i := 1; i < 1000; i++ {
		cycle += fmt.Sprintf(`,"D%d":{"type":"object","required":["n"],"properties":{"n":{"$ref":"#/definitions/D%d"},"a":{"type":"array","items":{"$ref":"#/definitions/D%d"}}}}`, i, (i+1)%1000, i)
	}
	for name, defs := range map[string]string{
		"self":     `"D0":{"type":"object","required":["me"],"properties":{"me":{"$ref":"#/definitions/D0"},"all":{"type":"array","items":{"$ref":"#/definitions/D0"}}}}`,
		"mutual":   `"D0":{"type":"object","required":["b"],"properties":{"b":{"$ref":"#/definitions/D1"}}},"D1":{"type":"object","required":["a"],"properties":{"a":{"$ref":"#/definitions/D0"}}}`,
		"allOf":    `"D0":{"allOf":[{"$ref":"#/definitions/D0"},{"type":"object","properties":{"x":{"type":"string"}}}]}`,
		"1k cycle": cycle,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			spec := `{"swagger":"2.0","info":{"title":"C","version":"1"},"host":"x","produces":["application/json"],"paths":{"/a":{"get":{"operationId":"A","responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/D0"}}}}}},"definitions":{` + defs + `}}`
			if err := os.WriteFile(filepath.Join(dir, "apiDefinition.swagger.json"), []byte(spec), 0o644); err != nil {
				t.Fatal(err)
			}
			c, err := connector.Load(context.Background(), dir)
			if err != nil {
				t.Fatal(err)
			}
			s, err := New(c, Options{DisableAuth: true})
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(s)
			defer ts.Close()
			a := do(t, "GET", ts.URL+"/a", "", nil)
			if a.status >= 500 && !strings.Contains(string(a.body), "simulate-failed") {
				t.Fatalf("%d %s", a.status, a.body)
			}
			if len(a.body) > 8<<20 {
				t.Fatalf("a %d-byte answer: generation is not bounded", len(a.body))
			}
		})
	}
}
