package specdiff

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
)

// doc builds a Swagger 2.0 document from paths (and optional extra root
// keys), for the small cases each check's test needs.
func doc(paths map[string]any, extra ...map[string]any) map[string]any {
	d := map[string]any{
		"swagger": "2.0",
		"info":    map[string]any{"title": "T", "version": "1"},
		"host":    "api.example.com", "basePath": "/", "schemes": []any{"https"},
		"paths": paths,
	}
	for _, e := range extra {
		for k, v := range e {
			d[k] = v
		}
	}
	return d
}

// load writes a definition (and apiProperties when props != nil) into a
// temporary connector folder and loads it.
func load(t *testing.T, def map[string]any, props map[string]any) *connector.Connector {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, v any) {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("apiDefinition.swagger.json", def)
	if props != nil {
		write("apiProperties.json", props)
	}
	c, err := connector.Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ids(fs []contract.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.ID+"@"+f.Level.String())
	}
	sort.Strings(out)
	return out
}

func op(id string, extra map[string]any) map[string]any {
	o := map[string]any{
		"operationId": id,
		"responses":   map[string]any{"200": map[string]any{"description": "ok"}},
	}
	for k, v := range extra {
		o[k] = v
	}
	return o
}

func ok200(schema any) map[string]any {
	return map[string]any{"200": map[string]any{"description": "ok", "schema": schema}}
}

func obj(props map[string]any, required ...string) map[string]any {
	o := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		r := make([]any, len(required))
		for i, s := range required {
			r[i] = s
		}
		o["required"] = r
	}
	return o
}

func typ(t string) map[string]any { return map[string]any{"type": t} }

// expect runs the diff and compares the sorted ID@level list.
func expect(t *testing.T, old, new *connector.Connector, want ...string) []contract.Finding {
	t.Helper()
	fs := Run(old, new)
	got := ids(fs)
	sort.Strings(want)
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v\n%v", got, want, fs)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v\n%v", got, want, fs)
		}
	}
	return fs
}
