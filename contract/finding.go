package contract

import (
	"fmt"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
)

// Level is the severity of a finding; it is the connector package's level
// so lint and contract findings gate CI the same way.
type Level = connector.Level

// Levels, re-exported for callers that only import contract.
const (
	LevelInfo    = connector.LevelInfo
	LevelWarning = connector.LevelWarning
	LevelError   = connector.LevelError
)

// Finding is one observation of a contract run: a breaking change between
// two definitions, a conformance failure of a response, or drift between a
// recording and what the target answers now. ID is stable across releases
// (see Rules); tests and users key on it.
type Finding struct {
	ID    string `json:"id"`
	Level Level  `json:"level"`
	// Operation is the operationId the finding is about ("" for
	// connector-wide findings such as auth changes).
	Operation string `json:"operation,omitempty"`
	Method    string `json:"method,omitempty"`
	Path      string `json:"path,omitempty"`
	// Exchange is the recorded exchange the finding came from, when any.
	Exchange int64 `json:"exchange,omitempty"`
	// Where names the part of the message: "response.body", "response.header",
	// "response.status", "request.query", "notification.body", "auth", ...
	Where string `json:"where,omitempty"`
	// Field is the field path inside Where, as users write it:
	// "results[].alexa", "data.workspaces[].id", a header or parameter name.
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	// Old and New are the two sides compared, rendered short ("string",
	// "200", an enum list); either may be empty.
	Old string `json:"old,omitempty"`
	New string `json:"new,omitempty"`
	// Pointer locates the finding in the definition (RFC 6901, file as
	// written) when it comes from one.
	Pointer string `json:"pointer,omitempty"`
	// File, Line and Col place Pointer in the definition as written.
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
	Fix  string `json:"fix,omitempty"`
	// Count is how often the finding was seen (drift over many exchanges).
	Count int `json:"count,omitempty"`
	// CustomCode marks findings on operations a C# script handles: the
	// difference may come from the script rather than the API.
	CustomCode bool `json:"customCode,omitempty"`
}

// Key identifies a finding for de-duplication and for stable ordering:
// the same change seen twice has the same key.
func (f Finding) Key() string {
	return strings.Join([]string{f.ID, f.Operation, f.Where, f.Field, f.Old, f.New}, "\x00")
}

func (f Finding) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s [%s]", f.Level, f.ID)
	if f.Operation != "" {
		fmt.Fprintf(&b, " %s", f.Operation)
	}
	if f.Field != "" {
		fmt.Fprintf(&b, " %s", f.Field)
	}
	fmt.Fprintf(&b, ": %s", f.Message)
	return b.String()
}

// Sort orders findings by operation, exchange, level (highest first), ID
// and field, so every report of the same run reads the same.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Operation != b.Operation {
			return a.Operation < b.Operation
		}
		if a.Exchange != b.Exchange {
			return a.Exchange < b.Exchange
		}
		if a.Level != b.Level {
			return a.Level > b.Level
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		if a.Where != b.Where {
			return a.Where < b.Where
		}
		return a.Field < b.Field
	})
}

// Counts tallies findings per level name.
func Counts(fs []Finding) map[string]int {
	c := map[string]int{"error": 0, "warning": 0, "info": 0}
	for _, f := range fs {
		c[f.Level.String()]++
	}
	return c
}

// MaxLevel returns the highest level among fs, or 0.
func MaxLevel(fs []Finding) Level {
	var m Level
	for _, f := range fs {
		if f.Level > m {
			m = f.Level
		}
	}
	return m
}

// Fails reports whether any finding is at or above threshold.
func Fails(fs []Finding, threshold Level) bool {
	for _, f := range fs {
		if f.Level >= threshold {
			return true
		}
	}
	return false
}

// Dedupe merges findings with the same Key, summing Count (a finding with
// Count 0 counts once). The first occurrence keeps its position.
func Dedupe(fs []Finding) []Finding {
	idx := map[string]int{}
	var out []Finding
	for _, f := range fs {
		n := f.Count
		if n == 0 {
			n = 1
		}
		if i, ok := idx[f.Key()]; ok {
			out[i].Count += n
			continue
		}
		f.Count = n
		idx[f.Key()] = len(out)
		out = append(out, f)
	}
	return out
}

// OperationUntested is the finding of an operation no case exercised
// (drift and replay coverage). Reports show these apart from the rest: a
// JUnit case skipped, one folded list at the end of the HTML report.
const OperationUntested = "operation-untested"

// Untested says f only reports an operation nobody exercised.
func (f Finding) Untested() bool { return f.ID == OperationUntested }
