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
	if r.Status < 300 && !declaresSuccess(declared) {
		// Only error statuses are declared: the success has no schema to
		// hold it to. The mock answers 2xx too, and its sweep passes it.
		add(contract.Finding{ID: StatusUndeclared, Level: contract.LevelInfo, Where: "response.status",
			New: fmt.Sprint(r.Status), Old: strings.Join(declared, ","),
			Message: fmt.Sprintf("status %d: the operation declares no success response (declared: %s)", r.Status, strings.Join(declared, ", ")),
			Fix:     "declare the success response with its schema"})
		return
	}
	f := contract.Finding{ID: StatusUndeclared, Level: contract.LevelError, Where: "response.status",
		New: fmt.Sprint(r.Status), Old: strings.Join(declared, ",")}
	f.Message = fmt.Sprintf("status %d is not declared (declared: %s)", r.Status, strings.Join(declared, ", "))
	f.Fix = "declare the status in the operation's responses, or fix the API"
	add(f)
}

// declaresSuccess reports whether any declared key is a 2xx, 3xx or
// default response.
func declaresSuccess(keys []string) bool {
	for _, k := range keys {
		if k == "default" || strings.HasPrefix(k, "2") || strings.HasPrefix(k, "3") {
			return true
		}
	}
	return false
}
