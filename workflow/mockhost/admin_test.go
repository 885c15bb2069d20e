package mockhost

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/connectorlab/connectorlab/mock"
)

// TestStartAdminFallsBackWhenTheDefaultPortIsTaken: a second mock failed
// to start because the default admin port was taken.
func TestStartAdminFallsBackWhenTheDefaultPortIsTaken(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // the token file goes here
	t.Setenv("HOME", t.TempDir())
	if l, err := net.Listen("tcp", "127.0.0.1:4000"); err == nil {
		defer l.Close()
	} // else: something else holds it, which is the case under test too
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, stop, err := StartAdmin(ctx, mock.NewHub(nil), DefaultAdminPort, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if !a.FellBack || strings.HasSuffix(a.URL, ":4000") {
		t.Fatalf("admin = %+v, want a fallback port", a)
	}
	if lines := strings.Join(a.Lines(), "\n"); !strings.Contains(lines, "in use") || !strings.Contains(lines, a.URL) {
		t.Errorf("banner: %s", lines)
	}
	if _, err := os.Stat(a.TokenPath); err != nil {
		t.Errorf("token file: %v", err)
	}
	// An explicit port that is taken is an error, not a silent move.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, _, err := StartAdmin(ctx, mock.NewHub(nil), l.Addr().(*net.TCPAddr).Port, false, nil); err == nil {
		t.Error("a taken explicit port was accepted")
	}
}
