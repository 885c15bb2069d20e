// Command mockprof runs `connectorlab <args>` exactly as the CLI does, with
// a CPU profile for the whole run and an allocation profile written at the
// end, for bench/mock.sh PROFILE=dir (docs/PERFORMANCE.md, "Mock server").
//
//	go build -o mockprof ./bench/mockprof
//	./mockprof -cpu cpu.out -allocs allocs.out -- mock --port 4420 ... PATH
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"

	"github.com/connectorlab/connectorlab/cli"
)

func main() {
	cpu := flag.String("cpu", "cpu.out", "CPU profile to write")
	allocs := flag.String("allocs", "allocs.out", "allocation profile to write at exit")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	f, err := os.Create(*cpu)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mockprof:", err)
		os.Exit(2)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "mockprof:", err)
		os.Exit(2)
	}
	code := cli.Run(ctx, flag.Args(), os.Stdout, os.Stderr)
	stop()
	pprof.StopCPUProfile()
	_ = f.Close()
	runtime.GC()
	if a, err := os.Create(*allocs); err == nil {
		_ = pprof.Lookup("allocs").WriteTo(a, 0)
		_ = a.Close()
	} else {
		fmt.Fprintln(os.Stderr, "mockprof:", err)
	}
	os.Exit(code)
}
