package workflow

import "errors"

// Kind says who can fix an Error: the user (usage), or the machine.
type Kind int

const (
	// KindUsage: bad input (a flag, a form field, a definition). Exit 2.
	KindUsage Kind = iota
	// KindExists: the thing to create is already there. Exit 2.
	KindExists
	// KindInfra: the database, a port or the disk failed. Exit 3.
	KindInfra
)

// Error is a failure a user can act on: Message says what is wrong and
// Fix what to do. Err, when set, is the cause.
type Error struct {
	Kind    Kind
	Message string
	Fix     string
	Err     error
}

func (e *Error) Error() string {
	if e.Fix == "" {
		return e.Message
	}
	return e.Message + " (" + e.Fix + ")"
}

func (e *Error) Unwrap() error { return e.Err }

// Usage returns a KindUsage error.
func Usage(msg, fix string) *Error { return &Error{Kind: KindUsage, Message: msg, Fix: fix} }

// KindOf returns the Kind of err; errors that are not *Error are KindInfra.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInfra
}
