// Command connectorlab is the headless Connector Lab CLI.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/connectorlab/connectorlab/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
