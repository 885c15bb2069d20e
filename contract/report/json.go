package report

import (
	"encoding/json"
	"io"

	"github.com/connectorlab/connectorlab/contract"
)

// JSON writes the report as indented JSON (schemaVersion 1).
type JSON struct{}

// Format implements Formatter.
func (JSON) Format(w io.Writer, r *contract.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
