package authoring

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/connector/jsontext"
)

// ExportOpenAPI3 writes the connector's definition as an OpenAPI 3 JSON
// document. x-ms-* extensions stay where they are; apiProperties.json
// travels in the x-connectorlab-api-properties root extension, so that
// `connectorlab new --from` on the export gives the connector back.
func ExportOpenAPI3(c *connector.Connector) ([]byte, error) {
	if c == nil || c.Doc == nil {
		return nil, errors.New("export: no connector")
	}
	doc := *c.Doc
	doc.Extensions = maps.Clone(c.Doc.Extensions)
	if doc.Extensions == nil {
		doc.Extensions = map[string]any{}
	}
	if c.Files.Properties != "" {
		if b, err := os.ReadFile(c.Files.Properties); err == nil {
			if norm, _, err := jsontext.Normalize(b, jsontext.Options{}); err == nil {
				var props map[string]any
				if json.Unmarshal(norm, &props) == nil && props != nil {
					doc.Extensions[PropertiesExtension] = props
				}
			}
		}
	}
	g, err := toGeneric(&doc)
	if err != nil {
		return nil, err
	}
	// x-ms-* values are copied as written; their Swagger 2.0 references
	// must point into components like the rest of the document.
	rewriteRefs(g, "#/definitions/", "#/components/schemas/", 0)
	// The loader moved patterns and formats it cannot enforce aside; the
	// export is the author's definition, so they go back.
	connector.RestoreMovedKeywords(g)
	b, err := json.Marshal(g)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// rewriteRefs changes every "$ref" starting with from to start with to.
func rewriteRefs(v any, from, to string, depth int) {
	if depth > 256 {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		if r, ok := x["$ref"].(string); ok && strings.HasPrefix(r, from) {
			x["$ref"] = to + strings.TrimPrefix(r, from)
		}
		for _, e := range x {
			rewriteRefs(e, from, to, depth+1)
		}
	case []any:
		for _, e := range x {
			rewriteRefs(e, from, to, depth+1)
		}
	}
}
