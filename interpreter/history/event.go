// Package history is the local engine's record of an execution: events kept compactly in
// memory and converted at the edges, to the SDK's types.HistoryEvent for the UI and to
// AWS's wire JSON for `stepdeck run --output json` and the HTTP server.
//
// types.HistoryEvent carries one pointer for each of its 40-odd detail kinds; an Event
// keeps only the one that is set, which is what makes a 25,000-event history small.
package history

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/awsjson"
)

// Event is one history event. Details is the SDK's detail struct pointer for Type (for
// example *types.StateEnteredEventDetails for PassStateEntered), or nil for the types
// that have none.
type Event struct {
	ID, PreviousEventID int64
	Timestamp           time.Time
	Type                types.HistoryEventType
	Details             any
}

// slot is where one event type keeps its details in types.HistoryEvent.
type slot struct {
	field int          // index in types.HistoryEvent
	key   string       // wire member name, e.g. "stateEnteredEventDetails"
	typ   reflect.Type // pointer type of the details, e.g. *types.StateEnteredEventDetails
}

var (
	historyEventType = reflect.TypeFor[types.HistoryEvent]()
	slots            = buildSlots()
)

// slotFor finds the details field of t. Entered and Exited events of every state type
// share one field each; every other type with details has a field named after it (the
// MapIteration* types share a Go type but not a field). A type without such a field has
// no details (ParallelStateStarted, MapRunSucceeded, TaskStateAborted, ...).
func slotFor(t types.HistoryEventType) (slot, bool) {
	if s, ok := slots[t]; ok {
		return s, ok
	}
	if knownTypes[t] {
		return slot{}, false
	}
	return lookupSlot(t)
}

// slotOf is slotFor for an event's own details: an event type this SDK does not list
// keeps whatever details it came with (FromSDK takes them from any field), in the first
// field of their Go type, so that they still show and still round-trip.
func slotOf(t types.HistoryEventType, details reflect.Type) (slot, bool) {
	if s, ok := slotFor(t); ok || knownTypes[t] {
		return s, ok
	}
	for _, i := range detailFields {
		if f := historyEventType.Field(i); f.Type == details {
			return slot{field: i, key: awsjson.MemberName(historyEventType, f.Name), typ: f.Type}, true
		}
	}
	return slot{}, false
}

func lookupSlot(t types.HistoryEventType) (slot, bool) {
	name := string(t) + "EventDetails"
	switch {
	case strings.HasSuffix(name, "StateEnteredEventDetails"):
		name = "StateEnteredEventDetails"
	case strings.HasSuffix(name, "StateExitedEventDetails"):
		name = "StateExitedEventDetails"
	}
	f, ok := historyEventType.FieldByName(name)
	if !ok || len(f.Index) != 1 || f.Type.Kind() != reflect.Pointer {
		return slot{}, false
	}
	return slot{field: f.Index[0], key: awsjson.MemberName(historyEventType, name), typ: f.Type}, true
}

func buildSlots() map[types.HistoryEventType]slot {
	m := map[types.HistoryEventType]slot{}
	for _, t := range types.HistoryEventType("").Values() {
		if s, ok := lookupSlot(t); ok {
			m[t] = s
		}
	}
	return m
}

// DetailsField returns the wire member that holds the details of events of type t, such
// as "stateEnteredEventDetails", or "" if events of that type carry none.
func DetailsField(t types.HistoryEventType) string {
	s, _ := slotFor(t)
	return s.key
}

// DetailsType returns the Go type Details must have for events of type t, or nil if they
// carry none.
func DetailsType(t types.HistoryEventType) reflect.Type {
	s, ok := slotFor(t)
	if !ok {
		return nil
	}
	return s.typ
}

// Check reports whether Details fits Type. A mismatch is a bug in the code that built the
// event; MarshalJSON refuses it and ToSDK leaves such details out.
func (e *Event) Check() error {
	if e.Details == nil {
		return nil
	}
	got := reflect.TypeOf(e.Details)
	s, ok := slotOf(e.Type, got)
	if !ok {
		return fmt.Errorf("history: event %d: %s events carry no details, but it holds %s", e.ID, e.Type, got)
	}
	if got != s.typ {
		return fmt.Errorf("history: event %d: %s events take %s, but it holds %s", e.ID, e.Type, s.typ, got)
	}
	return nil
}

// details returns Details as a reflect.Value when it is a non-nil pointer that fits Type.
func (e *Event) details() (slot, reflect.Value, bool) {
	if e.Details == nil {
		return slot{}, reflect.Value{}, false
	}
	v := reflect.ValueOf(e.Details)
	s, ok := slotOf(e.Type, v.Type())
	if !ok || v.Type() != s.typ || v.IsNil() {
		return slot{}, reflect.Value{}, false
	}
	return s, v, true
}
