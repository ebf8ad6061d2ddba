package pages

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/dataflow"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/components/graph"
	"github.com/stepdeck/stepdeck/ui/components/jsonview"
)

// Marks on the graph: a breakpoint, and a state a branch is stopped before.
const (
	markBreakpoint = "◆" // not ●, which the graph uses for a running state
	markStopped    = "▶"
)

func (d *Debugger) leftWidth() int { return max(d.c.Width*2/5, 20) }

func (d *Debugger) rightWidth() int { return max(d.c.Width-d.leftWidth(), 20) }

func (d *Debugger) graphOptions() graph.Options {
	marks := map[string]string{}
	for name := range d.view.Breakpoints {
		marks[name] = markBreakpoint
	}
	for _, h := range d.view.Held {
		marks[h.State] = markStopped
	}
	opts := graph.Options{Width: d.leftWidth() - 2, Height: d.c.BodyHeight() - 2, Selected: d.selected,
		Color: d.c.Styles.Color, Painting: d.painting, Mode: graph.Auto, ScrollX: d.scrollX, ScrollY: d.scrollY, Marks: marks}
	if h := d.current(); h != nil && len(h.Iterations) > 0 {
		// Inside a Map, paint the iteration the stopped branch is in.
		opts.MapIteration = h.Iterations
	}
	return opts
}

func (d *Debugger) View() string {
	switch {
	case d.form != nil:
		return d.form.View()
	case d.answer != nil:
		return d.answer.View()
	}
	h := d.c.BodyHeight()
	opts := d.graphOptions()
	def := d.s.Definition()
	g := graph.Render(def, nil, opts)
	d.scrollX, d.scrollY = graph.Viewport(def, nil, opts)
	left := box(" Graph ", g, d.leftWidth(), h, false)

	rw := d.rightWidth()
	topH := min(max(h/2, 8), h-4)
	top := box(" Debugger ", d.controlView(rw-2), rw, topH, false)
	var lower string
	if d.showTested && d.tested != nil {
		lower = box(" TestState ", d.tested.View(rw-2, h-topH-2), rw, h-topH, false)
	} else if d.showFlow {
		d.refreshFlow()
		lower = box(" Data flow ", d.flow.View(rw-2, h-topH-2), rw, h-topH, false)
	} else {
		lower = box(" Events ", d.eventsView(rw-2, h-topH-2), rw, h-topH, false)
	}
	return joinColumns(left, top+"\n"+lower)
}

// joinColumns puts two blocks of lines side by side.
func joinColumns(left, right string) string {
	l, r := strings.Split(left, "\n"), strings.Split(right, "\n")
	n := max(len(l), len(r))
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString("\n")
		}
		if i < len(l) {
			b.WriteString(l[i])
		}
		if i < len(r) {
			b.WriteString(r[i])
		}
	}
	return b.String()
}

// controlView says what the execution is doing and what waits for the operator.
func (d *Debugger) controlView(w int) string {
	v := d.view
	var b strings.Builder
	on := func(set bool) string {
		if set {
			return "on"
		}
		return "off"
	}
	mode := "to next breakpoint"
	if v.Stepping {
		mode = "stepping"
	}
	errs := on(v.BreakOnError)
	if names := d.s.ErrorNames(); v.BreakOnError && len(names) > 0 {
		errs = strings.Join(names, ", ")
	}
	line := fmt.Sprintf("%s, %s · break on errors: %s · before retries: %s", d.statusWord(), mode, errs, on(v.BreakOnRetry))
	b.WriteString(common.Line(line, w) + "\n")
	if v.Status != "RUNNING" {
		b.WriteString(d.endView())
		return b.String()
	}
	if len(v.Held) > 0 {
		b.WriteString("Stopped before:\n")
		// A Map stepped into may stop thousands of iterations: show a few around the
		// one the step keys act on.
		from, to := listWindow(len(v.Held), d.cur, maxHeldShown)
		if from > 0 {
			b.WriteString(fmt.Sprintf("  … %d more\n", from))
		}
		for i := from; i < to; i++ {
			h := v.Held[i]
			cursor := "  "
			if i == d.cur {
				cursor = "▸ "
			}
			where := ""
			if h.Path != "" {
				where = "  in " + h.Path
			}
			b.WriteString(common.Line(fmt.Sprintf("%s%s (%s)%s", cursor, h.State, h.Reason, where), w) + "\n")
		}
		if to < len(v.Held) {
			b.WriteString(fmt.Sprintf("  … %d more (tab walks them)\n", len(v.Held)-to))
		}
	}
	for _, t := range v.Tasks {
		kind := "task"
		switch {
		case strings.Contains(t.Resource, ":activity:"):
			kind = "activity task"
		case t.Callback:
			kind = "callback"
		}
		b.WriteString(common.Line(fmt.Sprintf("Waiting for you: %s %s (%s) · a answers, x fails", kind, t.State, t.Resource), w) + "\n")
	}
	now := time.Now()
	for _, t := range v.Timers {
		what := map[engine.TimerPurpose]string{engine.TimerWait: "Wait", engine.TimerRetry: "retry delay",
			engine.TimerTaskTimeout: "time limit", engine.TimerHeartbeat: "heartbeat limit"}[t.Purpose]
		when := "fires in " + common.Duration(t.At.Sub(now))
		if t.Paused {
			when = "paused (g goes on)"
		}
		b.WriteString(common.Line(fmt.Sprintf("%s of %s %s · w skips", what, t.State, when), w) + "\n")
	}
	b.WriteString(d.failureLines(w))
	b.WriteString(d.breakpointLines(w))
	b.WriteString(d.watchLines(w))
	if h := d.current(); h != nil {
		// The variables first: one line each, they would fall off the pane under a
		// long input.
		if len(h.Vars) > 0 {
			b.WriteString("Variables:\n")
			names := make([]string, 0, len(h.Vars))
			for k := range h.Vars {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, k := range names {
				b.WriteString(common.Line("  $"+k+" = "+value.String(h.Vars[k]), w) + "\n")
			}
		}
		b.WriteString("Input of " + common.Line(h.State, 0) + " (e edits):\n")
		b.WriteString(jsonview.Pretty(value.String(h.Input)))
	}
	return b.String()
}

func (d *Debugger) endView() string {
	v := d.view
	if v.Status == types.ExecutionStatusSucceeded {
		return "Output:\n" + jsonview.Pretty(value.String(v.Output)) + "\n\nR restarts at the selected state."
	}
	return fmt.Sprintf("Error: %s\nCause: %s\n\nR restarts at the selected state with an input you edit.", v.Error, v.Cause)
}

func (d *Debugger) eventsView(w, h int) string {
	evs := d.events
	if len(evs) > h {
		evs = evs[len(evs)-h:]
	}
	var b strings.Builder
	for _, ev := range evs {
		name, _ := ev.StateName()
		b.WriteString(common.Line(fmt.Sprintf("%4d  %-28s %s", ev.ID, ev.Type, name), w) + "\n")
	}
	return b.String()
}

// refreshFlow shows the selected state's data flow: a state a branch is stopped before
// shows what it is about to do with its input (traced: it has not run); another shows
// its last run as the engine computed it.
func (d *Debugger) refreshFlow() {
	key := fmt.Sprint(d.selected, len(d.events), d.cur, len(d.view.Held))
	if key == d.flowKey {
		return
	}
	d.flowKey = key
	header, stages := d.flowOf(d.selected)
	d.flow.SetHeader(header...)
	d.flow.SetStages(stages)
}

func (d *Debugger) flowOf(name string) ([]string, []dataflow.Stage) {
	st := d.s.Definition().Find(name)
	if st == nil {
		return []string{"Data flow: select a state with the arrows"}, nil
	}
	for _, h := range d.view.Held {
		if h.State == name {
			in := dataflow.Inputs{Input: h.Input, Vars: h.Vars, Context: d.s.Context(st, time.Now())}
			return []string{"Data flow of " + name + ", about to run (its result is not known yet)"}, dataflow.Trace(st, in)
		}
	}
	var entered int64
	for i := len(d.events) - 1; i >= 0; i-- {
		if n, _ := d.events[i].StateName(); n == name && hist.IsEntered(d.events[i].Type) {
			entered = d.events[i].ID
			break
		}
	}
	if entered == 0 {
		return []string{"Data flow of " + name + ": not run yet"}, nil
	}
	// Looking back at an earlier stop, the flow is what the engine had computed by then.
	stages, ok := d.s.Flow(entered, d.events[len(d.events)-1].ID)
	if !ok {
		return []string{fmt.Sprintf("Data flow of %s, entered at event %d: no stage computed yet", name, entered)}, nil
	}
	return []string{fmt.Sprintf("Data flow of %s, as the engine ran it from event %d", name, entered)}, stages
}

// maxHeldShown is how many stopped branches the debugger lists at once.
const maxHeldShown = 6

// listWindow picks at most size of n lines, keeping cur among them.
func listWindow(n, cur, size int) (from, to int) {
	if n <= size {
		return 0, n
	}
	from = max(0, min(cur-size/2, n-size))
	return from, from + size
}
