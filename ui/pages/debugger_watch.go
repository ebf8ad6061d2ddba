package pages

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/debug"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/expr"
	"github.com/stepdeck/stepdeck/interpreter/value"
	"github.com/stepdeck/stepdeck/ui/common"
)

// The debugger's expressions: a condition on a breakpoint (B), an expression evaluated
// once at the stop point (=), and watches re-evaluated at every stop (W adds one, W with
// nothing typed clears them). Each is a JSONPath or an intrinsic when it reads as one
// ($.order.id, $$.Execution.Name, States.Format(...)), else JSONata ($states.input,
// $states.context, the variables, Step Functions' functions), and sees what the stopped
// state sees: its input, its variables and its context.

var (
	keyCondition = key.NewBinding(key.WithKeys("B"), key.WithHelp("B", "conditional breakpoint"))
	keyEvaluate  = key.NewBinding(key.WithKeys("="), key.WithHelp("=", "evaluate here"))
	keyWatch     = key.NewBinding(key.WithKeys("W"), key.WithHelp("W", "watch"))
	keyRunTo     = key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "run to selected"))
	keySetVar    = key.NewBinding(key.WithKeys("$"), key.WithHelp("$", "set variable"))
	keyErrNames  = key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "break on errors named"))
	keyDoIt      = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "ok"))
)

type promptKind uint8

const (
	promptCondition promptKind = iota
	promptEvaluate
	promptWatch
	promptSetVar
	promptErrorNames
)

// debugPrompt is the one-line field of B, = and W, shown in the status line.
type debugPrompt struct {
	kind  promptKind
	state string // the state a condition is for
	input textinput.Model
}

// exprLang picks the language of an expression typed at the debugger: JSONPath when it
// parses as a path or an intrinsic (where the two languages overlap, $.a reads the same
// in both), JSONata otherwise, and always for $states.
func exprLang(text string) string {
	t := strings.TrimSpace(text)
	if !strings.HasPrefix(t, "$states") && expr.Check("jsonpath", t) == nil {
		return "jsonpath"
	}
	return "jsonata"
}

func (d *Debugger) openPrompt(kind promptKind) tea.Cmd {
	label := map[promptKind]string{
		promptCondition:  "Stop at " + d.selected + " when: ",
		promptEvaluate:   "Evaluate: ",
		promptWatch:      "Watch: ",
		promptSetVar:     "Set variable (name = JSON): $",
		promptErrorNames: "Break on errors named (comma separated; empty: any error): ",
	}[kind]
	initial := ""
	switch kind {
	case promptCondition:
		initial = d.s.Conditions()[d.selected].Text
	case promptErrorNames:
		initial = strings.Join(d.s.ErrorNames(), ", ")
	}
	d.prompt = &debugPrompt{kind: kind, state: d.selected, input: newInput(d.c, label, initial)}
	d.prompt.input.CursorEnd()
	return d.prompt.input.Focus()
}

// Prompt is the status line while a prompt is open.
func (d *Debugger) Prompt() (string, bool) {
	if d.prompt == nil {
		return "", false
	}
	return d.prompt.input.View(), true
}

func (d *Debugger) promptKey(k tea.KeyPressMsg) tea.Cmd {
	p := d.prompt
	switch {
	case key.Matches(k, keyCancel):
		d.prompt = nil
		return nil
	case key.Matches(k, keyDoIt):
		d.prompt = nil
		return d.runPrompt(p, strings.TrimSpace(p.input.Value()))
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(k)
	return cmd
}

func (d *Debugger) runPrompt(p *debugPrompt, text string) tea.Cmd {
	switch p.kind {
	case promptCondition:
		if err := d.s.SetCondition(p.state, debug.Condition{Lang: exprLang(text), Text: text}); err != nil {
			return fail(err)
		}
		if text == "" {
			return info("Breakpoint on " + p.state)
		}
		return info("Breakpoint on " + p.state + " when " + text)
	case promptErrorNames:
		d.s.BreakOnErrorNames(strings.Split(text, ","))
		if text == "" {
			return info("Breaking on any error, at the failure (before a retry or a catch acts)")
		}
		return info("Breaking on " + text + ", at the failure (before a retry or a catch acts)")
	case promptWatch:
		if text == "" {
			d.watches = nil
			return info("Watches cleared")
		}
		d.watches = append(d.watches, text)
		return nil
	}
	h := d.current()
	if h == nil {
		return fail(fmt.Errorf("nothing is stopped here"))
	}
	if p.kind == promptSetVar {
		name, js, ok := strings.Cut(text, "=")
		name = strings.TrimPrefix(strings.TrimSpace(name), "$")
		if !ok || name == "" {
			return fail(fmt.Errorf("set a variable as name = JSON, e.g. total = 42"))
		}
		v, err := value.ParseString(strings.TrimSpace(js))
		if err != nil {
			return fail(fmt.Errorf("the value of $%s is not JSON: %w", name, err))
		}
		if err := d.s.SetVariable(h.Frame, name, v); err != nil {
			return fail(err)
		}
		return info(fmt.Sprintf("$%s = %s for %s on", name, value.String(v), h.State))
	}
	v, err := d.evalAt(h, text)
	if err != nil {
		return fail(fmt.Errorf("%s at %s: %w", text, h.State, err))
	}
	return info(fmt.Sprintf("%s at %s = %s", text, h.State, value.String(v)))
}

// evalAt evaluates at a stopped frame: the session's, now; a past stop's own input and
// variables when looking back (its context is not kept).
func (d *Debugger) evalAt(h *debug.Held, text string) (value.Value, error) {
	if d.lookingBack() {
		return expr.Eval(exprLang(text), text, h.Input, true, h.Vars)
	}
	return d.s.Eval(h.Frame, exprLang(text), text)
}

func info(s string) tea.Cmd { return func() tea.Msg { return InfoMsg(s) } }

// breakpointLines list the breakpoints, with their conditions.
func (d *Debugger) breakpointLines(w int) string {
	if len(d.view.Breakpoints) == 0 {
		return ""
	}
	conds := d.s.Conditions()
	names := make([]string, 0, len(d.view.Breakpoints))
	for n := range d.view.Breakpoints {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n
		if c, ok := conds[n]; ok {
			parts[i] += " (when " + c.Text + ")"
		}
	}
	return common.Line("Breakpoints: "+strings.Join(parts, ", "), w) + "\n"
}

// watchLines are the watches evaluated at the frame the step keys act on.
func (d *Debugger) watchLines(w int) string {
	if len(d.watches) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("Watches (W adds, W then enter clears):\n")
	h := d.current()
	for _, text := range d.watches {
		shown := "(nothing stopped)"
		if h != nil {
			v, err := d.evalAt(h, text)
			switch {
			case err != nil:
				shown = "⚠ " + err.Error()
			default:
				shown = value.String(v)
			}
		}
		b.WriteString(common.Line("  "+text+" = "+shown, w) + "\n")
	}
	return b.String()
}

// failureLines show the error a retry waits out, or the one an error break stopped
// for, where it happened: the newest failure event, its error and its cause wrapped
// (the execution's own end shows its error elsewhere).
func (d *Debugger) failureLines(w int) string {
	waiting := false
	for _, t := range d.view.Timers {
		waiting = waiting || t.Purpose == engine.TimerRetry
	}
	for _, h := range d.view.Held {
		waiting = waiting || h.Reason == "error"
	}
	if !waiting {
		return ""
	}
	for i := len(d.events) - 1; i >= 0; i-- {
		e := &d.events[i]
		name, ok := e.Error()
		if !ok {
			continue
		}
		cause, _ := e.Cause()
		var b strings.Builder
		b.WriteString(common.Line(fmt.Sprintf("Failed (%s): %s", e.Type, name), w) + "\n")
		if cause != "" {
			wrapped := lipgloss.NewStyle().Width(max(w-2, 10)).Render(cause)
			lines := strings.Split(wrapped, "\n")
			if len(lines) > maxCauseLines {
				lines = append(lines[:maxCauseLines-1], "… (v shows the events whole)")
			}
			for _, l := range lines {
				b.WriteString("  " + l + "\n")
			}
		}
		return b.String()
	}
	return ""
}

// maxCauseLines bounds the lines of a cause in the debugger pane.
const maxCauseLines = 4

// DefinitionChangedMsg says the file being debugged was saved: its new definition, or
// why it cannot be read (the session then goes on with the definition it has).
type DefinitionChangedMsg struct {
	Definition *asl.Definition
	Source     string
	Err        error
}

// reload starts the session again on the saved definition, where it was stopped.
func (d *Debugger) reload(m DefinitionChangedMsg) tea.Cmd {
	if m.Err != nil {
		return fail(fmt.Errorf("the saved definition is not loaded (the debugger goes on with the one it has): %w", m.Err))
	}
	n, what, err := d.s.Reload(m.Definition, m.Source)
	if err != nil {
		return fail(fmt.Errorf("reloading: %w", err))
	}
	d.s = n
	d.follow, d.cur = true, 0
	d.refresh()
	return tea.Batch(d.wait(), info(what))
}
