package conformance

import (
	"fmt"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Result is what an engine reports for one execution of a case.
type Result struct {
	// Status is SUCCEEDED, FAILED, TIMED_OUT, ABORTED or RUNNING, as DescribeExecution says.
	Status string
	// Error and Cause describe a failure; empty when there is none.
	Error, Cause string
	// Output is the execution's output as JSON text, nil when there is none.
	Output *string
	// Events is the "events" array of GetExecutionHistory in AWS's wire JSON: lowerCamel
	// keys, timestamps as numbers, inputs and outputs as JSON text. Nil when the engine
	// keeps no history.
	Events []byte
}

// NormalizeEvents normalizes a GetExecutionHistory "events" array for case c into the
// shape of c's expected events: keys sorted, JSON text parsed, substitutions applied,
// timestamps dropped.
func NormalizeEvents(c *Case, eventsJSON []byte) ([]any, error) {
	raw, err := parseEvents(eventsJSON)
	if err != nil {
		return nil, err
	}
	return normalizeEventList(c, raw, c.apiDefaultsApplied())
}

func parseEvents(eventsJSON []byte) ([]any, error) {
	v, err := value.Parse(eventsJSON)
	if err != nil {
		return nil, fmt.Errorf("the history is not JSON: %w", err)
	}
	events, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("the history is a JSON %s, want the array of GetExecutionHistory's \"events\"", value.KindOf(v))
	}
	return events, nil
}

func normalizeEventList(c *Case, raw []any, apiDefaults bool) ([]any, error) {
	key := c.historyKey()
	state := value.ObjectOf(key, value.ObjectOf("events", raw))
	norm, err := normalizeState(state, c.Normalization.TestTransformers, apiDefaults)
	if err != nil {
		return nil, err
	}
	// Substitutions work on text, keys included: a replaced name that is also part of a
	// key ("r" in "roleArn") reshapes the document, which must not pass for an empty
	// history.
	wrapper, _ := norm.Get(key)
	wo, _ := wrapper.(*value.Object)
	var list value.Value
	if wo != nil {
		list, _ = wo.Get("events")
	}
	events, ok := list.([]any)
	if !ok {
		return nil, fmt.Errorf("normalizing: the substitutions of the case changed the keys of the history (%s)", clip(value.String(norm), 200))
	}
	for _, e := range events {
		if o, ok := e.(*value.Object); ok {
			o.Delete("timestamp")
		}
	}
	return events, nil
}

// Normalized is a result in the shape of a case's expected fields. Output and Cause
// are nil when absent, otherwise the normalized value (an object where the text held
// one).
type Normalized struct {
	Status string
	Output value.Value
	Error  *string
	Cause  value.Value
}

// closingDetails names the history event that carries the result of each final status.
var closingDetails = map[string][2]string{
	"SUCCEEDED": {"ExecutionSucceeded", "executionSucceededEventDetails"},
	"FAILED":    {"ExecutionFailed", "executionFailedEventDetails"},
	"TIMED_OUT": {"ExecutionTimedOut", "executionTimedOutEventDetails"},
	"ABORTED":   {"ExecutionAborted", "executionAbortedEventDetails"},
}

// NormalizeResult normalizes the result of r for case c. The recorded result is the
// content of the closing history event, so r's result is normalized as such an event
// appended to r's own history: substitutions aimed at that event, and placeholders
// numbered across the history, then come out as they did in the recording.
func NormalizeResult(c *Case, r *Result) (*Normalized, error) {
	n := &Normalized{Status: r.Status}
	names, closes := closingDetails[r.Status]
	if !closes {
		return n, nil
	}
	var events []any
	if len(r.Events) > 0 {
		if parsed, err := parseEvents(r.Events); err == nil {
			events = parsed
		}
	}
	details := value.NewObject(3)
	if r.Cause != "" {
		details.Set("cause", r.Cause)
	}
	if r.Error != "" {
		details.Set("error", r.Error)
	}
	if r.Output != nil {
		details.Set("output", *r.Output)
	}
	last := int64(len(events))
	closing := value.ObjectOf(names[1], details, "id", last+1, "previousEventId", last, "type", names[0])
	norm, err := normalizeEventList(c, append(append([]any(nil), events...), closing), c.apiDefaultsApplied())
	if err != nil && len(events) > 0 {
		// A broken history is the events level's finding; judge the result on its own.
		norm, err = normalizeEventList(c, []any{closing}, c.apiDefaultsApplied())
	}
	if err != nil {
		return nil, err
	}
	got, _ := norm[len(norm)-1].(*value.Object)
	dv, _ := got.Get(names[1])
	d, _ := dv.(*value.Object)
	if v, ok := d.Get("output"); ok {
		n.Output = v
	}
	if v, ok := d.Get("cause"); ok {
		n.Cause = v
	}
	if v, ok := d.Get("error"); ok {
		if s, isText := v.(string); isText {
			n.Error = &s
		}
	}
	return n, nil
}
