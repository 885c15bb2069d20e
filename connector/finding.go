package connector

import (
	"fmt"
	"sort"
	"strings"
)

// Level says how much a finding matters. Levels order as info < warning < error.
type Level int

// Levels, in increasing severity.
const (
	LevelInfo Level = iota + 1
	LevelWarning
	LevelError
)

func (l Level) String() string {
	switch l {
	case LevelInfo:
		return "info"
	case LevelWarning:
		return "warning"
	case LevelError:
		return "error"
	}
	return fmt.Sprintf("level(%d)", int(l))
}

// MarshalText writes the level as its name so JSON reports stay readable.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads a level name.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := ParseLevel(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// ParseLevel turns "error", "warning" or "info" into a Level.
func ParseLevel(s string) (Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "info":
		return LevelInfo, nil
	case "warning", "warn":
		return LevelWarning, nil
	case "error":
		return LevelError, nil
	}
	return 0, fmt.Errorf("unknown level %q (want error, warning or info)", s)
}

// Finding is one observation about a connector: a repair made while loading,
// or a lint result. ID is stable across releases; tests and users key on it.
type Finding struct {
	ID      string `json:"id"`
	Level   Level  `json:"level"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
	Pointer string `json:"pointer,omitempty"` // RFC 6901 pointer into File
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
}

// Location renders file:line:col, or what part of it is known.
func (f Finding) Location() string {
	var b strings.Builder
	b.WriteString(f.File)
	if f.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", f.Line, f.Col)
	} else if f.Pointer != "" {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString("#" + f.Pointer)
	}
	return b.String()
}

func (f Finding) String() string {
	s := fmt.Sprintf("%s: %s [%s] %s", f.Location(), f.Level, f.ID, f.Message)
	if f.Fix != "" {
		s += " (fix: " + f.Fix + ")"
	}
	return s
}

// SortFindings orders findings by file, position, then ID so output is stable.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		if a.Pointer != b.Pointer {
			return a.Pointer < b.Pointer
		}
		return a.ID < b.ID
	})
}

// MaxLevel returns the highest level among fs, or 0 when fs is empty.
func MaxLevel(fs []Finding) Level {
	var m Level
	for _, f := range fs {
		if f.Level > m {
			m = f.Level
		}
	}
	return m
}

// LoadError is returned when a file cannot be turned into a connector: its
// meaning cannot be recovered. It names the place and what to change.
type LoadError struct {
	File      string
	Line, Col int
	Pointer   string
	Msg       string
	Fix       string
	Err       error
}

func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
	} else if e.Pointer != "" {
		fmt.Fprintf(&b, " #%s", e.Pointer)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Fix != "" {
		b.WriteString("; fix: ")
		b.WriteString(e.Fix)
	}
	return b.String()
}

func (e *LoadError) Unwrap() error { return e.Err }
