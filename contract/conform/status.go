package conform

import (
	"fmt"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/contract"
)

// checkStatus: the status must be declared. An undeclared success is an
// error (the flow's outputs come from the declared response); an
// undeclared error status is a warning (the flow fails either way).
func checkStatus(op *connector.Operation, r Response, key string, add func(contract.Finding)) {
	declared := Statuses(op.Op)
	if key != "" || len(declared) == 0 {
		return
	}
	f := contract.Finding{ID: StatusUndeclared, Level: contract.LevelError, Where: "response.status",
		New: fmt.Sprint(r.Status), Old: strings.Join(declared, ",")}
	if r.Status >= 400 {
		f.Level = contract.LevelWarning
	}
	f.Message = fmt.Sprintf("status %d is not declared (declared: %s)", r.Status, strings.Join(declared, ", "))
	f.Fix = "declare the status in the operation's responses, or fix the API"
	add(f)
}
