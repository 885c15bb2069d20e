package main

import "testing"

// A plain build (no desktop tags) must not pretend to be an app: it exits
// non-zero after saying how to build the real one.
func TestPlainBuildExitsNonZero(t *testing.T) {
	if desktopBuild {
		t.Skip("built with desktop tags")
	}
	if code := run(); code == 0 {
		t.Fatalf("run() = 0 without desktop tags")
	}
}

func TestOpenArgSkipsFlags(t *testing.T) {
	dir := t.TempDir()
	if got := openArg([]string{"-assetdir", "not-there", dir}); got != dir {
		// Flag values that are not paths (Wails dev flags) are skipped.
		t.Fatalf("openArg = %q, want %q", got, dir)
	}
	if got := openArg(nil); got != "" {
		t.Fatalf("openArg(nil) = %q", got)
	}
}
