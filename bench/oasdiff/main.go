// Command oasdiff-convert writes the OpenAPI 3 document connector.Load
// makes of each side of every corpus version pair, so oasdiff (which reads
// OpenAPI 3 only) can be run on the same input as connectorlab diff. It
// also writes connectorlab's own findings per pair as JSON, for the
// comparison in bench/contract-oasdiff.sh.
//
// Usage:
//
//	go run ./bench/oasdiff convert PAIRS_DIR OUT_DIR
//	go run ./bench/oasdiff score TRUTH_JSON OUT_DIR   (after oasdiff ran)
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract/specdiff"
)

func main() {
	if len(os.Args) != 4 || (os.Args[1] != "convert" && os.Args[1] != "score") {
		fmt.Fprintln(os.Stderr, "usage: go run ./bench/oasdiff convert PAIRS_DIR OUT_DIR | score TRUTH_JSON OUT_DIR")
		os.Exit(2)
	}
	var err error
	if os.Args[1] == "convert" {
		err = run(os.Args[2], os.Args[3])
	} else {
		err = score(os.Args[2], os.Args[3], os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "oasdiff-convert:", err)
		os.Exit(1)
	}
}

func run(pairsDir, outDir string) error {
	dirs, err := filepath.Glob(filepath.Join(pairsDir, "[0-9]*"))
	if err != nil {
		return err
	}
	ctx := context.Background()
	for _, d := range dirs {
		pair := filepath.Base(d)
		dest := filepath.Join(outDir, pair)
		if err := os.MkdirAll(dest, 0o755); err != nil {
			return err
		}
		var sides [2]*connector.Connector
		for i, side := range []string{"old", "new"} {
			c, err := connector.Load(ctx, filepath.Join(d, side+".swagger.json"))
			if err != nil {
				return fmt.Errorf("%s %s: %w", pair, side, err)
			}
			sides[i] = c
			b, err := json.MarshalIndent(c.Doc, "", "  ")
			if err != nil {
				return fmt.Errorf("%s %s: marshal: %w", pair, side, err)
			}
			if err := os.WriteFile(filepath.Join(dest, side+".openapi3.json"), b, 0o644); err != nil {
				return err
			}
		}
		b, err := json.MarshalIndent(specdiff.Run(sides[0], sides[1]), "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dest, "connectorlab.json"), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
