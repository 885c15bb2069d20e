package connector

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestHostileSpecsFailFast (plan S4/S5): reference cycles, a long ref
// chain, a YAML alias bomb, a 1 MB string and 20,000 paths load (or are
// refused with a clear error) without hanging or blowing up memory.
func TestHostileSpecsFailFast(t *testing.T) {
	chain := func(n int, cycle bool) string {
		var b strings.Builder
		b.WriteString(`{"swagger":"2.0","info":{"title":"C","version":"1"},"host":"x","paths":{"/a":{"get":{"operationId":"A","responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/D0"}}}}}},"definitions":{`)
		for i := range n {
			next := i + 1
			if next == n {
				if !cycle {
					fmt.Fprintf(&b, `"D%d":{"type":"string"}`, i)
					break
				}
				next = 0
			}
			fmt.Fprintf(&b, `"D%d":{"type":"object","properties":{"n":{"$ref":"#/definitions/D%d"}}},`, i, next)
		}
		return strings.TrimSuffix(b.String(), ",") + "}}"
	}
	laughs := "openapi: 3.0.0\ninfo: {title: L, version: '1'}\npaths: {}\nx-a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n"
	for i, prev := 1, "a"; i <= 9; i++ {
		name := fmt.Sprintf("l%d", i)
		laughs += fmt.Sprintf("x-%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n", name, name, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = name
	}
	var paths strings.Builder
	paths.WriteString(`{"swagger":"2.0","info":{"title":"P","version":"1"},"host":"x","paths":{`)
	for i := range 20_000 {
		if i > 0 {
			paths.WriteString(",")
		}
		fmt.Fprintf(&paths, `"/p%d/{id}":{"get":{"operationId":"op%d","parameters":[{"name":"id","in":"path","required":true,"type":"string"}],"responses":{"200":{"description":"ok"}}}}`, i, i)
	}
	paths.WriteString("}}")
	for _, tc := range []struct{ name, file, body string }{
		{"self reference", "a.swagger.json", `{"swagger":"2.0","info":{"title":"S","version":"1"},"host":"x","paths":{"/a":{"get":{"operationId":"A","responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/A"}}}}}},"definitions":{"A":{"$ref":"#/definitions/A"}}}`},
		{"mutual reference", "a.swagger.json", `{"swagger":"2.0","info":{"title":"M","version":"1"},"host":"x","paths":{"/a":{"get":{"operationId":"A","responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/A"}}}}}},"definitions":{"A":{"$ref":"#/definitions/B"},"B":{"$ref":"#/definitions/A"}}}`},
		{"ref to a missing definition", "a.swagger.json", `{"swagger":"2.0","info":{"title":"R","version":"1"},"host":"x","paths":{"/a":{"get":{"operationId":"A","responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/Nope"}}}}}}}`},
		{"ref into its own sub-path", "a.swagger.json", `{"swagger":"2.0","info":{"title":"R","version":"1"},"host":"x","paths":{"/a":{"get":{"operationId":"A","responses":{"200":{"description":"ok","schema":{"$ref":"#/definitions/A/properties/x"}}}}}},"definitions":{"A":{"type":"object","properties":{"x":{"$ref":"#/definitions/A/properties/x"}}}}}`},
		{"1,000-long ref chain", "a.swagger.json", chain(1000, false)},
		{"1,000-long ref cycle", "a.swagger.json", chain(1000, true)},
		{"YAML alias bomb (10^10 nodes)", "a.yaml", laughs},
		{"1 MB single string", "a.swagger.json", `{"swagger":"2.0","info":{"title":"` + strings.Repeat("t", 1<<20) + `","version":"1"},"host":"x","paths":{}}`},
		{"20,000 paths", "a.swagger.json", paths.String()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			p := writeFile(t, t.TempDir(), tc.file, tc.body)
			c, err := Load(context.Background(), p)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 400<<20 {
				t.Errorf("heap grew by %d MiB", grown>>20)
			}
			if err != nil {
				if !strings.Contains(err.Error(), tc.file) {
					t.Errorf("the error does not name the file: %v", err)
				}
				return
			}
			if c.Doc == nil {
				t.Fatal("loaded without a document")
			}
		})
	}
}
