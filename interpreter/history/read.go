package history

import (
	"reflect"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// Readers for the members that many detail types share, so that code deriving state from
// a history (the UI's status painter, the engine's tests) need not switch over 40 detail
// structs. Each returns "" and false when the event's details have no such member or
// leave it unset.

// StateName is the state an event belongs to: the name in *StateEntered and *StateExited
// details, and the Map state's name in MapIteration* details.
func (e *Event) StateName() (string, bool) {
	// Entered and Exited events are most of a history, and painting a graph reads the
	// name of every one: they skip the reflective path.
	switch d := e.Details.(type) {
	case *types.StateEnteredEventDetails:
		if d != nil && IsEntered(e.Type) {
			return deref(d.Name)
		}
	case *types.StateExitedEventDetails:
		if d != nil && IsExited(e.Type) {
			return deref(d.Name)
		}
	}
	return e.text(func(a *access) int { return a.name })
}

// Input is the JSON text of the input in the details (ExecutionStarted, *StateEntered,
// ActivityScheduled, LambdaFunctionScheduled).
func (e *Event) Input() (string, bool) {
	if d, ok := e.Details.(*types.StateEnteredEventDetails); ok && d != nil && IsEntered(e.Type) {
		return deref(d.Input)
	}
	return e.text(func(a *access) int { return a.input })
}

// Output is the JSON text of the output in the details (*StateExited, ExecutionSucceeded,
// TaskSucceeded, TaskSubmitted, ...).
func (e *Event) Output() (string, bool) {
	if d, ok := e.Details.(*types.StateExitedEventDetails); ok && d != nil && IsExited(e.Type) {
		return deref(d.Output)
	}
	return e.text(func(a *access) int { return a.output })
}

func deref(p *string) (string, bool) {
	if p == nil {
		return "", false
	}
	return *p, true
}

// Error is the error name of a failure event (TaskFailed, ExecutionFailed, ...).
func (e *Event) Error() (string, bool) { return e.text(func(a *access) int { return a.err }) }

// Cause is the cause of a failure event.
func (e *Event) Cause() (string, bool) { return e.text(func(a *access) int { return a.cause }) }

// Resource is the task resource (TaskScheduled and the other Task*, Activity*, Lambda*).
func (e *Event) Resource() (string, bool) { return e.text(func(a *access) int { return a.resource }) }

func (e *Event) text(pick func(*access) int) (string, bool) {
	_, v, ok := e.details()
	if !ok {
		return "", false
	}
	i := pick(accessFor(v.Type().Elem()))
	if i < 0 {
		return "", false
	}
	p := v.Elem().Field(i).Interface().(*string)
	if p == nil {
		return "", false
	}
	return *p, true
}

// access holds the indexes of the shared *string members of one details type, -1 where
// the type has none.
type access struct{ name, input, output, err, cause, resource int }

var accessCache sync.Map // reflect.Type → *access

func accessFor(t reflect.Type) *access {
	if a, ok := accessCache.Load(t); ok {
		return a.(*access)
	}
	idx := func(name string) int {
		f, ok := t.FieldByName(name)
		if !ok || len(f.Index) != 1 || f.Type != reflect.TypeFor[*string]() {
			return -1
		}
		return f.Index[0]
	}
	a := &access{idx("Name"), idx("Input"), idx("Output"), idx("Error"), idx("Cause"), idx("Resource")}
	accessCache.Store(t, a)
	return a
}

// StateType is the state type an Entered, Exited or Aborted event names ("Task" for
// TaskStateEntered), or "" for other events.
func StateType(t types.HistoryEventType) string {
	s := string(t)
	for _, suffix := range [...]string{"StateEntered", "StateExited", "StateAborted"} {
		if strings.HasSuffix(s, suffix) && len(s) > len(suffix) {
			return s[:len(s)-len(suffix)]
		}
	}
	return ""
}

// IsEntered reports whether t is one of the *StateEntered types.
func IsEntered(t types.HistoryEventType) bool { return strings.HasSuffix(string(t), "StateEntered") }

// IsExited reports whether t is one of the *StateExited types.
func IsExited(t types.HistoryEventType) bool { return strings.HasSuffix(string(t), "StateExited") }
