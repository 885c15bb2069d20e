package create

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/authoring"
	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract/conform"
	"github.com/connectorlab/connectorlab/contract/drift"
	"github.com/connectorlab/connectorlab/recordings"
	"github.com/connectorlab/connectorlab/route"
	"github.com/connectorlab/connectorlab/workflow"
	"github.com/connectorlab/connectorlab/workflow/exchanges"
)

// MergeRequest adds what traffic shows to an existing definition.
type MergeRequest struct {
	// Definition is the apiDefinition.swagger.json (or its folder) to
	// extend.
	Definition string
	// Traffic names the exchanges: From is a .har file, or a session when
	// Store is set.
	Traffic Request
}

// MergeResult is the proposed definition text and what changed.
type MergeResult struct {
	Document []byte
	Changes  []string
}

// Merge is drift --write-patch extended: response schemas of matched
// operations follow the traffic (contract/drift's Patch), and traffic that
// matches no operation adds operations inferred from it. The file keeps its
// formatting and key order; new members are appended.
func Merge(ctx context.Context, r MergeRequest) (*MergeResult, error) {
	c, err := connector.Load(ctx, r.Definition)
	if err != nil {
		return nil, &workflow.Error{Kind: workflow.KindUsage, Message: err.Error(), Err: err}
	}
	if c.Format != connector.FormatSwagger2 {
		return nil, workflow.Usage(fmt.Sprintf("--merge %s is %s; it must be a Swagger 2.0 apiDefinition.swagger.json", r.Definition, c.Format),
			"create the connector first with 'connectorlab new DIR --from FILE'")
	}
	xs, file, err := traffic(ctx, r.Traffic)
	if err != nil {
		return nil, err
	}
	original, err := os.ReadFile(c.Files.Definition)
	if err != nil {
		return nil, &workflow.Error{Kind: workflow.KindInfra, Message: err.Error(), Err: err}
	}
	router := route.New(c)
	tr := drift.NewTraffic(c, conform.New(c, conform.Options{}))
	var unmatched []*recordings.Exchange
	basePath := strings.TrimSuffix(c.BasePath, "/")
	for _, x := range xs {
		if x.Source == recordings.SourceEvent || x.Request.Method == "" {
			continue
		}
		u, err := url.Parse(x.Request.URL)
		if err != nil {
			continue
		}
		o := drift.Observation{Method: x.Request.Method, URL: x.Request.URL, Status: x.Response.Status, Header: x.Response.Header, Body: x.Response.Body}
		if op := c.Operation(x.OperationID); op != nil {
			o.Operation = op
		} else if m, _ := router.Find(x.Request.Method, u.EscapedPath()); m != nil {
			o.Operation = m.Operation
		}
		if o.Operation == nil {
			// Strip the connector's basePath so the new path sits beside
			// the others.
			cp := *x
			if basePath != "" && strings.HasPrefix(u.Path, basePath+"/") {
				u.Path = strings.TrimPrefix(u.Path, basePath)
				u.RawPath = ""
				cp.Request.URL = u.String()
			}
			cp.OperationID = ""
			unmatched = append(unmatched, &cp)
			continue
		}
		if x.Response.Status != 0 {
			tr.Add(o)
		}
	}
	extra := func(root map[string]any) []string {
		if len(unmatched) == 0 {
			return nil
		}
		inf, err := Infer(unmatched, InferOptions{Title: c.Name, File: file, KeepPaths: true})
		if err != nil {
			return nil
		}
		inf.Doc.Servers = nil
		inf.Doc.Components.SecuritySchemes, inf.Doc.Security = nil, nil
		f, err := authoring.Build(&authoring.Source{Doc: inf.Doc, File: file}, authoring.Options{Auth: ""})
		if err != nil {
			return nil
		}
		return addOperations(root, f.Definition)
	}
	res, err := tr.Patch().BuildWith(original, extra)
	if err != nil {
		return nil, &workflow.Error{Kind: workflow.KindUsage, Message: err.Error(), Err: err}
	}
	return &MergeResult{Document: res.Document, Changes: res.Changes}, nil
}

// addOperations copies the operations of add that root lacks (by method
// and path) into root, renaming clashing operationIds.
func addOperations(root, add map[string]any) []string {
	paths := asMap(root["paths"])
	if paths == nil {
		paths = map[string]any{}
		root["paths"] = paths
	}
	ids := map[string]bool{}
	for _, item := range paths {
		for _, op := range asMap(item) {
			if id, _ := asMap(op)["operationId"].(string); id != "" {
				ids[id] = true
			}
		}
	}
	var changes []string
	newPaths := asMap(add["paths"])
	keys := make([]string, 0, len(newPaths))
	for k := range newPaths {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, p := range keys {
		item := asMap(newPaths[p])
		have := asMap(paths[p])
		methods := make([]string, 0, len(item))
		for m := range item {
			methods = append(methods, m)
		}
		sort.Strings(methods)
		for _, m := range methods {
			op := asMap(item[m])
			if op == nil || have[m] != nil {
				continue
			}
			if have == nil {
				have = map[string]any{}
				paths[p] = have
			}
			id, _ := op["operationId"].(string)
			base, n := id, 2
			for ids[id] {
				id = fmt.Sprintf("%s%d", base, n)
				n++
			}
			ids[id] = true
			op["operationId"] = id
			have[m] = op
			changes = append(changes, fmt.Sprintf("%s %s: new operation %s (%s)", strings.ToUpper(m), p, id, authoring.InferUnmatched))
		}
	}
	if defs := asMap(add["definitions"]); len(defs) > 0 {
		rd := asMap(root["definitions"])
		if rd == nil {
			rd = map[string]any{}
			root["definitions"] = rd
		}
		for k, v := range defs {
			if rd[k] == nil {
				rd[k] = v
			}
		}
	}
	return changes
}

// traffic reads the exchanges a Request names: a session of r.Store or a
// HAR file.
func traffic(ctx context.Context, r Request) ([]*recordings.Exchange, string, error) {
	if r.Store != nil {
		sess, err := recordings.PickSession(ctx, r.Store, r.From, "")
		if err != nil {
			return nil, "", &workflow.Error{Kind: workflow.KindUsage, Message: fmt.Sprintf("%s: session %q: %v", r.StoreFile, r.From, err), Err: err}
		}
		xs, err := exchanges.All(ctx, r.Store, sess.ID)
		if err != nil {
			return nil, "", &workflow.Error{Kind: workflow.KindInfra, Message: err.Error(), Err: err}
		}
		return xs, r.StoreFile + "#" + sess.Name, nil
	}
	data, err := os.ReadFile(r.From)
	if err != nil {
		return nil, "", &workflow.Error{Kind: workflow.KindUsage, Message: fmt.Sprintf("--from %s: %v", r.From, errText(err)),
			Fix: "pass a .har file, or a session with --db", Err: err}
	}
	xs, _, err := recordings.ReadHAR(bytes.NewReader(data), recordings.Limits{})
	if err != nil {
		return nil, "", &workflow.Error{Kind: workflow.KindUsage, Message: fmt.Sprintf("%s: %v (--merge learns from a .har file or a session)", r.From, err), Err: err}
	}
	return xs, r.From, nil
}
