package graph

import (
	"errors"
	"fmt"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// ParseHistory reads the events of an execution from JSON in any of the forms people
// have at hand: a GetExecutionHistory response ({"events": [...]}, as the API and
// `aws stepfunctions get-execution-history` print it), the output of
// `stepdeck run --output json`, or a bare array of events. Timestamps may be epoch
// seconds (the wire) or ISO-8601 text (the AWS CLI).
func ParseHistory(data []byte) ([]history.Event, error) {
	doc, err := value.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("the history is not valid JSON: %v", err)
	}
	var list []any
	switch d := doc.(type) {
	case []any:
		list = d
	case *value.Object:
		evs, ok := d.Get("events")
		if !ok {
			return nil, errors.New(`the history has no "events" member: expected the output of GetExecutionHistory, of stepdeck run --output json, or an array of events`)
		}
		if list, ok = evs.([]any); !ok {
			return nil, fmt.Errorf(`the history's "events" member is %s, not an array`, value.KindOf(evs))
		}
	default:
		return nil, fmt.Errorf("the history is %s: expected an object with an \"events\" array, or an array", value.KindOf(doc))
	}
	out := make([]history.Event, 0, len(list))
	for i, item := range list {
		obj, ok := item.(*value.Object)
		if !ok {
			return nil, fmt.Errorf("event %d of the history is %s, not an object", i+1, value.KindOf(item))
		}
		if ts, ok := obj.Get("timestamp"); ok {
			if s, isText := ts.(string); isText {
				if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
					obj = obj.With("timestamp", float64(t.UnixNano())/1e9)
				} else {
					obj = obj.Clone()
					obj.Delete("timestamp")
				}
			}
		}
		var e history.Event
		if err := e.UnmarshalJSON(value.Marshal(obj)); err != nil {
			return nil, fmt.Errorf("event %d of the history: %v", i+1, err)
		}
		out = append(out, e)
	}
	return out, nil
}
