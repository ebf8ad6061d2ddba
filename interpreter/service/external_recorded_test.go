package service

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// recordedCall is what one call of a Task state did in the recording: the service's
// response or error, and for a callback task the answer its token got afterwards.
type recordedCall struct {
	state string
	// outcome is the type of the event that ended the call (TaskSucceeded, TaskFailed,
	// TaskSubmitted, TaskTimedOut), or "" when the execution ended first.
	outcome      string
	output       value.Value
	error, cause *string
	// answer is how a submitted callback task ended: TaskSucceeded, TaskFailed or
	// TaskTimedOut, with its output or error and cause.
	answer                   string
	answerOutput             value.Value
	answerError, answerCause *string
}

// recordedEvent is one event of a history.
type recordedEvent struct {
	id, prev int64
	typ      string
	details  *value.Object
}

// parseRecordedEvents reads a history: a recording's normalized one, or the service's
// own in wire JSON.
func parseRecordedEvents(text []byte) ([]recordedEvent, error) {
	v, err := value.Parse(text)
	if err != nil {
		return nil, err
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("the events are not an array")
	}
	out := make([]recordedEvent, 0, len(list))
	for i, e := range list {
		o, ok := e.(*value.Object)
		if !ok {
			return nil, fmt.Errorf("event %d is not an object", i)
		}
		var ev recordedEvent
		for j := range o.Len() {
			k, x := o.At(j)
			switch {
			case k == "id":
				ev.id, _ = value.ToInt(x)
			case k == "previousEventId":
				ev.prev, _ = value.ToInt(x)
			case k == "type":
				ev.typ, _ = x.(string)
			case strings.HasSuffix(k, "EventDetails"):
				ev.details, _ = x.(*value.Object)
			}
		}
		out = append(out, ev)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out, nil
}

// recordedTaskCalls lists, per Task state, the service calls the history shows
// (TaskScheduled events), in the order they were scheduled.
func recordedTaskCalls(events []recordedEvent) map[string][]*recordedCall {
	byID := map[int64]*recordedEvent{}
	children := map[int64][]*recordedEvent{}
	for i := range events {
		e := &events[i]
		byID[e.id] = e
		children[e.prev] = append(children[e.prev], e)
	}
	// next finds the first event following id whose type is one of types.
	next := func(id int64, types ...string) *recordedEvent {
		for _, ch := range children[id] {
			for _, t := range types {
				if ch.typ == t {
					return ch
				}
			}
		}
		return nil
	}
	calls := map[string][]*recordedCall{}
	for i := range events {
		e := &events[i]
		if e.typ != "TaskScheduled" {
			continue
		}
		state := enteredState(byID, e)
		call := &recordedCall{state: state}
		calls[state] = append(calls[state], call)
		at := e.id
		if started := next(at, "TaskStarted"); started != nil {
			at = started.id
		}
		end := next(at, "TaskSucceeded", "TaskFailed", "TaskSubmitted", "TaskTimedOut", "TaskStartFailed", "TaskSubmitFailed")
		if end == nil {
			continue
		}
		call.outcome = end.typ
		call.output, call.error, call.cause = eventResult(end)
		if end.typ != "TaskSubmitted" {
			continue
		}
		if ans := next(end.id, "TaskSucceeded", "TaskFailed", "TaskTimedOut"); ans != nil {
			call.answer = ans.typ
			call.answerOutput, call.answerError, call.answerCause = eventResult(ans)
		}
	}
	return calls
}

// enteredState names the state an event belongs to: the StateEntered event its chain
// of previous events goes back to.
func enteredState(byID map[int64]*recordedEvent, e *recordedEvent) string {
	for seen := 0; e != nil && seen <= len(byID); seen++ {
		if strings.HasSuffix(e.typ, "StateEntered") && e.details != nil {
			if n, ok := e.details.Get("name"); ok {
				s, _ := n.(string)
				return s
			}
		}
		e = byID[e.prev]
	}
	return ""
}

func eventResult(e *recordedEvent) (out value.Value, errName, cause *string) {
	if e.details == nil {
		return nil, nil, nil
	}
	if v, ok := e.details.Get("output"); ok {
		out = v
	}
	if v, ok := e.details.Get("error"); ok {
		if s, isText := v.(string); isText {
			errName = &s
		}
	}
	if v, ok := e.details.Get("cause"); ok {
		s := textOf(v)
		cause = &s
	}
	return out, errName, cause
}

// textOf turns a normalized member back into the text it was recorded as: the
// normalization parsed text that held a JSON object.
func textOf(v value.Value) string {
	if s, ok := v.(string); ok {
		return s
	}
	return string(value.Marshal(v))
}

// payloadOf turns a normalized output back into the value the service returned: an
// object stays one, anything else was left as the JSON text it was recorded as.
func payloadOf(v value.Value) value.Value {
	s, ok := v.(string)
	if !ok {
		return v
	}
	if p, err := value.ParseString(s); err == nil {
		return p
	}
	return s
}

var uuidPlaceholder = regexp.MustCompile(`<uuid:(\d+)>`)

// plainRegex matches the transformer patterns that are literal text (with "." meant as
// a dot), which can be put back in place of their placeholders.
var plainRegex = regexp.MustCompile(`^[A-Za-z0-9_:/.\-]+$`)

// denormalizer undoes what it can of a recording's normalization in a recorded
// response, so that the response served by a mock normalizes again as it was recorded:
// numbered UUID placeholders become UUIDs (numbered again in order of appearance) and
// the case's literal names come back in place of their placeholders.
type denormalizer struct {
	pairs []string // placeholder, original, ...
}

func newDenormalizer(c *conformance.Case) *denormalizer {
	d := &denormalizer{}
	for _, t := range c.Normalization.TestTransformers {
		if t.Kind == "regex" && plainRegex.MatchString(t.Regex) && t.Replacement != "" && t.Replacement != t.Regex {
			d.pairs = append(d.pairs, t.Replacement, t.Regex)
		}
	}
	return d
}

func (d *denormalizer) text(s string) string {
	s = uuidPlaceholder.ReplaceAllStringFunc(s, func(m string) string {
		n, _ := strconv.Atoi(uuidPlaceholder.FindStringSubmatch(m)[1])
		return fmt.Sprintf("%08x-0000-4000-8000-%012x", 0x5eed0000+n, n)
	})
	for i := 0; i < len(d.pairs); i += 2 {
		s = strings.ReplaceAll(s, d.pairs[i], d.pairs[i+1])
	}
	return s
}

func (d *denormalizer) value(v value.Value) value.Value {
	switch x := v.(type) {
	case string:
		return d.text(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = d.value(e)
		}
		return out
	case *value.Object:
		out := value.NewObject(x.Len())
		for i := range x.Len() {
			k, e := x.At(i)
			out.Set(d.text(k), d.value(e))
		}
		return out
	}
	return v
}
