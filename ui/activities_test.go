package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/service"
	"github.com/stepdeck/stepdeck/interpreter/store"
)

// activityMachine creates the activity "review" and a machine "reviewed" whose one task
// waits for a worker of it.
func activityMachine(t *testing.T, api client.API) {
	t.Helper()
	ctx := context.Background()
	act, err := api.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("review")})
	if err != nil {
		t.Fatal(err)
	}
	def := fmt.Sprintf(`{"StartAt":"Review","States":{"Review":{"Type":"Task","Resource":%q,"HeartbeatSeconds":600,"End":true}}}`,
		aws.ToString(act.ActivityArn))
	if _, err := api.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("reviewed"),
		Definition: aws.String(def), RoleArn: aws.String(exampleRole)}); err != nil {
		t.Fatal(err)
	}
}

func describe(t *testing.T, api client.API, arn string) *sfn.DescribeExecutionOutput {
	t.Helper()
	d, err := api.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// openTask goes from the callbacks screen to the activities and takes the task of
// review that the execution arn has scheduled.
func openTask(t *testing.T, a *App, api client.API, arn, wantInput string) {
	t.Helper()
	waitScheduled(t, api, arn)
	press(a, "c", "w")
	mustContain(t, a.Render(), "Activities", "review")
	press(a, "g")
	mustContain(t, a.Render(), wantInput)
}

// waitScheduled waits until the execution arn waits for an activity worker: from then
// on a poll answers at once, well within drain's settle.
func waitScheduled(t *testing.T, api client.API, arn string) {
	t.Helper()
	for i := 0; ; i++ {
		h, err := api.GetExecutionHistory(context.Background(), &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(h.Events); n > 0 && h.Events[n-1].Type == types.HistoryEventTypeActivityScheduled {
			break
		}
		if i == 500 {
			t.Fatal("the activity task was never scheduled")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestActivityWorkedByHandSucceeds(t *testing.T) {
	api := localAPI(t)
	activityMachine(t, api)
	arn := start(t, api, "reviewed", "rev-1", `{"doc":"lease.pdf"}`)
	a := New(fixedCommon(api, 100, 30), "local")
	drain(a, a.Init())
	openTask(t, a, api, arn, `"doc": "lease.pdf"`)
	mustContain(t, a.Render(), "Task of review", "a succeeds it")
	// Heartbeat first: sent, and the task stays in hand.
	press(a, "h")
	mustContain(t, statusLine(a), "heartbeat for review: sent")
	mustContain(t, a.Render(), `"doc": "lease.pdf"`)
	// A bad output is refused before anything is sent.
	press(a, "a", "backspace", "ctrl+s")
	mustContain(t, a.Render(), "The output is not JSON")
	press(a, "esc", "a", "ctrl+s")
	mustContain(t, a.Render(), "SendTaskSuccess with output", `"approved": true`, "Send it? y/n")
	press(a, "y")
	mustContain(t, statusLine(a), "approve review: sent")
	mustContain(t, a.Render(), "Answered. Press g to take another task.")
	waitStatus(t, api, arn, types.ExecutionStatusSucceeded)
	if out := aws.ToString(describe(t, api, arn).Output); !strings.Contains(out, `"approved"`) {
		t.Fatalf("output %s", out)
	}
}

func TestActivityWorkedByHandFails(t *testing.T) {
	api := localAPI(t)
	activityMachine(t, api)
	arn := start(t, api, "reviewed", "rev-2", `{"doc":"x"}`)
	a := New(fixedCommon(api, 100, 30), "local")
	drain(a, a.Init())
	openTask(t, a, api, arn, `"doc": "x"`)
	press(a, "x")
	// The error field starts as "Rejected"; add to it, then the cause.
	typeText(a, "Doc")
	press(a, "tab")
	typeText(a, "unreadable scan")
	press(a, "ctrl+s")
	mustContain(t, a.Render(), "SendTaskFailure with", "error: RejectedDoc", "cause: unreadable scan")
	press(a, "y")
	waitStatus(t, api, arn, types.ExecutionStatusFailed)
	d := describe(t, api, arn)
	if aws.ToString(d.Error) != "RejectedDoc" || aws.ToString(d.Cause) != "unreadable scan" {
		t.Fatalf("failed with %q %q", aws.ToString(d.Error), aws.ToString(d.Cause))
	}
}

func TestActivitiesReadOnlyTakesNoTask(t *testing.T) {
	api := localAPI(t)
	activityMachine(t, api)
	c := fixedCommon(api, 100, 30)
	c.ReadOnly = true
	a := New(c, "local")
	drain(a, a.Init())
	press(a, ":")
	typeText(a, "activities")
	press(a, "enter")
	mustContain(t, a.Render(), "review")
	press(a, "g")
	screen := a.Render()
	if strings.Contains(screen, "get task") || strings.Contains(screen, "Waiting for a task") {
		t.Fatalf("read-only offers to take a task:\n%s", screen)
	}
}

// A poll that brings no task says so and can be repeated; a poll that fails (the
// activity was deleted) reports why.
func TestActivityPollEmptyThenAgain(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	// Polls end after a millisecond, so an empty one returns within drain's settle.
	svc, err := service.New(service.Config{Store: st, TimeScale: 0, Clock: engine.RealClock{}, ActivityPoll: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		svc.Close()
		st.Close()
	})
	activityMachine(t, svc)
	a := New(fixedCommon(svc, 100, 30), "local")
	drain(a, a.Init())
	press(a, ":")
	typeText(a, "activities")
	press(a, "enter", "g")
	mustContain(t, a.Render(), "No task came within the poll. Press g to poll again.", "get task")
	arn := start(t, svc, "reviewed", "rev-3", `{"doc":"again"}`)
	waitScheduled(t, svc, arn)
	press(a, "g")
	mustContain(t, a.Render(), `"doc": "again"`)

	press(a, "esc")
	acts, err := svc.ListActivities(context.Background(), &sfn.ListActivitiesInput{})
	if err != nil || len(acts.Activities) != 1 {
		t.Fatalf("activities: %v", err)
	}
	if _, err := svc.DeleteActivity(context.Background(), &sfn.DeleteActivityInput{ActivityArn: acts.Activities[0].ActivityArn}); err != nil {
		t.Fatal(err)
	}
	press(a, "g")
	mustContain(t, a.Render(), "The poll failed. Press g to try again.")
	mustContain(t, statusLine(a), "polling activity")
}
