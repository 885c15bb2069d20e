package drift

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/connectorlab/connectorlab/contract/shape"
	yaml "go.yaml.in/yaml/v4"
)

// Config is the user's drift configuration file (JSON or YAML):
//
//	schemaVersion: 1
//	ignore:                       # never report these fields
//	  - path: $.metadata.requestId
//	  - path: $..etag             # any depth
//	    operation: GetItem        # only for this operation
//	compare:                      # compare values, not just structure
//	  - path: $.status
//	ignoreHeaders: [X-Build]
type Config struct {
	SchemaVersion int      `json:"schemaVersion" yaml:"schemaVersion"`
	Ignore        []Rule   `json:"ignore,omitempty" yaml:"ignore,omitempty"`
	Compare       []Rule   `json:"compare,omitempty" yaml:"compare,omitempty"`
	IgnoreHeaders []string `json:"ignoreHeaders,omitempty" yaml:"ignoreHeaders,omitempty"`
}

// Rule selects fields by JSON path, optionally for one operation.
type Rule struct {
	Path      string `json:"path" yaml:"path"`
	Operation string `json:"operation,omitempty" yaml:"operation,omitempty"`

	compiled pathRule
}

type pathRule struct {
	anyDepth bool   // "$..name": the last segment, anywhere
	path     string // shape path ("a.b[].c")
}

// LoadConfig reads and checks a config file.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c Config
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		err = dec.Decode(&c)
	} else {
		// Unknown keys are errors in YAML too: a misspelt "ignor:" would
		// otherwise leave every rule silently off.
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err = dec.Decode(&c); errors.Is(err, io.EOF) {
			err = nil // an empty file: no rules
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if c.SchemaVersion != 0 && c.SchemaVersion != 1 {
		return nil, fmt.Errorf("%s: schemaVersion %d is not supported (this version reads 1)", path, c.SchemaVersion)
	}
	if err := c.compile(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &c, nil
}

func (c *Config) compile() error {
	for _, list := range [][]Rule{c.Ignore, c.Compare} {
		for i := range list {
			pr, err := ParsePath(list[i].Path)
			if err != nil {
				return err
			}
			list[i].compiled = pr
		}
	}
	return nil
}

// ParsePath reads a JSON path as users write it — "$.a.b[*].c", "$.a[0].b",
// "a.b[].c", "$..name", "$['odd.key']" — into the shape path syntax.
func ParsePath(p string) (pathRule, error) {
	s := strings.TrimSpace(p)
	if s == "" {
		return pathRule{}, fmt.Errorf("ignore/compare rule with an empty path")
	}
	if strings.HasPrefix(s, "$..") {
		name := s[3:]
		if name == "" || strings.ContainsAny(name, ".[") {
			return pathRule{}, fmt.Errorf("path %q: after $.. give one field name", p)
		}
		return pathRule{anyDepth: true, path: name}, nil
	}
	s = strings.TrimPrefix(s, "$")
	s = strings.TrimPrefix(s, ".")
	var out string
	for len(s) > 0 {
		switch {
		case s[0] == '.':
			s = s[1:]
		case s[0] == '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return pathRule{}, fmt.Errorf("path %q: unclosed [", p)
			}
			inner := s[1:end]
			s = s[end+1:]
			switch {
			case inner == "" || inner == "*" || isDigits(inner):
				out = shape.Items(out)
			case len(inner) >= 2 && (inner[0] == '\'' || inner[0] == '"'):
				out = shape.Child(out, inner[1:len(inner)-1])
			default:
				return pathRule{}, fmt.Errorf("path %q: [%s] is neither an index, * nor a quoted name", p, inner)
			}
		default:
			end := strings.IndexAny(s, ".[")
			if end < 0 {
				end = len(s)
			}
			seg := s[:end]
			s = s[end:]
			if seg == "*" {
				out = shape.Additional(out)
			} else {
				out = shape.Child(out, seg)
			}
		}
	}
	return pathRule{path: out}, nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// matches reports whether shape path p is the rule's field or below it.
func (r Rule) matches(operation, p string) bool {
	if r.Operation != "" && !strings.EqualFold(r.Operation, operation) {
		return false
	}
	if r.compiled.anyDepth {
		for q := p; q != ""; q, _ = shape.Parent(q) {
			if _, last := shape.Parent(q); last == r.compiled.path {
				return true
			}
		}
		return false
	}
	return p == r.compiled.path || shape.IsBelow(p, r.compiled.path)
}

// Ignored reports whether a field of an operation is ignored.
func (c *Config) Ignored(operation, p string) bool {
	if c == nil {
		return false
	}
	for _, r := range c.Ignore {
		if r.matches(operation, p) {
			return true
		}
	}
	return false
}

// Compared reports whether values of a field are compared.
func (c *Config) Compared(operation, p string) bool {
	if c == nil {
		return false
	}
	for _, r := range c.Compare {
		if r.matches(operation, p) {
			return true
		}
	}
	return false
}

// volatileHeaders change on every call; they are never compared.
var volatileHeaders = []string{
	"Date", "Age", "ETag", "Last-Modified", "Expires", "Set-Cookie", "Server", "Via",
	"X-Request-Id", "Request-Id", "X-Ms-Request-Id", "X-Correlation-Id", "X-Ms-Correlation-Request-Id",
	"Traceparent", "Tracestate", "X-Trace-Id", "Cf-Ray", "X-Amzn-Trace-Id", "X-Amz-Request-Id",
	"Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "X-Powered-By", "Report-To", "Nel",
	"Retry-After", "X-Ratelimit-*", "Ratelimit-*", "X-Rate-Limit-*", "Vary", "Cache-Control", "Strict-Transport-Security",
	"Access-Control-*", "X-Connectorlab-*",
}

// Noise lists what the comparison ignores, for the report: the default
// volatile headers, the value rule and the user's ignore rules.
func (c *Config) Noise() []string {
	out := []string{"header values and bodies' scalar values (structure is compared; opt in per field with compare rules)"}
	for _, h := range volatileHeaders {
		out = append(out, "header "+h)
	}
	if c != nil {
		for _, h := range c.IgnoreHeaders {
			out = append(out, "header "+h+" (config)")
		}
		for _, r := range c.Ignore {
			s := "field " + r.Path
			if r.Operation != "" {
				s += " in " + r.Operation
			}
			out = append(out, s+" (config)")
		}
	}
	return out
}

// volatileHeader reports whether a header is noise.
func (c *Config) volatileHeader(name string) bool {
	list := volatileHeaders
	if c != nil {
		list = append(append([]string(nil), volatileHeaders...), c.IgnoreHeaders...)
	}
	for _, h := range list {
		if strings.HasSuffix(h, "*") {
			if strings.HasPrefix(strings.ToLower(name), strings.ToLower(strings.TrimSuffix(h, "*"))) {
				return true
			}
		} else if strings.EqualFold(h, name) {
			return true
		}
	}
	return false
}
