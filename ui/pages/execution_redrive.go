package pages

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/client"
)

type redrivenMsg struct {
	owner *Execution
	date  time.Time
	err   error
}

// resumeMsg asks for a new follower of generation gen, after a wait.
type resumeMsg struct {
	owner *Execution
	gen   int
}

// redriveWaits bounds how many times, a second apart, the page looks again for the
// events of a redrive it asked for when the history still ends at the close (AWS may
// write the ExecutionRedriven event a moment after answering).
const redriveWaits = 20

// canRedrive reports whether R applies: not read-only, an API that has
// RedriveExecution, and an execution that closed without succeeding.
func (x *Execution) canRedrive() bool {
	if x.c.ReadOnly || x.desc == nil {
		return false
	}
	if _, ok := x.c.API.(client.RedriveAPI); !ok {
		return false
	}
	switch x.desc.Status {
	case types.ExecutionStatusFailed, types.ExecutionStatusTimedOut, types.ExecutionStatusAborted:
		return true
	}
	return false
}

func (x *Execution) redrive() tea.Cmd {
	r, ok := x.c.API.(client.RedriveAPI)
	if !ok {
		return nil
	}
	arn := x.arn
	return func() tea.Msg {
		ctx, cancel := callCtx(context.Background())
		defer cancel()
		out, err := r.RedriveExecution(ctx, &sfn.RedriveExecutionInput{ExecutionArn: aws.String(arn)})
		m := redrivenMsg{owner: x, err: err}
		if err == nil {
			m.date = aws.ToTime(out.RedriveDate)
		}
		return m
	}
}

// redriven follows the execution again: its status changes, and new events come
// after the close where the last follower stopped.
func (x *Execution) redriven(m redrivenMsg) tea.Cmd {
	if m.owner != x {
		return nil
	}
	if m.err != nil {
		return fail(fmt.Errorf("redriving the execution: %w", m.err))
	}
	x.follow = true
	x.redriveRetries = redriveWaits
	cmds := []tea.Cmd{x.describe(), func() tea.Msg { return InfoMsg("Redriven: following the new run") }}
	if !x.following {
		cmds = append(cmds, x.resume())
	}
	return tea.Batch(cmds...)
}

// redriveSeen reports whether the events from index from on include the redrive.
func (x *Execution) redriveSeen(from int) bool {
	for i := from; i < len(x.events); i++ {
		if x.events[i].Type == types.HistoryEventTypeExecutionRedriven {
			return true
		}
	}
	return false
}

// awaitRedrive is called when a follower ended at the close: after a redrive whose
// events have not shown yet, it tries again a little later.
func (x *Execution) awaitRedrive() tea.Cmd {
	if x.redriveRetries <= 0 {
		return nil
	}
	x.redriveRetries--
	gen := x.followerGen
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return resumeMsg{owner: x, gen: gen} })
}
