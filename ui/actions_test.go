package ui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/ui/pages"
)

func openExecution(a *App, arn string) {
	_, cmd := a.Update(pages.OpenMsg{Page: pages.NewExecution(a.c, arn)})
	drain(a, cmd)
}

// TestRejectCallback fails a waiting task with an error and a cause, after the
// confirmation showed both.
func TestRejectCallback(t *testing.T) {
	api := localAPI(t)
	arn := start(t, api, "approval", "wait-1", `{}`)
	waitCallback(t, api, arn)
	a := New(fixedCommon(api, 100, 30), "local")
	drain(a, a.Init())
	press(a, "c", "x", "tab", "n", "o", "ctrl+s")
	mustContain(t, a.Render(), "SendTaskFailure with", "error: Rejected", "cause: no")
	press(a, "y")
	waitStatus(t, api, arn, types.ExecutionStatusFailed)
	mustContain(t, a.Render(), "reject Ask: sent")
}

// TestApproveRejectsBadJSON: the output is checked before any confirmation.
func TestApproveRejectsBadJSON(t *testing.T) {
	api := localAPI(t)
	arn := start(t, api, "approval", "wait-1", `{}`)
	waitCallback(t, api, arn)
	a := New(fixedCommon(api, 100, 30), "local")
	drain(a, a.Init())
	press(a, "c", "a", "x", "ctrl+s")
	screen := a.Render()
	mustContain(t, screen, "The output is not JSON")
	if strings.Contains(screen, "Send it?") {
		t.Fatal("confirmation offered for invalid JSON")
	}
}

// TestHeartbeat sends a heartbeat for a waiting task.
func TestHeartbeat(t *testing.T) {
	api := localAPI(t)
	arn := start(t, api, "approval", "wait-1", `{}`)
	waitCallback(t, api, arn)
	a := New(fixedCommon(api, 100, 30), "local")
	drain(a, a.Init())
	press(a, "c", "h")
	mustContain(t, a.Render(), "heartbeat for Ask: sent")
}

// TestStopAsksFirst stops a running execution, with the error and cause typed in the
// form, only after y.
func TestStopAsksFirst(t *testing.T) {
	api := localAPI(t)
	arn := start(t, api, "approval", "wait-1", `{}`)
	waitCallback(t, api, arn)
	a := New(fixedCommon(api, 100, 30), "local")
	drain(a, a.Init())
	openExecution(a, arn)
	press(a, "x")
	mustContain(t, a.Render(), "Stop the execution wait-1", "Error: Stopped", "Cause: stopped from stepdeck")
	press(a, "ctrl+s")
	mustContain(t, a.Render(), "Stop it? y/n")
	press(a, "n")
	d, err := api.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	if err != nil || d.Status != types.ExecutionStatusRunning {
		t.Fatalf("after n: %v, %v", d.Status, err)
	}
	// An error and a cause of one's own choosing.
	press(a, "ctrl+u")
	send(a, tea.PasteMsg{Content: "Cancelled"})
	press(a, "tab", "ctrl+u")
	send(a, tea.PasteMsg{Content: "duplicate order"})
	press(a, "ctrl+s")
	mustContain(t, a.Render(), "error: Cancelled", "cause: duplicate order", "Stop it? y/n")
	press(a, "y")
	waitStatus(t, api, arn, types.ExecutionStatusAborted)
	d, err = api.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	if err != nil || aws.ToString(d.Error) != "Cancelled" || aws.ToString(d.Cause) != "duplicate order" {
		t.Fatalf("stopped with %q / %q, %v", aws.ToString(d.Error), aws.ToString(d.Cause), err)
	}
	mustContain(t, a.Render(), "Execution wait-1", "Stop requested")
}

// TestPayloadEscapesNeverReachTheScreen runs an execution whose data carries terminal
// escape sequences and checks that none of them is drawn.
func TestPayloadEscapesNeverReachTheScreen(t *testing.T) {
	api := localAPI(t)
	evil := "\u001b]0;pwned\u0007\u001b[2J\u009b31m"
	arn := start(t, api, "hello", "evil", `{"name":"`+strings.NewReplacer("\u001b", `\u001b`, "\u0007", `\u0007`, "\u009b", `\u009b`).Replace(evil)+`"}`)
	waitStatus(t, api, arn, types.ExecutionStatusSucceeded)
	for _, sz := range sizes {
		a := New(fixedCommon(api, sz[0], sz[1]), "local")
		drain(a, a.Init())
		openExecution(a, arn)
		for _, k := range []string{"", "up", "up", "up"} {
			if k != "" {
				press(a, k)
			}
			screen := a.Render()
			for _, bad := range []string{"\x1b]", "\x07", "\x1b[2J", "\u009b"} {
				if strings.Contains(screen, bad) {
					t.Fatalf("%q reached the screen:\n%q", bad, screen)
				}
			}
		}
		mustContain(t, a.Render(), "pwned")
	}
}

// TestCauseEscapesNeverReachTheScreen: error and cause are shown as text, not JSON, so
// they depend on the sanitizer alone.
func TestCauseEscapesNeverReachTheScreen(t *testing.T) {
	api := localAPI(t)
	if _, err := api.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{Name: aws.String("fail"),
		Definition: aws.String(`{"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$.e","CausePath":"$.c"}}}`),
		RoleArn:    aws.String(exampleRole)}); err != nil {
		t.Fatal(err)
	}
	arn := start(t, api, "fail", "evil", `{"e":"E\u001b[2J","c":"see \u001b]0;pwned\u0007 here"}`)
	waitStatus(t, api, arn, types.ExecutionStatusFailed)
	a := New(fixedCommon(api, 160, 48), "local")
	drain(a, a.Init())
	openExecution(a, arn)
	screen := a.Render()
	mustContain(t, screen, "pwned", "Cause:")
	for _, bad := range []string{"\x1b]", "\x07", "\x1b[2J"} {
		if strings.Contains(screen, bad) {
			t.Fatalf("%q reached the screen", bad)
		}
	}
}

// TestExecutionsFilterByStatus cycles the status filter with f.
func TestExecutionsFilterByStatus(t *testing.T) {
	api := localAPI(t)
	arn := start(t, api, "hello", "run-1", `{"name":"Ada"}`)
	waitStatus(t, api, arn, types.ExecutionStatusSucceeded)
	a := New(fixedCommon(api, 100, 30), "local")
	drain(a, a.Init())
	_, cmd := a.Update(pages.OpenMsg{Page: pages.NewExecutions(a.c, machineArn(t, api, "hello"), "hello")})
	drain(a, cmd)
	mustContain(t, a.Render(), "run-1")
	press(a, "f")
	screen := a.Render()
	mustContain(t, screen, "(RUNNING)", "No executions here")
	if strings.Contains(screen, "run-1") {
		t.Fatalf("a succeeded execution under the RUNNING filter:\n%s", screen)
	}
	press(a, "f")
	mustContain(t, a.Render(), "(SUCCEEDED)", "run-1")
}
