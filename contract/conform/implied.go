package conform

import (
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract/shape"
)

// implied lists, per lookup operation, the response paths the connector's
// x-ms-dynamic-* declarations name: the value collection of a dynamic
// values lookup (and the value and title inside its items), the items of a
// dynamic list, the schema a dynamic-schema lookup returns at its value
// path. The lookup's own response schema often leaves them out, but the
// declarations say they are there: they are documented, and their content
// (a schema, an item list) is open.
func implied(c *connector.Connector) map[string][]string {
	out := map[string][]string{}
	if c == nil {
		return out
	}
	for _, op := range c.Operations {
		for _, d := range op.Dynamic {
			if d.OperationID == "" {
				continue
			}
			var paths []string
			switch {
			case d.ValueCollection != "":
				paths = append(paths, segPath(d.ValueCollection))
			case d.ItemsPath != "":
				paths = append(paths, segPath(d.ItemsPath))
			case d.Kind == connector.DynamicSchema || d.Kind == connector.DynamicProperties:
				vp := d.ValuePath
				if vp == "" {
					vp = d.ItemValuePath
				}
				paths = append(paths, segPath(vp))
			case d.Kind == connector.DynamicValues:
				// Values without a collection: the body is the array.
				paths = append(paths, shape.Items(""))
			}
			for _, p := range paths {
				if p != "" {
					out[d.OperationID] = append(out[d.OperationID], p)
				}
			}
		}
	}
	return out
}

// segPath turns "a/b" or "a.b" into a shape path.
func segPath(s string) string {
	p := ""
	for _, seg := range strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '.' }) {
		p = shape.Child(p, seg)
	}
	return p
}

// impliedAt reports whether the value path p (array indexes as "[]") is at
// or below one of op's implied paths.
func (k *Checker) impliedAt(op *connector.Operation, p string) bool {
	for _, q := range k.implied[op.ID] {
		if p == q || shape.IsBelow(p, q) || shape.IsBelow(p, shape.Items(q)) || p == shape.Items(q) {
			return true
		}
	}
	return false
}

// isPlaceholder: a value the recorder redacted stands for any value of
// any type (a secret object or number became the placeholder string).
func isPlaceholder(v any) bool {
	s, ok := v.(string)
	return ok && IsRedacted(s)
}
