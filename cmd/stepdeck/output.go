package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/awsjson"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// resultWriter prints a run's history as it happens and its result at the end, so that a
// run holds no events: a million-event EXPRESS run with --history prints them all in
// the memory of a few. JSON output is {"events": [...], "execution": <DescribeExecution>}
// with the API's field names, as on the wire; text is a table of events, then the result.
type resultWriter struct {
	w          io.Writer
	json       bool
	withEvents bool
	n          int // events written
	err        error
}

// typeWidth is the width of the event type column: the longest type name, so that the
// columns line up without holding the rows back to measure them.
var typeWidth = func() int {
	n := 0
	for _, t := range types.HistoryEventType("").Values() {
		n = max(n, len(t))
	}
	return n
}()

func (r *resultWriter) start() {
	if r.json && r.withEvents {
		r.write([]byte("{\n  \"events\": ["))
	}
}

// events prints a batch of new events.
func (r *resultWriter) events(evs []history.Event) {
	if !r.withEvents {
		return
	}
	for i := range evs {
		ev := &evs[i]
		if r.json {
			sep := ",\n    "
			if r.n == 0 {
				sep = "\n    "
			}
			r.write([]byte(sep))
			r.write(indentedJSON(ev, "    "))
		} else {
			line := fmt.Sprintf("%4d  %-*s  %-20s  %s", ev.ID, typeWidth, ev.Type, eventState(ev), oneLine(eventNote(ev), 100))
			r.write([]byte(strings.TrimRight(line, " ") + "\n"))
		}
		r.n++
	}
}

// finish prints the result.
func (r *resultWriter) finish(x *engine.Execution) error {
	if r.json {
		desc, err := awsjson.Marshal(x.Describe())
		if err != nil {
			return err
		}
		switch {
		case r.withEvents && r.n > 0:
			r.write([]byte("\n  ],\n  "))
		case r.withEvents:
			r.write([]byte("],\n  "))
		default:
			r.write([]byte("{\n  "))
		}
		r.write([]byte(`"execution": `))
		r.write(indentedJSON(json.RawMessage(desc), "  "))
		r.write([]byte("\n}\n"))
		return r.err
	}
	if r.withEvents {
		r.write([]byte("\n"))
	}
	r.write([]byte(fmt.Sprintf("Execution %s %s\n", x.Meta.Name, x.Status)))
	switch x.Status {
	case types.ExecutionStatusSucceeded:
		r.write([]byte(value.Indent(x.Output) + "\n"))
	default:
		if x.HasError {
			r.write([]byte(fmt.Sprintf("Error: %s\n", x.Error)))
		}
		if x.HasCause {
			r.write([]byte(fmt.Sprintf("Cause: %s\n", x.Cause)))
		}
	}
	return r.err
}

// write keeps the first error: once the output is gone, the run goes on to its end.
func (r *resultWriter) write(b []byte) {
	if r.err == nil {
		_, r.err = r.w.Write(b)
	}
}

// indentedJSON is v as indented JSON after prefix, with no HTML escaping (a cause with
// "<" in it reads as written) and no trailing newline.
func indentedJSON(v any, prefix string) []byte {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return []byte(fmt.Sprintf("%q", err.Error()))
	}
	return []byte(strings.TrimSuffix(b.String(), "\n"))
}

func eventState(ev *history.Event) string {
	switch d := ev.Details.(type) {
	case *types.StateEnteredEventDetails:
		return aws.ToString(d.Name)
	case *types.StateExitedEventDetails:
		return aws.ToString(d.Name)
	case *types.MapIterationEventDetails:
		return fmt.Sprintf("%s[%d]", aws.ToString(d.Name), d.Index)
	}
	return ""
}

// eventNote is the one detail of an event worth a glance in a table.
func eventNote(ev *history.Event) string {
	errCause := func(e, c *string) string {
		return strings.TrimSpace(aws.ToString(e) + " " + aws.ToString(c))
	}
	switch d := ev.Details.(type) {
	case *types.TaskScheduledEventDetails:
		return aws.ToString(d.ResourceType) + ":" + aws.ToString(d.Resource)
	case *types.TaskFailedEventDetails:
		return errCause(d.Error, d.Cause)
	case *types.TaskTimedOutEventDetails:
		return errCause(d.Error, d.Cause)
	case *types.ExecutionFailedEventDetails:
		return errCause(d.Error, d.Cause)
	case *types.ExecutionAbortedEventDetails:
		return errCause(d.Error, d.Cause)
	case *types.StateExitedEventDetails:
		return aws.ToString(d.Output)
	case *types.ExecutionSucceededEventDetails:
		return aws.ToString(d.Output)
	case *types.MapStateStartedEventDetails:
		return fmt.Sprintf("%d items", d.Length)
	}
	return ""
}

// oneLine shortens text for a table cell and drops control characters, so no escape
// sequence from an execution's data reaches the terminal.
func oneLine(s string, max int) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == max {
			b.WriteString("…")
			break
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
