package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/contract"
	"github.com/connectorlab/connectorlab/contract/pairtruth"
)

// breakingKinds are the listed changes that break an existing flow: it
// reads a field that is gone or retyped, or calls an operationId that no
// longer exists.
var breakingKinds = map[string]bool{
	"field-removed": true, "field-renamed": true, "type-changed": true, "payload-type-changed": true,
	"status-changed": true, "operation-renamed": true, "operation-removed": true,
}

// oasdiffEntry is one item of `oasdiff changelog --format json`.
type oasdiffEntry struct {
	ID          string `json:"id"`
	Text        string `json:"text"`
	Level       int    `json:"level"` // 1 info, 2 warning, 3 error
	Operation   string `json:"operation"`
	OperationID string `json:"operationId"`
	Path        string `json:"path"`
}

var backticked = regexp.MustCompile("`([^`]*)`")

// fromOASDiff maps oasdiff's entries onto contract findings so the same
// truth matcher scores both tools.
func fromOASDiff(es []oasdiffEntry) []contract.Finding {
	var out []contract.Finding
	for _, e := range es {
		f := contract.Finding{ID: e.ID, Level: contract.Level(e.Level), Operation: e.OperationID, Message: e.Text}
		ticks := backticked.FindAllStringSubmatch(e.Text, -1)
		switch {
		case strings.Contains(e.ID, "property"):
			if len(ticks) > 0 {
				f.Field = ourPath(ticks[0][1])
			}
		case strings.HasPrefix(e.ID, "request-parameter"):
			if len(ticks) > 1 {
				f.Field = ticks[1][1]
			}
		case e.ID == "api-operation-id-removed":
			f.Old = e.OperationID
			if len(ticks) > 1 {
				f.New = ticks[1][1]
			}
		case strings.HasPrefix(e.ID, "response-body-type"):
			f.Field = "(root)"
		}
		out = append(out, f)
	}
	return out
}

// ourPath turns oasdiff's "data/items/id" into connectorlab's "data[].id".
func ourPath(p string) string {
	var b strings.Builder
	for _, seg := range strings.Split(p, "/") {
		if seg == "items" {
			b.WriteString("[]")
			continue
		}
		if b.Len() > 0 {
			b.WriteString(".")
		}
		b.WriteString(seg)
	}
	return b.String()
}

func cell(f contract.Finding, ok bool) string {
	if !ok {
		return "—"
	}
	s := fmt.Sprintf("`%s` (%s)", f.ID, f.Level)
	if f.Count > 0 {
		s = fmt.Sprintf("`%s` ×%d (%s)", f.ID, f.Count, f.Level)
	}
	return s
}

func score(truthFile, outDir string, w io.Writer) error {
	truth, err := pairtruth.Load(truthFile)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "| pair | listed change | connectorlab diff | oasdiff changelog |")
	fmt.Fprintln(w, "|---|---|---|---|")
	type tally struct{ found, breaking int }
	var ours, theirs tally
	listed, breakingListed := 0, 0
	var extra []string
	for _, pair := range truth.Pairs() {
		var mine []contract.Finding
		if err := readJSON(filepath.Join(outDir, pair, "connectorlab.json"), &mine); err != nil {
			return err
		}
		var es []oasdiffEntry
		if err := readJSON(filepath.Join(outDir, pair, "oasdiff.json"), &es); err != nil {
			return err
		}
		od := fromOASDiff(es)
		for _, it := range truth[pair] {
			listed++
			a, okA := pairtruth.Find(it, pairtruth.Diff[it.Kind], mine)
			b, okB := pairtruth.Find(it, pairtruth.OASDiff[it.Kind], od)
			brk := breakingKinds[it.Kind]
			if brk {
				breakingListed++
			}
			if okA {
				ours.found++
				if brk && a.Level == contract.LevelError {
					ours.breaking++
				}
			}
			if okB {
				theirs.found++
				if brk && b.Level == contract.LevelError {
					theirs.breaking++
				}
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", pair[:2], it.String(), cell(a, okA), cell(b, okB))
		}
		extra = append(extra, errorsOnlyOne(pair, mine, od)...)
	}
	fmt.Fprintf(w, "\nNamed: connectorlab %d/%d, oasdiff %d/%d. ", ours.found, listed, theirs.found, listed)
	fmt.Fprintf(w, "Breaking for Power Platform flows (removed/renamed/retyped fields, status, payload, removed or renamed operations: %d listed) and rated error: connectorlab %d/%d, oasdiff %d/%d.\n",
		breakingListed, ours.breaking, breakingListed, theirs.breaking, breakingListed)
	if len(extra) > 0 {
		fmt.Fprintln(w, "\nError-level findings only one tool raises (beyond the listed changes):")
		fmt.Fprintln(w)
		sort.Strings(extra)
		for _, e := range extra {
			fmt.Fprintln(w, e)
		}
	}
	return nil
}

// errorsOnlyOne lists, per operation, error-level IDs one tool raises while
// the other raises no error at all on that operation.
func errorsOnlyOne(pair string, mine, theirs []contract.Finding) []string {
	byOp := func(fs []contract.Finding) map[string][]string {
		m := map[string][]string{}
		for _, f := range fs {
			if f.Level == contract.LevelError {
				m[f.Operation] = append(m[f.Operation], f.ID)
			}
		}
		return m
	}
	a, b := byOp(mine), byOp(theirs)
	var out []string
	for op, ids := range a {
		if len(b[op]) == 0 {
			out = append(out, fmt.Sprintf("- %s `%s`: connectorlab only — %s", pair[:2], opName(op), uniq(ids)))
		}
	}
	for op, ids := range b {
		if len(a[op]) == 0 {
			out = append(out, fmt.Sprintf("- %s `%s`: oasdiff only — %s", pair[:2], opName(op), uniq(ids)))
		}
	}
	return out
}

func opName(op string) string {
	if op == "" {
		return "(connector)"
	}
	return op
}

func uniq(ids []string) string {
	seen := map[string]int{}
	var order []string
	for _, id := range ids {
		if seen[id] == 0 {
			order = append(order, id)
		}
		seen[id]++
	}
	var parts []string
	for _, id := range order {
		if seen[id] > 1 {
			parts = append(parts, fmt.Sprintf("`%s` ×%d", id, seen[id]))
		} else {
			parts = append(parts, "`"+id+"`")
		}
	}
	return strings.Join(parts, ", ")
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
