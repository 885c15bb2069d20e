package cli

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// Profiling a running recorder (bench/record.sh PROFILE=1, issue 17): the
// environment, not flags, names the files, so the command line of a
// recording stays what users type.
const (
	RecordCPUProfileEnv   = "CONNECTORLAB_RECORD_CPUPROFILE"
	RecordAllocProfileEnv = "CONNECTORLAB_RECORD_ALLOCPROFILE"
)

// startRecordProfiles starts a CPU profile and arranges an allocation
// profile when the environment asks for them; stop writes them.
func startRecordProfiles() (stop func() error, err error) {
	cpuPath, allocPath := os.Getenv(RecordCPUProfileEnv), os.Getenv(RecordAllocProfileEnv)
	var cpu *os.File
	if cpuPath != "" {
		if cpu, err = os.Create(cpuPath); err != nil {
			return nil, fmt.Errorf("%s: %w", RecordCPUProfileEnv, err)
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			cpu.Close()
			return nil, fmt.Errorf("%s: start the CPU profile: %w", RecordCPUProfileEnv, err)
		}
	}
	return func() error {
		if cpu != nil {
			pprof.StopCPUProfile()
			if err := cpu.Close(); err != nil {
				return fmt.Errorf("%s: %w", RecordCPUProfileEnv, err)
			}
		}
		if allocPath != "" {
			f, err := os.Create(allocPath)
			if err != nil {
				return fmt.Errorf("%s: %w", RecordAllocProfileEnv, err)
			}
			runtime.GC()
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				f.Close()
				return fmt.Errorf("%s: %w", RecordAllocProfileEnv, err)
			}
			return f.Close()
		}
		return nil
	}, nil
}
