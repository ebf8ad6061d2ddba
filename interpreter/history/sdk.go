package history

import (
	"reflect"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// ToSDK returns the event as the SDK's type, with Details in the field its Type uses.
// Details that do not fit Type (see Check) are left out rather than put in a wrong field.
func (e *Event) ToSDK() types.HistoryEvent {
	h := types.HistoryEvent{Id: e.ID, PreviousEventId: e.PreviousEventID, Type: e.Type}
	if !e.Timestamp.IsZero() {
		ts := e.Timestamp
		h.Timestamp = &ts
	}
	if s, v, ok := e.details(); ok {
		reflect.ValueOf(&h).Elem().Field(s.field).Set(v)
	}
	return h
}

// FromSDK converts an SDK event. The details are taken from the field of h.Type; for a
// type this SDK does not know, from whichever details field is set.
func FromSDK(h types.HistoryEvent) Event {
	e := Event{ID: h.Id, PreviousEventID: h.PreviousEventId, Type: h.Type}
	if h.Timestamp != nil {
		e.Timestamp = *h.Timestamp
	}
	hv := reflect.ValueOf(&h).Elem()
	if s, ok := slotFor(h.Type); ok {
		if f := hv.Field(s.field); !f.IsNil() {
			e.Details = f.Interface()
		}
		return e
	}
	if !knownTypes[h.Type] {
		for _, i := range detailFields {
			if f := hv.Field(i); !f.IsNil() {
				e.Details = f.Interface()
				break
			}
		}
	}
	return e
}

var knownTypes = func() map[types.HistoryEventType]bool {
	m := map[types.HistoryEventType]bool{}
	for _, t := range types.HistoryEventType("").Values() {
		m[t] = true
	}
	return m
}()

// detailFields are the indexes of types.HistoryEvent's details pointers, in field order.
var detailFields = func() []int {
	var out []int
	for i := 0; i < historyEventType.NumField(); i++ {
		f := historyEventType.Field(i)
		if f.IsExported() && f.Type.Kind() == reflect.Pointer && strings.HasSuffix(f.Name, "EventDetails") {
			out = append(out, i)
		}
	}
	return out
}()

// ToSDKAll converts a whole history, for the API's GetExecutionHistory output.
func ToSDKAll(events []Event) []types.HistoryEvent {
	out := make([]types.HistoryEvent, len(events))
	for i := range events {
		out[i] = events[i].ToSDK()
	}
	return out
}
