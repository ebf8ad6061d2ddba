package engine

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

const activityArn = "arn:aws:states:us-east-1:123456789012:activity:work"

func activityExec(t *testing.T, extra string, exists bool) (*Execution, *Result) {
	t.Helper()
	def := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + activityArn + `"` + extra + `,"End":true}}}`
	n := 0
	x := newExec(t, def, `{"k":1}`, Options{RecordHistory: true, TimeScale: 1,
		NewToken:       func() string { n++; return "tok" + string(rune('0'+n)) },
		ActivityExists: func(a string) bool { return exists && a == activityArn }})
	return x, x.Start(epoch)
}

func invokeOf(t *testing.T, r *Result) Command {
	t.Helper()
	for _, c := range r.Commands {
		if c.Kind == CmdInvokeTask {
			return c
		}
	}
	t.Fatal("no CmdInvokeTask")
	return Command{}
}

func TestActivityEvents(t *testing.T) {
	x, r := activityExec(t, `,"TimeoutSeconds":30,"HeartbeatSeconds":5`, true)
	c := invokeOf(t, r)
	if c.Task.Token == "" {
		t.Fatal("an activity task needs a token for its worker")
	}
	d, _ := x.History[len(x.History)-1].Details.(*types.ActivityScheduledEventDetails)
	if d == nil || aws.ToString(d.Resource) != activityArn || aws.ToString(d.Input) != `{"k":1}` ||
		aws.ToInt64(d.TimeoutInSeconds) != 30 || aws.ToInt64(d.HeartbeatInSeconds) != 5 {
		t.Fatalf("ActivityScheduled = %+v", d)
	}
	x.Advance(Input{Kind: InputActivityStarted, Frame: c.Frame, Seq: c.Seq, Worker: "w"}, epoch)
	// A second start of the same task is not recorded.
	x.Advance(Input{Kind: InputActivityStarted, Frame: c.Frame, Seq: c.Seq, Worker: "w2"}, epoch)
	x.Advance(Input{Kind: InputTaskSucceeded, Frame: c.Frame, Seq: c.Seq, Output: value.MustParse(`{"done":true}`)}, epoch)
	want := "1 ExecutionStarted(0) · 2 TaskStateEntered(0) · 3 ActivityScheduled(2) · 4 ActivityStarted(3) · 5 ActivitySucceeded(4) · 6 TaskStateExited(5) · 7 ExecutionSucceeded(6)"
	if got := trace(x); got != want {
		t.Errorf("events:\n got %s\nwant %s", got, want)
	}
	if w, _ := x.History[3].Details.(*types.ActivityStartedEventDetails); w == nil || aws.ToString(w.WorkerName) != "w" {
		t.Errorf("ActivityStarted = %+v", w)
	}
}

func TestActivityFailedAndTimedOut(t *testing.T) {
	x, r := activityExec(t, ``, true)
	c := invokeOf(t, r)
	x.Advance(Input{Kind: InputTaskFailed, Frame: c.Frame, Seq: c.Seq, Error: aws.String("E"), Cause: aws.String("C")}, epoch)
	if got := trace(x); !strings.Contains(got, "ActivityFailed(3) · 5 ExecutionFailed(4)") {
		t.Errorf("failed: %s", got)
	}

	x, r = activityExec(t, `,"TimeoutSeconds":5`, true)
	c = invokeOf(t, r)
	x.Advance(Input{Kind: InputActivityStarted, Frame: c.Frame, Seq: c.Seq, Worker: "w"}, epoch)
	x.Advance(Input{Kind: InputTimer, Frame: c.Frame, Seq: c.Seq, Purpose: TimerTaskTimeout}, epoch.Add(5e9))
	got := trace(x)
	if !strings.Contains(got, "5 ActivityTimedOut(4) · 6 ExecutionFailed(5)") {
		t.Errorf("timed out: %s", got)
	}
	if d, _ := x.History[4].Details.(*types.ActivityTimedOutEventDetails); d == nil || aws.ToString(d.Error) != failure.Timeout {
		t.Errorf("ActivityTimedOut = %+v", d)
	}
}

func TestActivityMissing(t *testing.T) {
	x, _ := activityExec(t, ``, false)
	want := "An error occurred while executing the state 'A' (entered at the event id #2). The activity " + activityArn + " does not exist."
	if !x.Done() || x.Error != failure.Runtime || x.Cause != want {
		t.Errorf("got %s %s %q", x.Status, x.Error, x.Cause)
	}
	if got := trace(x); got != "1 ExecutionStarted(0) · 2 TaskStateEntered(0) · 3 ExecutionFailed(2)" {
		t.Errorf("events: %s", got)
	}
}
