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
	var cpu, alloc *os.File
	if allocPath != "" {
		// Created now, so a bad path is said before the recording starts.
		if alloc, err = os.Create(allocPath); err != nil {
			return nil, fmt.Errorf("%s: %w", RecordAllocProfileEnv, err)
		}
	}
	if cpuPath != "" {
		if cpu, err = os.Create(cpuPath); err != nil {
			if alloc != nil {
				alloc.Close()
			}
			return nil, fmt.Errorf("%s: %w", RecordCPUProfileEnv, err)
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			cpu.Close()
			if alloc != nil {
				alloc.Close()
			}
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
		if alloc != nil {
			runtime.GC()
			if err := pprof.Lookup("allocs").WriteTo(alloc, 0); err != nil {
				alloc.Close()
				return fmt.Errorf("%s: %w", RecordAllocProfileEnv, err)
			}
			if err := alloc.Close(); err != nil {
				return fmt.Errorf("%s: %w", RecordAllocProfileEnv, err)
			}
		}
		return nil
	}, nil
}
