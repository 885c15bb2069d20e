package app

import (
	"context"
	"errors"
	"os"
	"strings"

	"github.com/connectorlab/connectorlab/connector"
	"github.com/connectorlab/connectorlab/workflow"
)

// UserError is what the window shows when a call fails: a sentence that
// says what went wrong and, when we know it, what to do about it.
type UserError struct {
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
	Err     error  `json:"-"`
}

func (e *UserError) Error() string {
	if e.Fix == "" {
		return e.Message
	}
	return e.Message + " (fix: " + e.Fix + ")"
}

func (e *UserError) Unwrap() error { return e.Err }

// userErr builds a UserError that wraps err.
func userErr(err error, msg, fix string) error {
	return &UserError{Message: msg, Fix: fix, Err: err}
}

// formatError is the Wails ErrorFormatter: every rejected call reaches the
// window as {message, fix}, never as a Go stack or a bare %v chain.
func formatError(err error) any {
	return describe(err)
}

// describe turns any error from the engine into a UserError.
func describe(err error) UserError {
	var ue *UserError
	if errors.As(err, &ue) {
		return UserError{Message: ue.Message, Fix: ue.Fix}
	}
	var we *workflow.Error
	if errors.As(err, &we) {
		return UserError{Message: we.Message, Fix: we.Fix}
	}
	var le *connector.LoadError
	if errors.As(err, &le) {
		msg := le.Error()
		if le.Fix != "" {
			msg = strings.TrimSuffix(msg, "; fix: "+le.Fix)
		}
		return UserError{Message: msg, Fix: le.Fix}
	}
	switch {
	case errors.Is(err, os.ErrNotExist):
		return UserError{Message: err.Error(), Fix: "check the path: pick the connector folder (with apiDefinition.swagger.json) or a definition file"}
	case errors.Is(err, os.ErrPermission):
		return UserError{Message: err.Error(), Fix: "give your user read access to the file, or copy it somewhere you can read"}
	case errors.Is(err, context.Canceled):
		return UserError{Message: "cancelled"}
	case errors.Is(err, context.DeadlineExceeded):
		return UserError{Message: err.Error(), Fix: "the operation took too long; try again, or check that the target is reachable"}
	}
	return UserError{Message: err.Error()}
}
