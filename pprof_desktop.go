//go:build pprof

package main

import (
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // the profiles, for measuring the desktop's memory (docs/PERFORMANCE.md)
	"os"
)

// With -tags pprof (never in a shipped build), CONNECTORLAB_PPROF=127.0.0.1:PORT
// serves net/http/pprof, so a heap profile of the real window can be taken:
// go tool pprof http://127.0.0.1:PORT/debug/pprof/heap.
func init() {
	addr := os.Getenv("CONNECTORLAB_PPROF")
	if addr == "" {
		return
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		slog.Warn("pprof listener not started", "err", err)
		return
	}
	go func() { _ = http.Serve(l, nil) }()
}
