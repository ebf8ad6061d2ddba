package localtask

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

const (
	// maxStdout bounds what is read as a result: far above the 256 KiB payload quota,
	// which the engine enforces with AWS's error, yet safe from a runaway process.
	maxStdout = 4 << 20
	// maxStderr keeps the end of stderr, where tracebacks name the error.
	maxStderr = 64 << 10
	// maxCause is AWS's limit on a failure's cause, in characters.
	maxCause = 32_768
	// waitDelay is how long a stopped command's pipes may stay open (held by a
	// grandchild that escaped the group) before the handler gives up on them.
	waitDelay = 2 * time.Second
)

// Handler runs the command for one task (or serves the entry's files).
func (s *CommandSpec) Handler() engine.Handler {
	if s.Files != "" {
		return FilesHandler(s.Files)
	}
	return func(ctx context.Context, call *engine.TaskCall) (value.Value, error) {
		out, err := s.run(ctx, call)
		if err == nil && s.WaitForCallback && strings.HasSuffix(call.Resource, ".waitForTaskToken") {
			return nil, &engine.CallbackWait{Output: out, Token: call.Token}
		}
		return out, err
	}
}

func (s *CommandSpec) run(ctx context.Context, call *engine.TaskCall) (value.Value, error) {
	// limit is what the message names: the handler's own, or the task's TimeoutSeconds
	// (which the handler keeps a little longer, see engine.HandlerTimeout).
	timeout, limit := s.Timeout, s.Timeout
	if t := engine.HandlerTimeout(call); t > 0 && (timeout == 0 || t < timeout) {
		timeout, limit = t, time.Duration(call.TimeoutSeconds)*time.Second
	}
	runCtx, cancel := ctx, context.CancelFunc(func() {})
	if timeout > 0 {
		runCtx, cancel = context.WithTimeout(ctx, timeout)
	}
	defer cancel()

	cmd := exec.CommandContext(runCtx, s.Argv[0], s.Argv[1:]...)
	cmd.Dir = s.Dir
	cmd.Env = append(append(os.Environ(), s.Env...), taskEnv(call)...)
	cmd.Stdin = bytes.NewReader(value.Marshal(call.Input))
	stdout := &headBuffer{max: maxStdout}
	stderr := &tailBuffer{max: maxStderr}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = waitDelay
	ownProcessGroup(cmd)

	runErr := cmd.Run()
	if ctx.Err() != nil {
		// The driver is stopping (StopExecution, shutdown): no outcome to report.
		return nil, ctx.Err()
	}
	if runErr != nil && runCtx.Err() != nil {
		return nil, failure.Newf(failure.Timeout, "The command %s did not finish within %s and was stopped.", argvText(s.Argv), limit)
	}
	var exitErr *exec.ExitError
	if runErr != nil && !errors.As(runErr, &exitErr) {
		return nil, failure.Newf(failure.Runtime, "The command %s for state '%s' could not run: %v. Check \"command\" and \"dir\" in the handlers file.",
			argvText(s.Argv), call.StateName, runErr)
	}
	if runErr != nil {
		return nil, commandFailure(s.Argv, exitErr, stdout.Bytes(), stderr.Bytes())
	}
	if stdout.overflow {
		return nil, failure.Newf(failure.DataLimitExceeded,
			"The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", call.Resource)
	}
	text := bytes.TrimSpace(stdout.Bytes())
	if len(text) == 0 {
		return nil, failure.Newf(failure.TaskFailed,
			"The command %s exited with status 0 but printed nothing on stdout; it must print the task result as JSON (null for none).", argvText(s.Argv))
	}
	out, err := value.Parse(text)
	if err != nil {
		return nil, failure.Newf(failure.TaskFailed,
			"The command %s exited with status 0 but its stdout is not valid JSON (%v); it must print only the task result as JSON, and log on stderr. Its stdout began: %s",
			argvText(s.Argv), err, excerpt(text, 200))
	}
	return out, nil
}

// taskEnv tells the command which task it serves; a .waitForTaskToken handler needs
// the token to answer later.
func taskEnv(call *engine.TaskCall) []string {
	env := []string{
		"STEPDECK_STATE_NAME=" + noNUL(call.StateName),
		"STEPDECK_RESOURCE=" + noNUL(call.Resource),
		"STEPDECK_ATTEMPT=" + strconv.FormatInt(call.Attempt, 10),
	}
	if call.Token != "" {
		env = append(env, "STEPDECK_TASK_TOKEN="+noNUL(call.Token))
	}
	return env
}

func noNUL(s string) string { return strings.ReplaceAll(s, "\x00", "") }

// commandFailure turns a non-zero exit into the task's error: the error object the
// command printed, if any, else States.TaskFailed with stderr as the cause.
func commandFailure(argv []string, exitErr *exec.ExitError, stdout, stderr []byte) *failure.Error {
	for _, text := range [][]byte{stdout, stderr, lastLine(stderr)} {
		if fe := errorObject(text); fe != nil {
			return fe
		}
	}
	if cause := strings.TrimSpace(strings.ToValidUTF8(string(stderr), "\uFFFD")); cause != "" {
		return failure.New(failure.TaskFailed, capTail(cause, maxCause))
	}
	return failure.Newf(failure.TaskFailed, "The command %s %s and wrote nothing on stderr.", argvText(argv), exitText(exitErr))
}

// errorObject reads {"errorType", "errorMessage"} (what Lambda runtimes print) or
// {"Error", "Cause"} (what Step Functions records).
func errorObject(text []byte) *failure.Error {
	text = bytes.TrimSpace(text)
	if len(text) == 0 || text[0] != '{' {
		return nil
	}
	v, err := value.Parse(text)
	if err != nil {
		return nil
	}
	obj := v.(*value.Object)
	for _, keys := range [][2]string{{"errorType", "errorMessage"}, {"Error", "Cause"}} {
		nv, ok := obj.Get(keys[0])
		name, isString := nv.(string)
		if !ok || !isString || name == "" {
			continue
		}
		cause := ""
		if cv, ok := obj.Get(keys[1]); ok {
			if s, isString := cv.(string); isString {
				cause = s
			} else if cv != nil {
				cause = value.String(cv)
			}
		}
		return failure.New(capHead(name, 256), capHead(cause, maxCause))
	}
	return nil
}

func lastLine(b []byte) []byte {
	b = bytes.TrimRight(b, " \t\r\n")
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		return b[i+1:]
	}
	return nil // a single line was tried whole already
}

func exitText(e *exec.ExitError) string {
	if e.Exited() {
		return fmt.Sprintf("exited with status %d", e.ExitCode())
	}
	return "was ended by a signal (" + e.String() + ")"
}

func argvText(argv []string) string {
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = strconv.Quote(a)
	}
	return "[" + strings.Join(quoted, " ") + "]"
}

func excerpt(b []byte, n int) string {
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	if r := []rune(s); len(r) > n {
		return strconv.Quote(string(r[:n])) + "…"
	}
	return strconv.Quote(s)
}

// capTail keeps the last max characters: the end of a traceback says what went wrong.
func capTail(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return "…" + string(r[len(r)-max+1:])
}

func capHead(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max])
}
