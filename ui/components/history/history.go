// Package history turns execution events into what the execution screen shows: one
// table row per event (type, state, time since start, one-line summary) and the full
// detail of one event. Every string from the events is sanitized here.
package history

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/table"

	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/components/jsonview"
)

// Columns are the table's columns for a total width: number, type and elapsed always,
// the state from 56 cells (14 wide, up to 32 on a wide screen), and a summary taking
// what is left from 80.
func Columns(width int) []table.Column {
	typeW := 22
	if width < 56 {
		typeW = max(width-4-8-6*2-2, 8)
		return []table.Column{{Title: "#", Width: 4}, {Title: "Type", Width: typeW}, {Title: "Elapsed", Width: 8}}
	}
	cols := []table.Column{
		{Title: "#", Width: 4},
		{Title: "Type", Width: typeW},
		{Title: "State", Width: min(14+max(width-100, 0)/5, 32)}, // wider on a wide screen
		{Title: "Elapsed", Width: 8},
	}
	used := 0
	for _, c := range cols {
		used += c.Width + 2 // the table pads each cell by one on each side
	}
	if rest := width - used - 2; rest >= 10 {
		cols = append(cols, table.Column{Title: "Summary", Width: rest})
	} else {
		cols[2].Width += max(rest, 0)
	}
	return cols
}

// Rows builds the table rows for cols (from Columns); states is what States returned
// for the same events and span prints the time since the first event.
func Rows(events []hist.Event, states []string, cols []table.Column, span func(time.Duration) string) []table.Row {
	return AppendRows(nil, events, states, 0, cols, span)
}

// AppendRows appends the rows of events[from:] to rows; events and states are the whole
// execution so far, so that times count from its first event.
func AppendRows(rows []table.Row, events []hist.Event, states []string, from int, cols []table.Column, span func(time.Duration) string) []table.Row {
	var start time.Time
	if len(events) > 0 {
		start = events[0].Timestamp
	}
	for i := from; i < len(events); i++ {
		e := &events[i]
		row := make(table.Row, len(cols))
		for j, c := range cols {
			switch c.Title {
			case "#":
				row[j] = strconv.FormatInt(e.ID, 10)
			case "Type":
				row[j] = string(e.Type)
			case "State":
				row[j] = common.Line(states[i], 0)
			case "Elapsed":
				row[j] = span(e.Timestamp.Sub(start))
			case "Summary":
				row[j] = common.Line(Summary(e), c.Width)
			}
		}
		rows = append(rows, row)
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
	header, sections := DetailSections(e, state)
	var b strings.Builder
	b.WriteString(header)
	for _, s := range sections {
		b.WriteString("\n")
		b.WriteString(jsonview.Block(s.Label, s.Text, width))
	}
	return common.Fit(b.String(), width, -1)
}

// DetailSections is Detail as a header line (sanitized) and labelled values, for a
// jsonview.Model that folds them.
func DetailSections(e *hist.Event, state string) (string, []jsonview.Section) {
	header := fmt.Sprintf("Event %d  %s", e.ID, e.Type)
	if state != "" {
		header += "  state " + common.Line(state, 0)
	}
	var out []jsonview.Section
	shown := map[string]bool{"name": true}
	add := func(label, key string, text string, ok bool) {
		shown[key] = true
		if ok {
			out = append(out, jsonview.Section{Label: label, Text: text})
		}
	}
	in, ok := e.Input()
	add("Input", "input", in, ok)
	o, ok := e.Output()
	add("Output", "output", o, ok)
	er, ok := e.Error()
	add("Error", "error", er, ok)
	c, ok := e.Cause()
	add("Cause", "cause", c, ok)
	for _, kv := range otherMembers(e) {
		if !shown[kv[0]] {
			out = append(out, jsonview.Section{Label: kv[0], Text: kv[1]})
		}
	}
	return header, out
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
