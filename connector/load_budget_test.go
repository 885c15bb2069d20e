package connector

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestHugeDefinitionRefusedWithinBudget (issue 11 item 10): a 22 MiB
// definition with 850,000 properties took 2.7 GB and over two minutes to
// validate. Now it is refused before the parse, in well under a second and
// a few tens of MB, with an error that names the budget and the flag; a
// YAML document over the budget is refused too.
func TestHugeDefinitionRefusedWithinBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"swagger":"2.0","info":{"title":"Big","version":"1"},"host":"x.example","paths":{"/a":{"get":{"operationId":"A","responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/Big"}}}}}},"definitions":{"Big":{"type":"object","properties":{`)
	for i := range 850_000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"p%d":{"type":"string"}`, i)
	}
	b.WriteString(`}}}}`)
	if b.Len() < 22<<20 {
		t.Fatalf("the test file is %d bytes, not the 22 MiB of the report", b.Len())
	}
	dir := t.TempDir()
	p := writeFile(t, dir, "big.swagger.json", b.String())
	b.Reset()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := Load(context.Background(), p)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("850k properties: refused in %v, %d MiB allocated", took, alloc>>20)
	var le *LoadError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "--max-nodes") || !strings.Contains(err.Error(), "budget") {
		t.Fatalf("not refused with a clear budget error: %v", err)
	}
	if took > 5*time.Second || alloc > 200<<20 {
		t.Fatalf("refusing took %v and %d MiB: the budget is checked too late", took, alloc>>20)
	}
	// A YAML document is held to the same budget.
	y := "openapi: 3.0.3\ninfo: {title: Y, version: '1'}\npaths: {}\nx-bulk:\n" + strings.Repeat("  - {a: 1, b: 2}\n", 200)
	_, err = (&Loader{MaxNodes: 300}).Load(context.Background(), writeFile(t, dir, "y/openapi.yaml", y))
	if err == nil || !strings.Contains(err.Error(), "--max-nodes") {
		t.Fatalf("YAML over the budget: %v", err)
	}
	// The control: the same YAML under a budget that fits loads.
	if _, err := (&Loader{MaxNodes: 10_000}).Load(context.Background(), filepath.Join(dir, "y/openapi.yaml")); err != nil {
		t.Fatalf("YAML within the budget: %v", err)
	}
}
