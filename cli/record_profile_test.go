package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRecordProfiles: the profiling environment of `record` (issue 17)
// writes both profiles, and a file that cannot be created is an error
// naming the variable, not a silent run without a profile.
func TestRecordProfiles(t *testing.T) {
	dir := t.TempDir()
	cpu, alloc := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "alloc.pprof")
	t.Setenv(RecordCPUProfileEnv, cpu)
	t.Setenv(RecordAllocProfileEnv, alloc)
	stop, err := startRecordProfiles()
	if err != nil {
		t.Fatal(err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{cpu, alloc} {
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Errorf("%s: not written (%v)", p, err)
		}
	}

	t.Setenv(RecordCPUProfileEnv, filepath.Join(dir, "missing", "cpu.pprof"))
	t.Setenv(RecordAllocProfileEnv, "")
	if _, err := startRecordProfiles(); err == nil || !strings.Contains(err.Error(), RecordCPUProfileEnv) {
		t.Errorf("an uncreatable CPU profile: err = %v, want one naming %s", err, RecordCPUProfileEnv)
	}
	t.Setenv(RecordCPUProfileEnv, "")
	t.Setenv(RecordAllocProfileEnv, filepath.Join(dir, "missing", "alloc.pprof"))
	if _, err := startRecordProfiles(); err == nil || !strings.Contains(err.Error(), RecordAllocProfileEnv) {
		t.Errorf("an uncreatable allocation profile: err = %v, want one naming %s", err, RecordAllocProfileEnv)
	}
}
