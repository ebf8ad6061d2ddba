package pages

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/components/jsonview"
)

// ActivityTask works one activity by hand: it takes a task with one GetActivityTask
// long poll, shows its input, and answers it with success, failure or a heartbeat
// through the same confirm flow as a callback.
type ActivityTask struct {
	c         *common.Common
	arn, name string
	ctx       context.Context
	cancel    context.CancelFunc
	gen       int
	polling   bool
	task      *client.ActivityTask
	note      string // what the screen says when there is no task in hand
	form      *AnswerForm
}

// taskMsg is the end of one poll of generation gen: a task, none, or an error.
type taskMsg struct {
	owner *ActivityTask
	gen   int
	task  *client.ActivityTask
	err   error
}

// workerName is what the ActivityStarted event records as the worker.
const workerName = "stepdeck (by hand)"

// NewActivityTask returns the screen; it starts polling when shown.
func NewActivityTask(c *common.Common, arn, name string) *ActivityTask {
	return &ActivityTask{c: c, arn: arn, name: name}
}

func (p *ActivityTask) Title() string { return "Task of " + common.Line(p.name, 40) }

func (p *ActivityTask) Init() tea.Cmd {
	if p.task != nil || p.polling {
		return nil
	}
	return p.poll()
}

// Close stops a poll under way. A task already taken stays with this worker until its
// state's timeout: Step Functions has no way to hand it back.
func (p *ActivityTask) Close() {
	if p.cancel != nil {
		p.cancel()
	}
	p.polling = false
}

func (p *ActivityTask) poll() tea.Cmd {
	p.Close()
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.gen++
	p.polling, p.note = true, ""
	w := &client.ActivityWorker{API: p.c.API, ActivityArn: p.arn, WorkerName: workerName}
	ctx, gen := p.ctx, p.gen
	return func() tea.Msg {
		// One poll, as a person asked for one; the service holds it up to a minute, so
		// no call timeout shorter than that applies.
		task, err := w.Poll(ctx)
		return taskMsg{owner: p, gen: gen, task: task, err: err}
	}
}

func (p *ActivityTask) Capturing() bool { return p.form != nil }

func (p *ActivityTask) Keys() []key.Binding {
	if p.form != nil {
		return p.form.Keys()
	}
	if p.c.ReadOnly {
		return nil
	}
	if p.task != nil {
		return []key.Binding{keyApprove, keyReject, keyHeartbeat}
	}
	if !p.polling {
		return []key.Binding{keyGetTask}
	}
	return nil
}

func (p *ActivityTask) Update(msg tea.Msg) (Page, tea.Cmd) {
	switch msg := msg.(type) {
	case taskMsg:
		if msg.owner != p || msg.gen != p.gen {
			return p, nil
		}
		p.polling = false
		switch {
		case msg.err != nil && p.ctx.Err() != nil:
			// Left while polling; nothing to report.
		case msg.err != nil:
			p.note = "The poll failed. Press g to try again."
			return p, fail(msg.err)
		case msg.task == nil:
			p.note = "No task came within the poll. Press g to poll again."
		default:
			p.task = msg.task
		}
		return p, nil
	case answeredMsg:
		p.form = nil
		if msg.err != nil {
			return p, fail(fmt.Errorf("%s: %w", msg.what, msg.err))
		}
		if !strings.HasPrefix(msg.what, "heartbeat") {
			p.task, p.note = nil, "Answered. Press g to take another task."
		}
		what := msg.what
		return p, func() tea.Msg { return InfoMsg(what + ": sent") }
	case formCancelled:
		p.form = nil
		return p, nil
	}
	if p.form != nil {
		var cmd tea.Cmd
		p.form, cmd = p.form.Update(msg)
		return p, cmd
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || p.c.ReadOnly {
		return p, nil
	}
	switch {
	case p.task == nil && !p.polling && key.Matches(k, keyGetTask):
		return p, p.poll()
	case p.task == nil:
	case key.Matches(k, keyApprove), key.Matches(k, keyReject):
		p.form = newAnswerForm(p.c, "a task of "+common.Line(p.name, 0), p.name, key.Matches(k, keyApprove), answerTask(p.task))
		return p, p.form.Focus()
	case key.Matches(k, keyHeartbeat):
		task, name := p.task, p.name
		return p, func() tea.Msg {
			ctx, cancel := callCtx(context.Background())
			defer cancel()
			return answeredMsg{what: "heartbeat for " + name, err: task.Heartbeat(ctx)}
		}
	}
	return p, nil
}

// answerTask sends the form's answer through the task taken, which holds its token.
func answerTask(task *client.ActivityTask) answerFunc {
	return func(ctx context.Context, approve bool, output, errName, cause string) error {
		if approve {
			return task.Succeed(ctx, output)
		}
		return task.Fail(ctx, errName, cause)
	}
}

func (p *ActivityTask) View() string {
	if p.form != nil {
		return p.form.View()
	}
	var b strings.Builder
	switch {
	case p.task != nil:
		fmt.Fprintf(&b, "A task of %s, taken %s. a succeeds it, x fails it, h sends a heartbeat.\n\n",
			common.Line(p.name, 0), p.c.Time(p.task.Received))
		b.WriteString(jsonview.Block("Input", p.task.Input, p.c.Width))
	case p.polling:
		fmt.Fprintf(&b, "Waiting for a task of %s (GetActivityTask holds the call up to a minute)…", common.Line(p.name, 0))
	default:
		b.WriteString(p.note)
	}
	return b.String()
}
