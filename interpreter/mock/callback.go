package mock

import (
	"errors"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// CallbackWait is what a handler returns when its task's service call went through and
// the task must now wait for SendTaskSuccess or SendTaskFailure on its token. A driver
// that can wait for callbacks (the service) turns it into engine.InputTaskSubmitted with
// Output. One that cannot (engine.Runner, which runs to the end without an API) sees it
// as a States.Runtime failure whose cause says so.
type CallbackWait struct {
	Output value.Value // the service's reply to the submission, recorded in TaskSubmitted
	Token  string
}

func (w *CallbackWait) Error() string {
	return "the task waits for a callback (SendTaskSuccess or SendTaskFailure on its task token), but this run cannot receive callbacks: " +
		"run the state machine with `stepdeck serve` or in the TUI, or mock the task without \"WaitForCallback\""
}

// As lets a driver that knows nothing of callbacks record the wait as a failure that
// says what to do, rather than as an anonymous task failure.
func (w *CallbackWait) As(target any) bool {
	if fe, ok := target.(**failure.Error); ok {
		*fe = failure.New(failure.Runtime, w.Error())
		return true
	}
	return false
}

// AsCallbackWait reports whether err asks the driver to wait for a callback.
func AsCallbackWait(err error) (*CallbackWait, bool) {
	var w *CallbackWait
	if errors.As(err, &w) {
		return w, true
	}
	return nil, false
}
