//go:build unix

package service

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/localtask"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

const sleepDef = `{"StartAt":"Sleep","States":{"Sleep":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:sleep","End":true}}}`

// sleepService serves the Sleep task with a command that starts `sleep 30` in the
// background (a child the handler's own process does not wait on by itself) and writes
// its pid, so the test can see whether the whole process group went.
func sleepService(t *testing.T, dir string) (*Service, func() int) {
	t.Helper()
	pidFile := filepath.Join(dir, "sleep.pid")
	spec := &localtask.CommandSpec{Argv: []string{"sh", "-c", `sleep 30 & echo $! > "$0.tmp" && mv "$0.tmp" "$0"; wait`, pidFile}}
	reg := &engine.Registry{}
	reg.Handle("arn:aws:lambda:*", spec.Handler())
	s := newService(t, "", Config{Handlers: reg, Clock: engine.RealClock{}})
	pid := func() int {
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if data, err := os.ReadFile(pidFile); err == nil {
				if n, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil {
					return n
				}
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatal("the handler command did not start")
		return 0
	}
	return s, pid
}

// gone reports whether a process has ended (a zombie waiting for its parent has).
func gone(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil {
		return true
	}
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return os.IsNotExist(err)
	}
	// The state follows the command name in parentheses: "pid (comm) Z ...".
	if i := strings.LastIndexByte(string(data), ')'); i > 0 && i+2 < len(data) {
		return data[i+2] == 'Z'
	}
	return false
}

func endsWithin(t *testing.T, pid int, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !gone(pid) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("the handler's sleep (pid %d) still runs %s later", pid, d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestStopExecutionEndsTheHandlersCommand(t *testing.T) {
	s, pid := sleepService(t, t.TempDir())
	m := createMachine(t, s, "sleeper", sleepDef, "")
	out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m)})
	if err != nil {
		t.Fatal(err)
	}
	p := pid()
	if gone(p) {
		t.Fatal("the sleep ended before the test could stop it")
	}
	if _, err := s.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: out.ExecutionArn}); err != nil {
		t.Fatal(err)
	}
	endsWithin(t, p, time.Second)
	if d := waitFor(t, s, aws.ToString(out.ExecutionArn)); d.Status != types.ExecutionStatusAborted {
		t.Fatalf("status %s, want ABORTED", d.Status)
	}
}

func TestCloseEndsTheHandlersCommand(t *testing.T) {
	s, pid := sleepService(t, t.TempDir())
	m := createMachine(t, s, "sleeper", sleepDef, "")
	out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m)})
	if err != nil {
		t.Fatal(err)
	}
	p := pid()
	closed := make(chan struct{})
	go func() {
		s.Close()
		close(closed)
	}()
	endsWithin(t, p, time.Second)
	select {
	case <-closed:
	case <-time.After(time.Second):
		t.Fatal("Close did not return within a second of its task's end")
	}
	// The execution is still running in the store: a restart runs its task again.
	rec, err := s.loadExecution(aws.ToString(out.ExecutionArn))
	if err != nil || rec.Status != types.ExecutionStatusRunning {
		t.Fatalf("after Close the execution is %v (%v), want RUNNING", rec, err)
	}
}

// TestTimedOutTaskEndsTheHandlersCommand: a task's TimeoutSeconds cancels its work.
func TestTaskTimeoutCancelsTheHandler(t *testing.T) {
	started := make(chan struct{})
	ended := make(chan error, 1)
	reg := &engine.Registry{}
	reg.Handle("arn:aws:lambda:*", func(ctx context.Context, call *engine.TaskCall) (value.Value, error) {
		close(started)
		select {
		case <-ctx.Done():
			ended <- ctx.Err()
		case <-time.After(30 * time.Second):
			ended <- nil
		}
		return nil, ctx.Err()
	})
	s := newService(t, "", Config{Handlers: reg, Clock: engine.RealClock{}})
	def := `{"StartAt":"Slow","States":{"Slow":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:slow","TimeoutSeconds":1,"End":true}}}`
	m := createMachine(t, s, "slow", def, "")
	out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m)})
	if err != nil {
		t.Fatal(err)
	}
	<-started
	select {
	case err := <-ended:
		if err == nil {
			t.Fatal("the handler ran its full 30 seconds")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the handler's context was not cancelled at the task's timeout")
	}
	if d := waitFor(t, s, aws.ToString(out.ExecutionArn)); d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "States.Timeout" {
		t.Fatalf("ended %s %s, want FAILED States.Timeout", d.Status, aws.ToString(d.Error))
	}
}

func TestPanickingHandlerFailsItsTask(t *testing.T) {
	reg := &engine.Registry{}
	reg.Handle("arn:aws:lambda:*", func(ctx context.Context, call *engine.TaskCall) (value.Value, error) {
		panic("the handler's bug")
	})
	s := newService(t, "", Config{Handlers: reg})
	m := createMachine(t, s, "panicky", sleepDef, "")
	out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(m)})
	if err != nil {
		t.Fatal(err)
	}
	d := waitFor(t, s, aws.ToString(out.ExecutionArn))
	if d.Status != types.ExecutionStatusFailed || aws.ToString(d.Error) != "States.TaskFailed" || !strings.Contains(aws.ToString(d.Cause), "the handler's bug") {
		t.Fatalf("ended %s %s %q, want FAILED States.TaskFailed naming the panic", d.Status, aws.ToString(d.Error), aws.ToString(d.Cause))
	}
}
