package authoring

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"os"

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
	b, err := json.Marshal(&doc)
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
