package pages

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/ui/common"
)

// Callbacks lists the tasks waiting for a token across running executions, and answers
// them: approve with an output, reject with an error and a cause, or send a heartbeat.
type Callbacks struct {
	itemList[client.PendingCallback]
	c      *common.Common
	errs   []client.MachineError // machines the scan could not read, each a line under the list
	result client.ScanResult
	form   *AnswerForm
	// scan is the incremental search; one step runs at a time (stepping), and a step
	// asked for meanwhile (r, an answer sent) runs when it ends (again).
	scan            *client.CallbackScan
	scanAPI         client.API // the API the scan was made for: a backend switch makes a new one
	stepping, again bool
	seenErrs        map[string]string // machine errors already kept for !, by machine
	// beats remembers when this screen sent a heartbeat, by token: the history does not
	// record heartbeats, so the heartbeat deadline can only move on from what we sent.
	beats map[string]time.Time
}

type callbacksMsg struct {
	owner  *Callbacks
	result client.ScanResult
	err    error
}

type answeredMsg struct {
	what    string
	machine string // the machine of the execution answered
	err     error
	// beat is the token a heartbeat was sent for, and when.
	beat   string
	beatAt time.Time
}

var (
	keyName      = key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "full name"))
	keyApprove   = key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "approve"))
	keyReject    = key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "reject"))
	keyHeartbeat = key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "heartbeat"))
)

// NewCallbacks returns the pending callbacks screen.
func NewCallbacks(c *common.Common) *Callbacks {
	p := &Callbacks{c: c}
	p.itemList = newItemList(c, listSpec[client.PendingCallback]{columns: p.columns, rows: p.rows,
		id: func(cb client.PendingCallback) string {
			return fmt.Sprintf("%s#%d", cb.ExecutionArn, cb.ScheduledEventID)
		},
		failed: "Could not list the state machines (the reason is below; r tries again now, and it is tried again by itself)."})
	return p
}

func (p *Callbacks) Title() string {
	t := "Pending callbacks"
	if p.loaded && !p.result.Complete {
		t += " · " + p.result.Progress()
	}
	return p.title(t)
}

func (p *Callbacks) columns() []table.Column {
	fixed := []table.Column{{Title: "State", Width: 18}, {Title: "Waiting since", Width: 19}, {Title: "Timeout at", Width: 19}}
	if p.c.Width >= machineColumn {
		fixed = append([]table.Column{{Title: "Machine", Width: 20}}, fixed...)
	}
	if p.wide() {
		fixed = append(fixed, table.Column{Title: "Heartbeat by", Width: 19})
	}
	return append([]table.Column{{Title: "Execution", Width: fillWidth(p.c.Width, fixed)}}, fixed...)
}

func (p *Callbacks) Init() tea.Cmd {
	p.begin()
	p.stepping, p.again = false, false
	if p.scan == nil || p.scanAPI != p.c.API {
		o := client.ScanOptions{MinInterval: p.c.Refresh.CallbacksMin, MaxInterval: p.c.Refresh.CallbacksMax}
		if a, ok := client.AWSOf(p.c.API); ok {
			o.Cache = client.DefaultScanCache(a.Where)
		}
		p.scan, p.scanAPI = client.NewCallbackScan(p.c.API, o), p.c.API
	}
	return p.load()
}

// load runs one step of the scan, unless one runs already: then it runs again when
// that one ends. Steps never overlap.
func (p *Callbacks) load() tea.Cmd {
	if p.stepping {
		p.again = true
		return nil
	}
	p.stepping = true
	ctx, scan := p.ctx, p.scan
	return func() tea.Msg {
		r, err := scan.Step(ctx)
		if err != nil {
			err = fmt.Errorf("listing pending callbacks: %w", err)
		}
		return callbacksMsg{owner: p, result: r, err: err}
	}
}

// stepped takes a step's result in and arms the next: at once while machines are
// still being read, else when the scan says something is due.
func (p *Callbacks) stepped(msg callbacksMsg) tea.Cmd {
	p.stepping = false
	if errors.Is(msg.err, context.Canceled) || p.ctx.Err() != nil {
		return nil
	}
	var cmds []tea.Cmd
	if msg.err != nil {
		p.loadFailed()
		cmds = append(cmds, fail(msg.err))
	} else {
		p.result, p.errs = msg.result, msg.result.Errors
		p.setItems(msg.result.Callbacks)
		cmds = append(cmds, p.logNew())
	}
	switch {
	case p.again || msg.err == nil && !msg.result.Complete:
		p.again = false
		cmds = append(cmds, p.load())
	default:
		wait := max(msg.result.Next, time.Second)
		if msg.err != nil {
			wait = callbacksEvery
		}
		gen := p.gen
		cmds = append(cmds, tea.Tick(wait, func(time.Time) tea.Msg { return tickMsg{p, gen} }))
	}
	return tea.Batch(cmds...)
}

func (p *Callbacks) Capturing() bool { return p.form != nil || p.itemList.Capturing() }

func (p *Callbacks) Keys() []key.Binding {
	if p.form != nil {
		return p.form.Keys()
	}
	after := []key.Binding{keyActivities}
	if !p.c.ReadOnly {
		after = append(after, keyApprove, keyReject, keyHeartbeat)
	}
	return p.keys([]key.Binding{keyEnter, keyName, keyRefresh}, after...)
}

func (p *Callbacks) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch msg := msg.(type) {
	case callbacksMsg:
		if msg.owner != p {
			return p, nil
		}
		return p, p.stepped(msg)
	case tickMsg:
		if msg.owner != p || msg.gen != p.gen {
			return p, nil
		}
		return p, p.load()
	case answeredMsg:
		p.form = nil
		if msg.machine != "" {
			p.scan.Due(msg.machine) // look at its executions again at the next step
		}
		if msg.err != nil {
			return p, tea.Batch(fail(fmt.Errorf("%s: %w", msg.what, msg.err)), p.load())
		}
		if msg.beat != "" {
			if p.beats == nil {
				p.beats = map[string]time.Time{}
			}
			p.beats[msg.beat] = msg.beatAt
		}
		return p, tea.Batch(func() tea.Msg { return InfoMsg(msg.what + ": sent") }, p.load())
	case formCancelled:
		p.form = nil
		return p, nil
	}
	if p.form != nil {
		var cmd tea.Cmd
		p.form, cmd = p.form.Update(msg)
		return p, cmd
	}
	k, ok := p.pageKey(msg)
	if !ok {
		return p, p.itemList.Update(msg)
	}
	cb, have := p.selected()
	switch {
	case key.Matches(k, keyActivities):
		return p, open(NewActivities(p.c))
	case key.Matches(k, keyRefresh):
		// Everything again, definitions too: a machine changed to wait on a token
		// is found.
		p.scan.Rescan()
		return p, p.load()
	case key.Matches(k, keyName) && have:
		// The table cuts long names; this says the whole of it.
		where := client.MachineName(cb.StateMachineArn)
		if ctx := contextOf(p.c, cb.StateMachineArn); ctx != "" {
			where = ctx + "/" + where
		}
		return p, func() tea.Msg {
			return InfoMsg(fmt.Sprintf("%s, of %s, waits in %s: %s", execName(cb.ExecutionArn), where, cb.StateName, cb.ExecutionArn))
		}
	case key.Matches(k, keyEnter) && have:
		return p, open(NewExecution(p.c, cb.ExecutionArn))
	case !have || p.c.ReadOnly:
	case key.Matches(k, keyApprove), key.Matches(k, keyReject):
		if cb.Token == "" {
			return p, fail(fmt.Errorf("no task token for %s: %s", cb.StateName, cb.TokenError))
		}
		p.form = NewAnswerForm(p.c, cb, key.Matches(k, keyApprove))
		return p, p.form.Focus()
	case key.Matches(k, keyHeartbeat):
		if cb.Token == "" {
			return p, fail(fmt.Errorf("no task token for %s: %s", cb.StateName, cb.TokenError))
		}
		api, token, now := p.c.API, cb.Token, p.c.Now
		return p, func() tea.Msg {
			ctx, cancel := callCtx(context.Background())
			defer cancel()
			at := now()
			_, err := api.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(token)})
			return answeredMsg{what: "heartbeat for " + cb.StateName, machine: cb.StateMachineArn, err: err, beat: token, beatAt: at}
		}
	}
	return p, p.itemList.Update(msg)
}

func execName(arn string) string {
	if i := strings.LastIndexByte(arn, ':'); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

// rows are the callbacks; the machines the scan could not read are listed under them
// (errorLines).
func (p *Callbacks) rows(list []client.PendingCallback) []table.Row {
	rows := make([]table.Row, 0, len(list))
	machineCol := p.c.Width >= machineColumn
	for _, cb := range list {
		r := table.Row{common.Line(execName(cb.ExecutionArn), 0)}
		if machineCol {
			name := client.MachineName(cb.StateMachineArn)
			if ctx := contextOf(p.c, cb.StateMachineArn); ctx != "" {
				name = ctx + "/" + name
			}
			r = append(r, common.Line(name, 0))
		}
		r = append(r, common.Line(cb.StateName, 0), p.c.Time(cb.Scheduled), p.c.Time(cb.Deadline()))
		if p.wide() {
			r = append(r, p.c.Time(p.heartbeatDue(cb)))
		}
		rows = append(rows, r)
	}
	return rows
}

func (p *Callbacks) View() string {
	if p.form != nil {
		return common.Fit(p.form.View(), p.c.Width, p.c.BodyHeight())
	}
	note := "No task is waiting for a callback. Press w to work an activity by hand."
	if p.loaded && !p.result.Complete {
		note = "No waiting task found yet: " + p.result.Progress()
	}
	return p.itemList.View(note, nil, append(contextErrorLines(p.c), p.errorLines()...))
}

// logNew keeps for ! the machine errors not seen before (by machine and text), whole.
func (p *Callbacks) logNew() tea.Cmd {
	if p.seenErrs == nil {
		p.seenErrs = map[string]string{}
	}
	var fresh []error
	for _, e := range p.errs {
		text := e.Err.Error()
		if p.seenErrs[e.StateMachineArn] != text {
			p.seenErrs[e.StateMachineArn] = text
			fresh = append(fresh, fmt.Errorf("scanning %s for callbacks: %w", client.MachineName(e.StateMachineArn), e.Err))
		}
	}
	return logged(fresh...)
}

// maxErrorLines bounds the lines under the table that name machines the scan could not
// read; ! shows every error whole.
const maxErrorLines = 4

// errorLines are the machines the scan could not read, a line each: its name and the
// cause ("⚠ m001: access denied: needs states:ListExecutions on arn:…").
func (p *Callbacks) errorLines() []string {
	var out []string
	for i, e := range p.errs {
		if i == maxErrorLines-1 && len(p.errs) > maxErrorLines {
			out = append(out, fmt.Sprintf("⚠ and %d more machines could not be read (! shows why)", len(p.errs)-i))
			break
		}
		line := "⚠ " + client.MachineName(e.StateMachineArn) + ": " + client.Explain(e.Err).Summary
		out = append(out, p.c.Styles.Error.Render(common.Line(line, p.c.Width)))
	}
	return out
}

// heartbeatDue is when the task fails for want of a heartbeat: from its start, or from
// the last heartbeat this screen sent (zero when the task has no heartbeat limit).
func (p *Callbacks) heartbeatDue(cb client.PendingCallback) time.Time {
	due := cb.HeartbeatAt
	if sent, ok := p.beats[cb.Token]; ok && cb.Heartbeat > 0 && sent.Add(cb.Heartbeat).After(due) {
		due = sent.Add(cb.Heartbeat)
	}
	return due
}

// wide says whether the screen has room for the heartbeat deadline beside the others.
func (p *Callbacks) wide() bool { return p.c.Width >= wideCallbacks }

// wideCallbacks is the width from which the heartbeat deadline has a column, and
// machineColumn the one from which the machine has one.
const (
	wideCallbacks = 150
	machineColumn = 100
)
