package main

import (
	"strings"
	"testing"
)

func noEnv(string) string { return "" }

// A plain build (no desktop tags) must not pretend to be an app: it exits
// 2 after saying how to build the real one.
func TestPlainBuildExitsNonZero(t *testing.T) {
	if desktopBuild {
		t.Skip("built with desktop tags")
	}
	var out strings.Builder
	if code := run(nil, noEnv, &out); code != 2 {
		t.Fatalf("run() = %d without desktop tags, want 2", code)
	}
	if !strings.Contains(out.String(), "make app") {
		t.Fatalf("no build hint: %q", out.String())
	}
}

// Regression (issue 16): -h printed nothing useful and, without a display,
// the window panicked. Help is a usage text and exit 2 in every build.
func TestHelpPrintsUsageAndExits2(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"-h", "--help", "-help"} {
		var out strings.Builder
		if code := run([]string{arg}, noEnv, &out); code != 2 {
			t.Errorf("run(%s) = %d, want 2", arg, code)
		}
		if !strings.HasPrefix(out.String(), "usage: connectorlab-desktop") || strings.Contains(out.String(), "panic") {
			t.Errorf("run(%s) printed %q", arg, out.String())
		}
	}
}

func TestBadFlagsExit2WithTheFix(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--mock-port", "eighty"}, "0 to 65535"},
		{[]string{"--mock-port=70000"}, "0 to 65535"},
		{[]string{"--mock-port"}, "needs a port number"},
		{[]string{"--mock"}, "--mock needs a connector"},
		{[]string{"--mock", "/not/here"}, "--mock needs a connector"},
	} {
		var out strings.Builder
		if code := run(tc.args, noEnv, &out); code != 2 {
			t.Errorf("run(%q) = %d, want 2", tc.args, code)
		}
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("run(%q) printed %q, want %q", tc.args, out.String(), tc.want)
		}
	}
	c, err := parseArgs([]string{dir, "--mock", "--mock-port=4011", "--mock-no-auth"})
	if err != nil || c.path != dir || !c.mock || c.mockPort != 4011 || !c.mockNoAuth {
		t.Fatalf("parseArgs = %+v, %v", c, err)
	}
}

func TestDisplayProblem(t *testing.T) {
	t.Parallel()
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	for _, tc := range []struct {
		goos string
		env  map[string]string
		bad  bool
	}{
		{"linux", nil, true},
		{"linux", map[string]string{"DISPLAY": ":0"}, false},
		{"linux", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, false},
		{"freebsd", nil, true},
		{"darwin", nil, false},
		{"windows", nil, false},
	} {
		msg := displayProblem(tc.goos, env(tc.env))
		if (msg != "") != tc.bad {
			t.Errorf("displayProblem(%s, %v) = %q", tc.goos, tc.env, msg)
		}
		if tc.bad && !strings.Contains(msg, "xvfb-run") {
			t.Errorf("no fix in %q", msg)
		}
	}
}

func TestOpenArgSkipsFlags(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if got := openArg([]string{"-assetdir", "not-there", dir}); got != dir {
		// Flag values that are not paths (Wails dev flags) are skipped.
		t.Fatalf("openArg = %q, want %q", got, dir)
	}
	if got := openArg(nil); got != "" {
		t.Fatalf("openArg(nil) = %q", got)
	}
}

// Regression (issue 16): in a desktop build without a display, run says so
// and exits 2 before GTK is touched (it used to panic).
func TestNoDisplayExits2(t *testing.T) {
	if !needsDisplay {
		t.Skip("this build opens no window")
	}
	var out strings.Builder
	if code := run(nil, noEnv, &out); code != 2 {
		t.Fatalf("run() without DISPLAY = %d, want 2", code)
	}
	if !strings.Contains(out.String(), "no display") {
		t.Fatalf("message: %q", out.String())
	}
}

func TestWebviewEnvKeepsWhatTheUserSet(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  map[string]string
		want map[string]string
	}{
		{"unset: no JIT", map[string]string{}, map[string]string{"JSC_useJIT": "false"}},
		{"the user's choice wins", map[string]string{"JSC_useJIT": "true"}, map[string]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := webviewEnv(func(k string) string { return tc.env[k] })
			if len(got) != len(tc.want) || got["JSC_useJIT"] != tc.want["JSC_useJIT"] {
				t.Fatalf("webviewEnv = %v, want %v", got, tc.want)
			}
		})
	}
}
