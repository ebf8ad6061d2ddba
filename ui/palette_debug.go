package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/ui/pages"
)

// debugCommand opens the debugger on a state machine of the local engine, by name.
func debugCommand() Command {
	return Command{Name: "debug", Arg: "MACHINE", Help: "debug a state machine (local engine)", Run: func(a *App, name string) tea.Cmd {
		if !a.c.Local || a.c.Debug == nil {
			return fail(errors.New(":debug runs on the local engine (:local first)"))
		}
		if a.c.ReadOnly {
			return fail(errors.New(":debug runs executions, which --read-only does not allow"))
		}
		if name == "" {
			return fail(errors.New(":debug needs a state machine's name"))
		}
		c, api := a.c, a.c.API
		return func() tea.Msg {
			arn, err := machineByName(api, name)
			if err != nil {
				return pages.ErrMsg{Err: err}
			}
			return pages.OpenMsg{Page: pages.NewDebugStart(c, arn, name)}
		}
	}}
}

func fail(err error) tea.Cmd { return func() tea.Msg { return pages.ErrMsg{Err: err} } }

// machineByName finds a state machine's ARN by its name.
func machineByName(api client.API, name string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	in := &sfn.ListStateMachinesInput{}
	for {
		out, err := api.ListStateMachines(ctx, in)
		if err != nil {
			return "", fmt.Errorf("listing state machines: %w", err)
		}
		for _, sm := range out.StateMachines {
			if aws.ToString(sm.Name) == name {
				return aws.ToString(sm.StateMachineArn), nil
			}
		}
		if out.NextToken == nil {
			return "", fmt.Errorf("no state machine is named %q", name)
		}
		in.NextToken = out.NextToken
	}
}

// callTimeout bounds the lookup, so a hung endpoint shows an error, not a frozen prompt.
const callTimeout = 30 * time.Second
