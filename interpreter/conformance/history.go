package conformance

import (
	"errors"
	"fmt"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// ErrMaskedIDs: the normalization replaced the ids of an unordered block (Parallel
// branches, Map iterations) by a placeholder, so the links between its events are gone.
var ErrMaskedIDs = errors.New("event ids masked by the normalization")

// HistoryEvents turns a case's normalized expected.events back into events, for code
// that reads histories (the UI's views): members the normalization parsed from JSON text
// become text again, and timestamps, which it replaced, are left zero.
func HistoryEvents(raw []byte) ([]history.Event, error) {
	doc, err := value.Parse(raw)
	if err != nil {
		return nil, err
	}
	list, _ := doc.([]any)
	out := make([]history.Event, 0, len(list))
	for i, item := range list {
		obj, ok := item.(*value.Object)
		if !ok {
			return nil, fmt.Errorf("event %d is not an object", i+1)
		}
		id, _ := obj.Get("id")
		prev, _ := obj.Get("previousEventId")
		if !value.IsInteger(id) || !value.IsInteger(prev) {
			return nil, ErrMaskedIDs
		}
		obj = obj.Clone()
		obj.Delete("timestamp")
		for k := 0; k < obj.Len(); k++ {
			key, v := obj.At(k)
			if d, isObj := v.(*value.Object); isObj && strings.HasSuffix(key, "Details") {
				obj.Set(key, detailsAsText(d))
			}
		}
		var e history.Event
		if err := e.UnmarshalJSON(value.Marshal(obj)); err != nil {
			return nil, fmt.Errorf("event %d: %v", i+1, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// detailsAsText makes the members that hold JSON text text again.
func detailsAsText(d *value.Object) *value.Object {
	d = d.Clone()
	for j := 0; j < d.Len(); j++ {
		k, v := d.At(j)
		switch k {
		case "input", "output", "cause", "error", "parameters", "result":
			if _, isText := v.(string); !isText {
				d.Set(k, value.String(v))
			}
		case "assignedVariables":
			if vars, isObj := v.(*value.Object); isObj {
				vars = vars.Clone()
				for m := 0; m < vars.Len(); m++ {
					if vk, vv := vars.At(m); !isText(vv) {
						vars.Set(vk, value.String(vv))
					}
				}
				d.Set(k, vars)
			}
		}
	}
	return d
}

func isText(v value.Value) bool { _, ok := v.(string); return ok }
