package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/awsjson"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// writeJSONResult prints {"execution": <DescribeExecution>, "events": [...]} with the
// API's field names, as on the wire.
func writeJSONResult(w io.Writer, x *engine.Execution, withEvents bool) error {
	desc, err := awsjson.Marshal(x.Describe())
	if err != nil {
		return err
	}
	doc := struct {
		Execution json.RawMessage `json:"execution"`
		Events    []history.Event `json:"events,omitempty"`
	}{Execution: desc}
	if withEvents {
		doc.Events = x.History
		if doc.Events == nil {
			doc.Events = []history.Event{}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// writeTextResult prints the history as a table and then the result.
func writeTextResult(w io.Writer, x *engine.Execution, withEvents bool) error {
	if withEvents {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for i := range x.History {
			ev := &x.History[i]
			fmt.Fprintf(tw, "%4d\t%s\t%s\t%s\n", ev.ID, ev.Type, eventState(ev), oneLine(eventNote(ev), 100))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Execution %s %s\n", x.Meta.Name, x.Status)
	switch x.Status {
	case types.ExecutionStatusSucceeded:
		fmt.Fprintln(w, value.Indent(x.Output))
	default:
		if x.HasError {
			fmt.Fprintf(w, "Error: %s\n", x.Error)
		}
		if x.HasCause {
			fmt.Fprintf(w, "Cause: %s\n", x.Cause)
		}
	}
	return nil
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
