// Package history turns execution events into what the execution screen shows: one
// table row per event (type, state, time since start, one-line summary) and the full
// detail of one event. Every string from the events is sanitized here.
package history

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/table"

	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/components/jsonview"
)

// Columns are the table's columns for a total width; the summary takes what is left.
func Columns(width int) []table.Column {
	cols := []table.Column{
		{Title: "#", Width: 4},
		{Title: "Type", Width: 22},
		{Title: "State", Width: 14},
		{Title: "Elapsed", Width: 8},
	}
	used := 0
	for _, c := range cols {
		used += c.Width + 2 // the table pads each cell by one on each side
	}
	if rest := width - used - 2; rest >= 8 {
		cols = append(cols, table.Column{Title: "Summary", Width: rest})
	}
	return cols
}

// States returns the state each event belongs to: the named state for Entered, Exited
// and Map iteration events, and for the others (TaskScheduled, TaskSucceeded, ...) the
// state most recently entered, which is the one they happen in for sequential flows.
func States(events []hist.Event) []string {
	out := make([]string, len(events))
	current := ""
	for i := range events {
		if n, ok := events[i].StateName(); ok {
			out[i] = n
			if hist.IsEntered(events[i].Type) {
				current = n
			}
			continue
		}
		out[i] = current
	}
	return out
}

// Rows builds the table rows; states is what States returned for the same events.
func Rows(events []hist.Event, states []string, cols []table.Column) []table.Row {
	rows := make([]table.Row, len(events))
	var start time.Time
	if len(events) > 0 {
		start = events[0].Timestamp
	}
	for i := range events {
		e := &events[i]
		row := table.Row{
			fmt.Sprint(e.ID),
			string(e.Type),
			common.Line(states[i], 0),
			common.Duration(e.Timestamp.Sub(start)),
		}
		if len(cols) > 4 {
			row = append(row, common.Line(Summary(e), cols[4].Width))
		}
		rows[i] = row
	}
	return rows
}

// Summary is one line about an event: the error and cause of a failure, else the output,
// else the input, else the resource. It is not sanitized (Rows does it).
func Summary(e *hist.Event) string {
	if er, ok := e.Error(); ok {
		c, _ := e.Cause()
		return strings.TrimSpace(er + " " + c)
	}
	if o, ok := e.Output(); ok {
		return compact(o)
	}
	if in, ok := e.Input(); ok {
		return compact(in)
	}
	if r, ok := e.Resource(); ok {
		return r
	}
	return ""
}

func compact(s string) string {
	if v, err := value.ParseString(s); err == nil {
		return value.String(v)
	}
	return s
}

// Detail renders an event in full for a pane width wide: its header, then input,
// output, error and cause as pretty JSON, then any other detail members.
func Detail(e *hist.Event, state string, width int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Event %d  %s", e.ID, e.Type)
	if state != "" {
		b.WriteString("  state " + common.Line(state, 0))
	}
	shown := map[string]bool{}
	add := func(label, key string, text string, ok bool) {
		shown[key] = true
		if ok {
			b.WriteString("\n")
			b.WriteString(jsonview.Block(label, text, width))
		}
	}
	in, ok := e.Input()
	add("Input", "input", in, ok)
	out, ok := e.Output()
	add("Output", "output", out, ok)
	er, ok := e.Error()
	add("Error", "error", er, ok)
	c, ok := e.Cause()
	add("Cause", "cause", c, ok)
	shown["name"] = true
	for _, kv := range otherMembers(e) {
		if shown[kv[0]] {
			continue
		}
		b.WriteString("\n")
		b.WriteString(jsonview.Block(kv[0], kv[1], width))
	}
	return common.Fit(b.String(), width, -1)
}

// otherMembers lists the details' members as key and JSON text, read back from the
// event's wire JSON so that every detail type (40-odd) is covered without a switch.
func otherMembers(e *hist.Event) [][2]string {
	buf, err := e.AppendJSON(nil)
	if err != nil {
		return nil
	}
	v, err := value.Parse(buf)
	if err != nil {
		return nil
	}
	obj, ok := v.(*value.Object)
	if !ok {
		return nil
	}
	var out [][2]string
	for i := 0; i < obj.Len(); i++ {
		k, dv := obj.At(i)
		d, ok := dv.(*value.Object)
		if !ok || !strings.HasSuffix(k, "Details") {
			continue
		}
		for j := 0; j < d.Len(); j++ {
			dk, dval := d.At(j)
			if strings.HasSuffix(dk, "Details") {
				continue // inputDetails/outputDetails: only the truncation flag
			}
			text, isText := dval.(string)
			if !isText {
				text = value.String(dval)
			}
			out = append(out, [2]string{dk, text})
		}
	}
	return out
}
