package authoring

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/connector/jsontext"
)

// Visibilities are the values x-ms-visibility takes; "" removes it (the
// portal then shows the operation as "none").
var Visibilities = []string{"", "none", "important", "advanced", "internal"}

// OperationEdit changes what a maker sees of one operation in the Power
// Automate action card. A nil field is left as it is; an empty Description
// or Visibility removes the member.
type OperationEdit struct {
	OperationID string  `json:"operationId"`
	Summary     *string `json:"summary,omitempty"`
	Description *string `json:"description,omitempty"`
	Visibility  *string `json:"visibility,omitempty"`
}

// EditError is an edit that cannot be made: the field, the problem and
// the fix.
type EditError struct {
	File, Field, Problem, Fix string
}

func (e *EditError) Error() string {
	return fmt.Sprintf("%s: %s: %s (fix: %s)", e.File, e.Field, e.Problem, e.Fix)
}

// EditOperation applies edit to a Swagger 2.0 definition's text and
// returns the new text. The file keeps its formatting and key order
// (jsontext.Rewrite): only the edited values change, a member the
// operation lacked is appended indented like its siblings. name is used
// in errors. The second result is false when nothing changed.
func EditOperation(name string, original []byte, edit OperationEdit) ([]byte, bool, error) {
	norm, _, err := jsontext.Normalize(original, jsontext.Options{})
	if err != nil {
		return nil, false, &EditError{File: name, Field: "(file)", Problem: err.Error(), Fix: "repair the JSON (connectorlab validate names the line)"}
	}
	var root map[string]any
	if err := json.Unmarshal(norm, &root); err != nil || root == nil {
		return nil, false, &EditError{File: name, Field: "(file)", Problem: "not a JSON object", Fix: "open the connector's apiDefinition.swagger.json"}
	}
	if v, _ := root["swagger"].(string); v != "2.0" {
		return nil, false, &EditError{File: name, Field: "swagger", Problem: "not a Swagger 2.0 definition", Fix: "edit the connector's apiDefinition.swagger.json (create one with 'connectorlab new')"}
	}
	op, ptr := findOperation(root, edit.OperationID)
	if op == nil {
		return nil, false, &EditError{File: name, Field: "operationId", Problem: fmt.Sprintf("no operation %q", edit.OperationID), Fix: "pick an operation of the connector (reopen it if the file changed)"}
	}
	if s := edit.Summary; s != nil {
		v := strings.TrimSpace(*s)
		switch {
		case v == "":
			return nil, false, &EditError{File: name, Field: ptr + "/summary", Problem: "the summary is empty", Fix: "type the action's name as it should show in Power Automate"}
		case strings.ContainsAny(v, "\r\n"):
			return nil, false, &EditError{File: name, Field: ptr + "/summary", Problem: "the summary has a line break", Fix: "keep the summary on one line; put details in the description"}
		}
		op["summary"] = v
	}
	if d := edit.Description; d != nil {
		if v := strings.TrimSpace(*d); v == "" {
			delete(op, "description")
		} else {
			op["description"] = v
		}
	}
	if vis := edit.Visibility; vis != nil {
		v := strings.TrimSpace(*vis)
		ok := false
		for _, k := range Visibilities {
			ok = ok || k == v
		}
		if !ok {
			return nil, false, &EditError{File: name, Field: ptr + "/x-ms-visibility", Problem: fmt.Sprintf("%q is not a visibility", v), Fix: "use important, advanced, internal or none"}
		}
		if v == "" {
			delete(op, "x-ms-visibility")
		} else {
			op["x-ms-visibility"] = v
		}
	}
	out, err := jsontext.Rewrite(norm, root)
	if err != nil {
		return nil, false, fmt.Errorf("edit %s: %w", name, err)
	}
	if string(out) == string(norm) {
		return original, false, nil
	}
	return out, true, nil
}

// EditOperationFile applies edit to the definition file at path (written
// through a temporary file in the same folder, keeping its mode) and
// reports whether it changed.
func EditOperationFile(path string, edit OperationEdit) (bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return false, fmt.Errorf("edit: %w", err)
	}
	out, changed, err := EditOperation(path, b, edit)
	if err != nil || !changed {
		return false, err
	}
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".edit-*.json")
	if err != nil {
		return false, fmt.Errorf("edit %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(out); err != nil {
		tmp.Close()
		return false, fmt.Errorf("edit %s: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return false, fmt.Errorf("edit %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return false, fmt.Errorf("edit %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return false, fmt.Errorf("edit %s: %w", path, err)
	}
	return true, nil
}

// findOperation returns the operation object with operationId id and its
// JSON pointer.
func findOperation(root map[string]any, id string) (map[string]any, string) {
	paths, _ := root["paths"].(map[string]any)
	keys := make([]string, 0, len(paths))
	for k := range paths {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, p := range keys {
		item, _ := paths[p].(map[string]any)
		for m, v := range item {
			op, ok := v.(map[string]any)
			if !ok || m == "parameters" || strings.HasPrefix(m, "x-") {
				continue
			}
			if op["operationId"] == id && id != "" {
				return op, "/paths/" + connector.EscapePointerToken(p) + "/" + m
			}
		}
	}
	return nil, ""
}
