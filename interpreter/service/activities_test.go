package service

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/engine"
)

// handClock is a clock the test moves by hand; the loop sees the new time on its next
// turn, so timeouts fire exactly when the test says.
type handClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *handClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *handClock) SleepUntil(ctx context.Context, t time.Time) error { return nil }

func (c *handClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func createActivity(t *testing.T, s *Service, name string) string {
	t.Helper()
	out, err := s.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String(name)})
	if err != nil {
		t.Fatalf("CreateActivity: %v", err)
	}
	return aws.ToString(out.ActivityArn)
}

func activityDef(act, extra string) string {
	return `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + act + `"` + extra + `,"End":true}}}`
}

func start(t *testing.T, s *Service, machine, input string) string {
	t.Helper()
	out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machine), Input: aws.String(input)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.ExecutionArn)
}

// poll asks for a task until one comes (the service's poll time is short in tests).
func poll(t *testing.T, s *Service, act, worker string) *sfn.GetActivityTaskOutput {
	t.Helper()
	for i := 0; i < 1000; i++ {
		out, err := s.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(act), WorkerName: aws.String(worker)})
		if err != nil {
			t.Fatal(err)
		}
		if out.TaskToken != nil {
			return out
		}
	}
	t.Fatal("no activity task came")
	return nil
}

func TestActivityCRUD(t *testing.T) {
	s := newService(t, "", Config{})
	a := createActivity(t, s, "work")
	if again := createActivity(t, s, "work"); again != a {
		t.Errorf("creating the same name again gave %s, want %s", again, a)
	}
	var invalidName *types.InvalidName
	_, err := s.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("bad/name")})
	if !errors.As(err, &invalidName) || aws.ToString(invalidName.Message) != "Invalid Name: 'bad/name'" {
		t.Errorf("bad name: %v", err)
	}
	d, err := s.DescribeActivity(ctx, &sfn.DescribeActivityInput{ActivityArn: aws.String(a)})
	if err != nil || aws.ToString(d.Name) != "work" {
		t.Fatalf("describe: %v %+v", err, d)
	}
	var invalidArn *types.InvalidArn
	if _, err := s.DescribeActivity(ctx, &sfn.DescribeActivityInput{ActivityArn: aws.String("nope")}); !errors.As(err, &invalidArn) ||
		aws.ToString(invalidArn.Message) != "Invalid Arn: 'Invalid ARN prefix: nope'" {
		t.Errorf("describe with a bad ARN: %v", err)
	}
	if _, err := s.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String("nope")}); !errors.As(err, &invalidArn) {
		t.Errorf("poll with a bad ARN: %v", err)
	}
	createActivity(t, s, "b")
	createActivity(t, s, "c")
	var names []string
	var next *string
	for pages := 0; ; pages++ {
		out, err := s.ListActivities(ctx, &sfn.ListActivitiesInput{MaxResults: 2, NextToken: next})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range out.Activities {
			names = append(names, aws.ToString(it.Name))
		}
		if next = out.NextToken; next == nil {
			break
		}
		if pages > 3 {
			t.Fatal("paging does not end")
		}
	}
	if len(names) != 3 || names[0] != "b" || names[1] != "c" || names[2] != "work" {
		t.Errorf("list = %v", names)
	}
	if _, err := s.DeleteActivity(ctx, &sfn.DeleteActivityInput{ActivityArn: aws.String(a)}); err != nil {
		t.Fatal(err)
	}
	var missing *types.ActivityDoesNotExist
	if _, err := s.DescribeActivity(ctx, &sfn.DescribeActivityInput{ActivityArn: aws.String(a)}); !errors.As(err, &missing) ||
		aws.ToString(missing.Message) != "Activity Does Not Exist: '"+a+"'" {
		t.Errorf("describe after delete: %v", err)
	}
	if _, err := s.DeleteActivity(ctx, &sfn.DeleteActivityInput{ActivityArn: aws.String(a)}); err != nil {
		t.Errorf("deleting again should succeed: %v", err)
	}
}

func TestActivityRoundTrip(t *testing.T) {
	s := newService(t, "", Config{ActivityPoll: time.Millisecond})
	act := createActivity(t, s, "work")
	m := createMachine(t, s, "m", activityDef(act, ""), "")
	if out, err := s.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(act)}); err != nil || out.TaskToken != nil || out.Input != nil {
		t.Fatalf("a poll with nothing scheduled = %+v, %v; want an empty result", out, err)
	}
	ex := start(t, s, m, `{"n":1}`)
	task := poll(t, s, act, "w1")
	if aws.ToString(task.Input) != `{"n":1}` {
		t.Errorf("input = %s", aws.ToString(task.Input))
	}
	if _, err := s.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: task.TaskToken}); err != nil {
		t.Errorf("heartbeat: %v", err)
	}
	if _, err := s.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{"r":2}`)}); err != nil {
		t.Fatal(err)
	}
	d := waitFor(t, s, ex)
	if d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"r":2}` {
		t.Errorf("describe = %s %s", d.Status, aws.ToString(d.Output))
	}
	if got := eventTypes(t, s, ex); got != "ExecutionStarted TaskStateEntered ActivityScheduled ActivityStarted ActivitySucceeded TaskStateExited ExecutionSucceeded" {
		t.Errorf("history: %s", got)
	}
	h, _ := s.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(ex)})
	if w := h.Events[3].ActivityStartedEventDetails; w == nil || aws.ToString(w.WorkerName) != "w1" {
		t.Errorf("ActivityStarted details = %+v", w)
	}
	if sd := h.Events[2].ActivityScheduledEventDetails; sd == nil || aws.ToString(sd.Resource) != act || aws.ToString(sd.Input) != `{"n":1}` {
		t.Errorf("ActivityScheduled details = %+v", sd)
	}
}

// A worker that polls before anything is scheduled gets the task when it comes.
func TestActivityWaitingWorker(t *testing.T) {
	s := newService(t, "", Config{ActivityPoll: time.Hour})
	act := createActivity(t, s, "work")
	m := createMachine(t, s, "m", activityDef(act, ""), "")
	got := make(chan *sfn.GetActivityTaskOutput, 1)
	go func() {
		out, err := s.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(act), WorkerName: aws.String("early")})
		if err != nil {
			t.Error(err)
		}
		got <- out
	}()
	// The worker is in line once the loop has run its job; wait for that without timing.
	for {
		var n int
		_ = s.do(ctx, func(b *batch) error { n = len(s.actQueues.pollers[act]); return nil })
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	ex := start(t, s, m, `{}`)
	task := <-got
	if task == nil || task.TaskToken == nil {
		t.Fatalf("the waiting worker got %+v", task)
	}
	if _, err := s.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: task.TaskToken, Error: aws.String("Boom"), Cause: aws.String("why")}); err != nil {
		t.Fatal(err)
	}
	d := waitFor(t, s, ex)
	if d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "Boom" || aws.ToString(d.Cause) != "why" {
		t.Errorf("describe = %s %s %s", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	if got := eventTypes(t, s, ex); got != "ExecutionStarted TaskStateEntered ActivityScheduled ActivityStarted ActivityFailed ExecutionFailed" {
		t.Errorf("history: %s", got)
	}
}

func TestActivityPollCancelled(t *testing.T) {
	s := newService(t, "", Config{ActivityPoll: time.Hour})
	act := createActivity(t, s, "work")
	c, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.GetActivityTask(c, &sfn.GetActivityTaskInput{ActivityArn: aws.String(act)}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled poll: %v", err)
	}
	var missing *types.ActivityDoesNotExist
	if _, err := s.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(act + "x")}); !errors.As(err, &missing) {
		t.Errorf("poll on an unknown activity: %v", err)
	}
}

func TestActivityTimeouts(t *testing.T) {
	clock := &handClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := newService(t, "", Config{Clock: clock, ActivityPoll: time.Millisecond})
	act := createActivity(t, s, "work")
	m := createMachine(t, s, "m", activityDef(act, `,"TimeoutSeconds":5,"HeartbeatSeconds":2`), "")
	ex := start(t, s, m, `{}`)
	task := poll(t, s, act, "w")
	clock.add(time.Second)
	if _, err := s.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: task.TaskToken}); err != nil {
		t.Fatal(err)
	}
	clock.add(1500 * time.Millisecond) // 2.5 s after the start, 1.5 s after the heartbeat
	_ = s.tokenFor(ex)                 // a turn of the loop, which fires due timers
	if d, _ := s.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(ex)}); d.Status != types.ExecutionStatusRunning {
		t.Fatalf("the heartbeat should have kept the task alive: %s", d.Status)
	}
	clock.add(time.Second)
	_ = s.tokenFor(ex)
	d := waitFor(t, s, ex)
	if d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "States.Timeout" {
		t.Errorf("describe = %s %s", d.Status, aws.ToString(d.Error))
	}
	if got := eventTypes(t, s, ex); got != "ExecutionStarted TaskStateEntered ActivityScheduled ActivityStarted ActivityTimedOut ExecutionFailed" {
		t.Errorf("history: %s", got)
	}
	var timedOut *types.TaskTimedOut
	if _, err := s.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{}`)}); !errors.As(err, &timedOut) {
		t.Errorf("answer after the timeout: %v", err)
	}
}

func TestActivityDeleted(t *testing.T) {
	s := newService(t, "", Config{})
	act := createActivity(t, s, "work")
	m := createMachine(t, s, "m", activityDef(act, ""), "")
	if _, err := s.DeleteActivity(ctx, &sfn.DeleteActivityInput{ActivityArn: aws.String(act)}); err != nil {
		t.Fatal(err)
	}
	ex := start(t, s, m, `{}`)
	d := waitFor(t, s, ex)
	want := "An error occurred while executing the state 'A' (entered at the event id #2). The activity " + act + " does not exist."
	if d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "States.Runtime" || aws.ToString(d.Cause) != want {
		t.Errorf("describe = %s %s %s", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
	if got := eventTypes(t, s, ex); got != "ExecutionStarted TaskStateEntered ExecutionFailed" {
		t.Errorf("history: %s", got)
	}
}

// A task queued for a worker and a task a worker holds both survive a restart.
func TestActivityRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stepdeck.db")
	st := openStore(t, path)
	s, err := New(Config{Store: st, TimeScale: 1, ActivityPoll: time.Millisecond, Clock: engine.NewVirtualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	act := createActivity(t, s, "work")
	m := createMachine(t, s, "m", activityDef(act, ""), "")
	held := start(t, s, m, `{"k":"held"}`)
	taken := poll(t, s, act, "w")
	queued := start(t, s, m, `{"k":"queued"}`)
	_ = s.tokenFor(queued)
	s.Close()
	st.Close()

	s2 := newService(t, path, Config{ActivityPoll: time.Millisecond})
	if _, err := s2.DescribeActivity(ctx, &sfn.DescribeActivityInput{ActivityArn: aws.String(act)}); err != nil {
		t.Fatalf("the activity should survive a restart: %v", err)
	}
	next := poll(t, s2, act, "w2")
	if aws.ToString(next.Input) != `{"k":"queued"}` {
		t.Errorf("after the restart the worker got %s", aws.ToString(next.Input))
	}
	for _, tok := range []*string{taken.TaskToken, next.TaskToken} {
		if _, err := s2.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: tok, Output: aws.String(`"ok"`)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, ex := range []string{held, queued} {
		if d := waitFor(t, s2, ex); d.Status != types.ExecutionStatusSucceeded {
			t.Errorf("%s: %s", ex, d.Status)
		}
		if got := eventTypes(t, s2, ex); got != "ExecutionStarted TaskStateEntered ActivityScheduled ActivityStarted ActivitySucceeded TaskStateExited ExecutionSucceeded" {
			t.Errorf("history: %s", got)
		}
	}
}

// EXPRESS state machines cannot use activities, as on AWS.
func TestActivityNotInExpress(t *testing.T) {
	s := newService(t, "", Config{})
	act := createActivity(t, s, "work")
	_, err := s.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("x"), Definition: aws.String(activityDef(act, "")),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/r"), Type: types.StateMachineTypeExpress})
	var bad *types.InvalidDefinition
	if !errors.As(err, &bad) || !strings.Contains(aws.ToString(bad.Message), "Express state machine does not support Activity ARN") {
		t.Errorf("got %v", err)
	}
}

// Workers whose polls end while tasks are being handed out lose none of them: every
// execution is answered. (Short polls make the poll's end and a hand-over meet often.)
func TestActivityNoTaskLostAtPollEnd(t *testing.T) {
	s := newService(t, "", Config{ActivityPoll: time.Microsecond})
	act := createActivity(t, s, "work")
	m := createMachine(t, s, "m", activityDef(act, ""), "")
	const n = 200
	done := make(chan struct{})
	var wg sync.WaitGroup
	defer func() {
		close(done)
		wg.Wait()
	}()
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				task, err := s.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(act)})
				if err != nil {
					if !errors.Is(err, ErrClosed) {
						t.Error(err)
					}
					return
				}
				if task.TaskToken != nil {
					if _, err := s.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: task.Input}); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	var execs []string
	for i := 0; i < n; i++ {
		execs = append(execs, start(t, s, m, `{}`))
	}
	for _, ex := range execs {
		if d := waitFor(t, s, ex); d.Status != types.ExecutionStatusSucceeded {
			t.Errorf("%s: %s", ex, d.Status)
		}
	}
}
