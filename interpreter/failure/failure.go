// Package failure holds the error a state machine raises: a name, such as
// States.Runtime or a user's own error, and a cause. Retry and Catch match on the name.
package failure

import (
	"errors"
	"fmt"
)

// Error is a Step Functions error raised inside an execution.
type Error struct {
	Name  string
	Cause string
	// Location is the field a JSONata expression failed in ("Output/result"), for the
	// EvaluationFailed event; empty otherwise.
	Location string
}

func (e *Error) Error() string {
	if e.Cause == "" {
		return e.Name
	}
	return e.Name + ": " + e.Cause
}

// New returns an error with the given name and cause.
func New(name, cause string) *Error { return &Error{Name: name, Cause: cause} }

// Newf returns an error whose cause is formatted.
func Newf(name, format string, args ...any) *Error {
	return &Error{Name: name, Cause: fmt.Sprintf(format, args...)}
}

// The error names Step Functions defines.
const (
	All                             = "States.ALL"
	Runtime                         = "States.Runtime"
	Timeout                         = "States.Timeout"
	HeartbeatTimeout                = "States.HeartbeatTimeout"
	TaskFailed                      = "States.TaskFailed"
	Permissions                     = "States.Permissions"
	DataLimitExceeded               = "States.DataLimitExceeded"
	IntrinsicFailure                = "States.IntrinsicFailure"
	QueryEvaluationError            = "States.QueryEvaluationError"
	NoChoiceMatched                 = "States.NoChoiceMatched"
	BranchFailed                    = "States.BranchFailed"
	ParameterPathFailure            = "States.ParameterPathFailure"
	ResultPathMatchFailure          = "States.ResultPathMatchFailure"
	ExceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold"
	ItemReaderFailed                = "States.ItemReaderFailed"
	ResultWriterFailed              = "States.ResultWriterFailed"
	HTTPSocket                      = "States.Http.Socket"
)

// InvalidPath words a path that failed as AWS does. An error that already is a
// Step Functions error is kept as it is.
func InvalidPath(p fmt.Stringer, err error) *Error {
	var fe *Error
	if errors.As(err, &fe) {
		return fe
	}
	return Newf(Runtime, "Invalid path '%s' : %s", p, err.Error())
}
