package pages

import (
	"context"
	"errors"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/stepdeck/stepdeck/interpreter/debug"
	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/components/dataflowview"
	"github.com/stepdeck/stepdeck/ui/components/graph"
	"github.com/stepdeck/stepdeck/ui/components/jsonview"
)

// Debugger steps through one local execution (interpreter/debug): the graph with
// breakpoints and the states the execution is stopped before, what is stopped and
// waiting, and the data flow of the selected state.
type Debugger struct {
	c     *common.Common
	s     *debug.Session
	title string

	view     debug.View
	events   []hist.Event
	painting *graph.Painting
	selected string
	// follow keeps the selection on the state the execution is stopped before, until
	// the arrows move it.
	follow bool
	cur    int // the held frame the step keys act on (index into view.Held)

	flow      *dataflowview.Model
	showFlow  bool
	flowKey   string
	form      *jsonForm
	answer    *AnswerForm
	answerFor int // the frame of the task the answer form answers

	scrollX, scrollY int
	done             chan struct{}

	prompt  *debugPrompt // B, = or W typing
	watches []string     // re-evaluated at every stop

	// Stepping back (debugger_back.go): the stops seen, how many stops back the
	// screen looks (0: now), and the session as it is now.
	tested     *jsonview.Model // the last TestState of a state (X), shown in the lower pane
	showTested bool
	stops      []debugStop
	back       int
	liveView   debug.View
	liveEvents []hist.Event
}

type debugChangedMsg struct{ owner *Debugger }

type debugTickMsg struct{ owner *Debugger }

var (
	keyStep       = key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "step"))
	keyStepOver   = key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "step over"))
	keyContinue   = key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "continue"))
	keyPause      = key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pause"))
	keyBreak      = key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "breakpoint"))
	keyEditInput  = key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit input"))
	keySkip       = key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "skip wait"))
	keyAnswerTask = key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "answer task"))
	keyFailTask   = key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "fail task"))
	keyRestart    = key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "restart here"))
	keyOnError    = key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "break on error"))
	keyOnRetry    = key.NewBinding(key.WithKeys("T"), key.WithHelp("T", "break on retry"))
	keyNextHeld   = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next stopped"))
	keyLower      = key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "flow/events"))
	keyStopExec   = key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "stop"))
	keyArrows     = key.NewBinding(key.WithKeys("up", "down", "left", "right"), key.WithHelp("←↑↓→", "select state"))
	keyFlowPage   = key.NewBinding(key.WithKeys("pgup", "pgdown", "home", "end"), key.WithHelp("pgup/pgdn", "scroll data flow"))
)

// NewDebugger returns the debugger page over a session; title names what is debugged.
func NewDebugger(c *common.Common, s *debug.Session, title string) *Debugger {
	d := &Debugger{c: c, s: s, title: title, follow: true, showFlow: true, flow: dataflowview.New(c.Styles),
		done: make(chan struct{})}
	d.refresh()
	return d
}

func (d *Debugger) Title() string {
	return "Debug " + common.Line(d.title, 0) + " · " + d.statusWord() + d.backLine()
}

func (d *Debugger) statusWord() string {
	v := d.view
	switch {
	case v.Status != "RUNNING":
		return string(v.Status)
	case len(v.Held) > 0:
		return "paused"
	case len(v.Tasks) > 0:
		return "waiting for you"
	case len(v.Timers) > 0:
		return "waiting"
	}
	return "running"
}

func (d *Debugger) Init() tea.Cmd { return tea.Batch(d.wait(), d.tick()) }

func (d *Debugger) Close() {
	select {
	case <-d.done:
	default:
		close(d.done)
	}
	d.s.Close()
}

// wait delivers the session's next change.
func (d *Debugger) wait() tea.Cmd {
	ch, done := d.s.Changed(), d.done
	return func() tea.Msg {
		select {
		case <-ch:
			return debugChangedMsg{d}
		case <-done:
			return nil
		}
	}
}

// tick redraws the time left on timers.
func (d *Debugger) tick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return debugTickMsg{d} })
}

func (d *Debugger) Capturing() bool { return d.form != nil || d.answer != nil || d.prompt != nil }

func (d *Debugger) Keys() []key.Binding {
	switch {
	case d.form != nil:
		return d.form.Keys()
	case d.answer != nil:
		return d.answer.Keys()
	case d.prompt != nil:
		return []key.Binding{keyDoIt, keyCancel}
	}
	if d.lookingBack() {
		return []key.Binding{keyStepBack, keyStepForward, keyArrows, keyEvaluate, keyLower}
	}
	ks := []key.Binding{keyStep, keyStepOver, keyContinue, keyRunTo, keyStepBack, keyPause, keyBreak, keyCondition, keyEvaluate, keyWatch, keySetVar, keyArrows, keyFlowPage}
	if len(d.view.Held) > 0 {
		ks = append(ks, keyEditInput)
	}
	if len(d.view.Held) > 1 {
		ks = append(ks, keyNextHeld)
	}
	if len(d.view.Timers) > 0 {
		ks = append(ks, keySkip)
	}
	if len(d.view.Tasks) > 0 {
		ks = append(ks, keyAnswerTask, keyFailTask)
	}
	return append(ks, keyRestart, keyTestState, keyOnError, keyErrNames, keyOnRetry, keyLower, keyStopExec)
}

func (d *Debugger) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch msg := msg.(type) {
	case DefinitionChangedMsg:
		return d, d.reload(msg)
	case testStateMsg:
		return d, d.testStated(msg)
	case debugChangedMsg:
		if msg.owner != d {
			return d, nil
		}
		d.refresh()
		return d, d.wait()
	case debugTickMsg:
		if msg.owner != d {
			return d, nil
		}
		return d, d.tick()
	case answeredMsg:
		d.answer = nil
		if msg.err != nil {
			return d, fail(msg.err)
		}
		d.refresh()
		return d, func() tea.Msg { return InfoMsg("answered: " + msg.what) }
	case formCancelled:
		d.answer = nil
		return d, nil
	case editedMsg:
		if d.form != nil {
			d.form.edited(msg)
		}
		if d.answer != nil {
			var cmd tea.Cmd
			d.answer, cmd = d.answer.Update(msg)
			return d, cmd
		}
		return d, nil
	case tea.KeyPressMsg:
		return d, d.key(msg)
	}
	if d.answer != nil {
		var cmd tea.Cmd
		d.answer, cmd = d.answer.Update(msg)
		return d, cmd
	}
	return d, nil
}

// refresh reads the session again.
func (d *Debugger) refresh() {
	d.liveView, d.liveEvents = d.s.View(), d.s.History()
	d.recordStop(d.liveView)
	if d.back > 0 {
		// Looking back: the new stop is kept, the screen stays where it looks.
		d.back++
		return
	}
	d.view, d.events = d.liveView, d.liveEvents
	d.painting = graph.Paint(d.s.Definition(), d.events)
	if d.cur >= len(d.view.Held) {
		d.cur = 0
	}
	if d.follow {
		if h := d.current(); h != nil {
			d.selected = h.State
		} else if d.selected == "" {
			d.selected = d.s.Definition().StartAt
		}
	}
	d.flowKey = "" // the flow depends on the session's state: recompute on demand
}

// current is the held frame the step keys act on.
func (d *Debugger) current() *debug.Held {
	if d.cur < len(d.view.Held) {
		return &d.view.Held[d.cur]
	}
	return nil
}

func (d *Debugger) currentFrame() int {
	if h := d.current(); h != nil {
		return h.Frame
	}
	return -1
}

func (d *Debugger) key(k tea.KeyPressMsg) tea.Cmd {
	if d.prompt != nil {
		return d.promptKey(k)
	}
	if d.form != nil {
		return d.form.update(k)
	}
	if d.answer != nil {
		var cmd tea.Cmd
		d.answer, cmd = d.answer.Update(k)
		return cmd
	}
	if cmd, refused := d.refusesWhileBack(k); refused {
		return cmd
	}
	switch {
	case key.Matches(k, keyFlowPage) && d.showFlow:
		// The data flow is taller than its pane: the page keys scroll it (the arrows
		// walk the graph).
		d.refreshFlow()
		d.flow.Update(k)
		return nil
	case key.Matches(k, keyStepBack):
		return d.stepBack(-1)
	case key.Matches(k, keyStepForward):
		return d.stepBack(1)
	case key.Matches(k, keyCondition) && d.selected != "":
		return d.openPrompt(promptCondition)
	case key.Matches(k, keyEvaluate):
		return d.openPrompt(promptEvaluate)
	case key.Matches(k, keyWatch):
		return d.openPrompt(promptWatch)
	case key.Matches(k, keySetVar) && d.current() != nil:
		return d.openPrompt(promptSetVar)
	case key.Matches(k, keyErrNames):
		return d.openPrompt(promptErrorNames)
	case key.Matches(k, keyRunTo) && d.selected != "":
		d.follow = true
		if err := d.s.RunTo(d.selected); err != nil {
			return fail(err)
		}
		return info("running to " + d.selected)
	}
	report := func(err error) tea.Cmd {
		if err != nil {
			return fail(err)
		}
		return nil
	}
	switch {
	case key.Matches(k, keyStep):
		d.follow = true
		return report(d.s.Step(d.currentFrame()))
	case key.Matches(k, keyStepOver):
		d.follow = true
		return report(d.s.StepOver(d.currentFrame()))
	case key.Matches(k, keyContinue):
		d.follow = true
		d.s.Continue()
	case key.Matches(k, keyPause):
		d.s.Pause()
		return func() tea.Msg { return InfoMsg("pausing: every branch stops before its next state") }
	case key.Matches(k, keyBreak):
		if d.selected == "" {
			return nil
		}
		on := d.s.ToggleBreakpoint(d.selected)
		word := "cleared"
		if on {
			word = "set"
		}
		return func() tea.Msg { return InfoMsg("breakpoint on " + common.Line(d.selected, 0) + " " + word) }
	case key.Matches(k, keyNextHeld):
		if n := len(d.view.Held); n > 0 {
			d.cur = (d.cur + 1) % n
			d.follow = true
			d.refresh()
		}
	case key.Matches(k, keyEditInput):
		return d.editInput()
	case key.Matches(k, keySkip):
		return report(d.skip())
	case key.Matches(k, keyAnswerTask), key.Matches(k, keyFailTask):
		return d.answerTask(key.Matches(k, keyAnswerTask))
	case key.Matches(k, keyRestart):
		return d.restart()
	case key.Matches(k, keyOnError):
		d.s.BreakOn(!d.view.BreakOnError, d.view.BreakOnRetry)
	case key.Matches(k, keyOnRetry):
		d.s.BreakOn(d.view.BreakOnError, !d.view.BreakOnRetry)
	case key.Matches(k, keyLower) && d.showTested:
		d.showTested = false
	case key.Matches(k, keyLower):
		d.showFlow = !d.showFlow
	case key.Matches(k, keyTestState) && d.selected != "":
		return d.testState()
	case key.Matches(k, keyStopExec):
		d.s.Stop()
	case key.Matches(k, keyArrows):
		dirs := map[string]graph.Direction{"up": graph.Up, "down": graph.Down, "left": graph.Left, "right": graph.Right}
		if dir, ok := dirs[k.String()]; ok {
			d.selected = graph.Move(d.s.Definition(), d.selected, dir, d.graphOptions())
			d.follow = false
		}
	default:
		d.flow.Update(k)
	}
	return nil
}

// skip fires the current frame's timer, or the only pending one.
func (d *Debugger) skip() error {
	timers := d.view.Timers
	if len(timers) == 0 {
		return errors.New("no Wait or retry delay is pending")
	}
	for _, t := range timers {
		if t.State == d.selected {
			return d.s.Skip(t.Frame)
		}
	}
	return d.s.Skip(timers[0].Frame)
}

// task picks the pending task of the selected state, or the first.
func (d *Debugger) task() *debug.Task {
	for i, t := range d.view.Tasks {
		if t.State == d.selected {
			return &d.view.Tasks[i]
		}
	}
	if len(d.view.Tasks) > 0 {
		return &d.view.Tasks[0]
	}
	return nil
}

func (d *Debugger) editInput() tea.Cmd {
	h := d.current()
	if h == nil {
		return fail(errors.New("nothing is stopped before a state: step or set a breakpoint first"))
	}
	frame, state := h.Frame, h.State
	d.form = newJSONForm(d.c, "Input of "+common.Line(state, 0)+" (it runs with this)", value.Indent(h.Input), func(v value.Value) tea.Cmd {
		if err := d.s.SetInput(frame, v); err != nil {
			return fail(err)
		}
		d.refresh()
		return func() tea.Msg { return InfoMsg("input of " + common.Line(state, 0) + " replaced") }
	})
	d.form.onClose = func() { d.form = nil }
	return d.form.focus()
}

func (d *Debugger) answerTask(approve bool) tea.Cmd {
	t := d.task()
	if t == nil {
		return fail(errors.New("no task waits for an answer"))
	}
	frame := t.Frame
	d.answerFor = frame
	d.answer = newAnswerForm(d.c, common.Line(t.State, 0)+" ("+common.Line(t.Resource, 0)+")", t.State, approve,
		func(_ context.Context, approve bool, output, errName, cause string) error {
			if approve {
				v, err := value.ParseString(output)
				if err != nil {
					return err
				}
				return d.s.Answer(frame, v, nil, nil)
			}
			return d.s.Answer(frame, nil, &errName, &cause)
		})
	if approve {
		d.answer.output.SetValue(value.Indent(t.Input))
	}
	return d.answer.Focus()
}

// restart begins a new session at the selected state, with an input to edit: the input
// it had last, or the one it is stopped with. Inside a Parallel or Map, that branch or
// item processor runs on its own from the state.
func (d *Debugger) restart() tea.Cmd {
	state := d.selected
	def := d.s.Definition()
	if def.Find(state) == nil {
		return fail(fmt.Errorf("select a state to restart from"))
	}
	input := d.lastInput(state)
	d.form = newJSONForm(d.c, "Restart at "+common.Line(state, 0)+" with input", value.Indent(input), func(v value.Value) tea.Cmd {
		n, err := d.s.Restart(state, v)
		if err != nil {
			return fail(err)
		}
		d.s = n
		d.follow, d.cur = true, 0
		d.refresh()
		return tea.Batch(d.wait(), func() tea.Msg { return InfoMsg("restarted at " + common.Line(state, 0)) })
	})
	d.form.onClose = func() { d.form = nil }
	return d.form.focus()
}

// lastInput is the input a state is stopped with, else the one it last ran with, else {}.
func (d *Debugger) lastInput(state string) value.Value {
	for _, h := range d.view.Held {
		if h.State == state {
			return h.Input
		}
	}
	for i := len(d.events) - 1; i >= 0; i-- {
		ev := d.events[i]
		if name, _ := ev.StateName(); hist.IsEntered(ev.Type) && name == state {
			if text, ok := ev.Input(); ok {
				if v, err := value.ParseString(text); err == nil {
					return v
				}
			}
		}
	}
	return value.NewObject(0)
}
