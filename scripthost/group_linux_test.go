package scripthost

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestTimeoutKillsTheProcessGroup: a process the script started dies with
// the child when the call times out.
func TestTimeoutKillsTheProcessGroup(t *testing.T) {
	t.Parallel()
	const marker = "4242.5"
	h := newHost(t, `public class Script : ScriptBase
{
    public override Task<HttpResponseMessage> ExecuteAsync()
    {
        System.Diagnostics.Process.Start("/bin/sleep", "`+marker+`");
        while (true) { }
    }
}`, Options{Timeout: 800 * time.Millisecond})
	r := h.Call(context.Background(), Call{OperationID: "Spawn", Request: httptest.NewRequest("GET", "https://x.test/a", nil)})
	if r.Status != 504 {
		t.Fatalf("got %d %s", r.Status, r.Body)
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		if !sleeping(marker) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the script's sleep process outlived the timeout")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func sleeping(arg string) bool {
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err == nil && bytes.Contains(b, []byte("sleep\x00"+arg)) {
			return true
		}
	}
	return false
}
