package localtask

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func helperSpec(t *testing.T, mode string) *CommandSpec {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return &CommandSpec{Resource: "arn:aws:states:::lambda:invoke", Argv: []string{exe}, Dir: t.TempDir(),
		Env: []string{helperEnv + "=" + mode}}
}

func taskCall(input string) *engine.TaskCall {
	return &engine.TaskCall{StateName: "Charge", Resource: "arn:aws:states:::lambda:invoke", Input: value.MustParse(input), Attempt: 2}
}

func TestCommandOutcomes(t *testing.T) {
	tests := []struct {
		mode      string
		input     string
		want      string // the result, when it succeeds
		wantName  string
		wantCause string // a substring of the cause
	}{
		{mode: "echo", input: `{"order":{"id":1,"items":[1,2.5,"x"]}}`, want: `{"order":{"id":1,"items":[1,2.5,"x"]}}`},
		{mode: "echo", input: `"just a string"`, want: `"just a string"`},
		{mode: "wrap", input: `[null,true]`, want: `{"got":[null,true]}`},
		{mode: "no-stdin", input: `{"big":"` + strings.Repeat("z", 1<<20) + `"}`, want: `{"ignored":"input"}`},
		{mode: "lambda-error", input: `{}`, wantName: "ValueError", wantCause: "bad order"},
		{mode: "sfn-error", input: `{}`, wantName: "Order.Invalid", wantCause: `{"id":7}`},
		{mode: "traceback", input: `{}`, wantName: failure.TaskFailed, wantCause: "Traceback (most recent call last):\nKeyError: 'order'"},
		{mode: "silent-fail", input: `{}`, wantName: failure.TaskFailed, wantCause: "exited with status 4 and wrote nothing on stderr"},
		{mode: "bad-json", input: `{}`, wantName: failure.TaskFailed, wantCause: `its stdout is not valid JSON (invalid JSON at offset 0`},
		{mode: "empty", input: `{}`, wantName: failure.TaskFailed, wantCause: "printed nothing on stdout"},
		{mode: "huge-stdout", input: `{}`, wantName: failure.DataLimitExceeded, wantCause: "'arn:aws:states:::lambda:invoke' returned a result with a size exceeding"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			out, err := helperSpec(t, tt.mode).Handler()(context.Background(), taskCall(tt.input))
			if tt.wantName == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				if got := value.String(out); got != tt.want {
					t.Errorf("result = %.200s, want %.200s", got, tt.want)
				}
				return
			}
			var fe *failure.Error
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v (%T), want a *failure.Error", err, err)
			}
			if fe.Name != tt.wantName || !strings.Contains(fe.Cause, tt.wantCause) {
				t.Errorf("failure = %s / %q\nwant      %s / containing %q", fe.Name, fe.Cause, tt.wantName, tt.wantCause)
			}
		})
	}
}

func TestCommandStderrCap(t *testing.T) {
	_, err := helperSpec(t, "huge-stderr").Handler()(context.Background(), taskCall(`{}`))
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Name != failure.TaskFailed {
		t.Fatalf("err = %v", err)
	}
	if n := len([]rune(fe.Cause)); n != maxCause {
		t.Errorf("cause is %d characters, want it capped at %d", n, maxCause)
	}
	if !strings.HasSuffix(fe.Cause, "THE END") {
		t.Errorf("cause ends %q; the end of stderr should be kept", fe.Cause[len(fe.Cause)-20:])
	}
}

func TestCommandEnvironmentAndDir(t *testing.T) {
	s := helperSpec(t, "env")
	s.Env = append(s.Env, "STAGE=local")
	c := taskCall(`{}`)
	c.Token = "tok-123"
	out, err := s.Handler()(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	obj := out.(*value.Object)
	want := map[string]string{"STEPDECK_STATE_NAME": "Charge", "STEPDECK_RESOURCE": "arn:aws:states:::lambda:invoke",
		"STEPDECK_ATTEMPT": "2", "STEPDECK_TASK_TOKEN": "tok-123", "STAGE": "local", "PATH": os.Getenv("PATH")}
	for k, w := range want {
		if got, _ := obj.Get(k); got != w {
			t.Errorf("%s = %v, want %q", k, got, w)
		}
	}
	wantDir, _ := filepath.EvalSymlinks(s.Dir)
	if got, _ := obj.Get("cwd"); got != wantDir && got != s.Dir {
		t.Errorf("cwd = %v, want %s", got, s.Dir)
	}
}

func TestCommandNotFound(t *testing.T) {
	s := &CommandSpec{Resource: "r", Argv: []string{"stepdeck-no-such-program-xyz"}, Dir: t.TempDir()}
	_, err := s.Handler()(context.Background(), taskCall(`{}`))
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Name != failure.Runtime || !strings.Contains(fe.Cause, `["stepdeck-no-such-program-xyz"] for state 'Charge' could not run`) {
		t.Errorf("err = %v", err)
	}
}

func TestCommandWaitForCallback(t *testing.T) {
	s := helperSpec(t, "echo")
	s.WaitForCallback = true
	c := taskCall(`{"MessageId":"m"}`)
	c.Resource, c.Token = "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "tok"
	_, err := s.Handler()(context.Background(), c)
	var w *engine.CallbackWait
	if !errors.As(err, &w) || value.String(w.Output) != `{"MessageId":"m"}` || w.Token != "tok" {
		t.Errorf("err = %v, want a CallbackWait with the command's output", err)
	}
	// The same command on a plain resource returns its output.
	out, err := s.Handler()(context.Background(), taskCall(`1`))
	if err != nil || value.String(out) != "1" {
		t.Errorf("plain resource: %v, %v", out, err)
	}
}

// processGone reports whether pid has exited (a zombie counts: it runs no more).
func processGone(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil {
		return true
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return os.IsNotExist(err)
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) > 0 && fields[0] == "Z"
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	for range 500 {
		if processGone(pid) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("process %d is still running: the process group was not killed", pid)
	syscall.Kill(pid, syscall.SIGKILL)
}

func readPid(t *testing.T, file string) int {
	t.Helper()
	for range 500 {
		if b, err := os.ReadFile(file); err == nil && len(b) > 0 {
			pid, err := strconv.Atoi(string(b))
			if err != nil {
				t.Fatal(err)
			}
			return pid
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the helper never wrote its child's pid")
	return 0
}

func TestCommandCancelKillsProcessGroup(t *testing.T) {
	s := helperSpec(t, "sleep")
	pidFile := filepath.Join(t.TempDir(), "pid")
	s.Env = append(s.Env, "LOCALTASK_PIDFILE="+pidFile)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := s.Handler()(ctx, taskCall(`{}`))
		done <- err
	}()
	child := readPid(t, pidFile)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled: a stopping driver gets no task outcome", err)
	}
	waitGone(t, child)
}

func TestCommandTimeout(t *testing.T) {
	s := helperSpec(t, "sleep")
	pidFile := filepath.Join(t.TempDir(), "pid")
	s.Env = append(s.Env, "LOCALTASK_PIDFILE="+pidFile)
	c := taskCall(`{}`)
	c.TimeoutSeconds = 1 // shorter than the handler's own limit, so it applies
	s.Timeout = time.Hour
	_, err := s.Handler()(context.Background(), c)
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Name != failure.Timeout || !strings.Contains(fe.Cause, "did not finish within 1s") {
		t.Errorf("err = %v, want States.Timeout", err)
	}
	waitGone(t, readPid(t, pidFile))
}

// BenchmarkCommand measures a whole command task: start the process, feed stdin, read
// and parse stdout.
func BenchmarkCommand(b *testing.B) {
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	s := &CommandSpec{Resource: "r", Argv: []string{exe}, Dir: b.TempDir(), Env: []string{helperEnv + "=echo"}}
	h := s.Handler()
	c := taskCall(`{"order":{"id":1,"items":[1,2,3]}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h(context.Background(), c); err != nil {
			b.Fatal(err)
		}
	}
}

// A task's TimeoutSeconds is the driver's to keep: it records TaskTimedOut then, as AWS
// does, and cancels the command. The command's own limit comes a little later
// (engine.HandlerTimeout), so that the two do not race to record different failures.
// (A timer never fires early, so the lower bound holds on a loaded machine.)
func TestTheCommandsLimitComesAfterTheTasks(t *testing.T) {
	c := taskCall(`{}`)
	c.TimeoutSeconds = 1
	start := time.Now()
	_, err := helperSpec(t, "sleep").Handler()(context.Background(), c)
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Name != failure.Timeout {
		t.Fatalf("err = %v, want States.Timeout", err)
	}
	if took, limit := time.Since(start), time.Second; took < limit+limit/2 {
		t.Errorf("the command was stopped after %v: at its task's own limit of %v, racing the driver", took, limit)
	}
}
