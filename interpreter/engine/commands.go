package engine

import (
	"time"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// CommandKind says what a driver must do.
type CommandKind uint8

const (
	// CmdInvokeTask asks the driver to run a task and report its outcome.
	CmdInvokeTask CommandKind = iota
	// CmdStartTimer asks the driver to send InputTimer at the given time.
	CmdStartTimer
	// CmdCancelTask tells the driver a task's outcome is no longer wanted.
	CmdCancelTask
)

// TimerPurpose says what a timer is for; it shows in the debugger and in logs.
type TimerPurpose uint8

const (
	TimerWait TimerPurpose = iota
	TimerRetry
	TimerTaskTimeout
	TimerHeartbeat
	TimerExecutionTimeout
)

// ExecutionFrame is the frame id of inputs and commands that concern the execution as a
// whole (its timeout, a stop).
const ExecutionFrame = -1

// Command is something the engine needs done outside itself.
type Command struct {
	Kind    CommandKind
	Frame   int
	Seq     uint64
	At      time.Time // CmdStartTimer
	Purpose TimerPurpose
	Task    *TaskCall // CmdInvokeTask, CmdCancelTask
	// Resumed marks a task command from Rearm; Submitted says the task's service call
	// had gone through and it waits for its callback.
	Resumed   bool
	Submitted bool
}

// TaskCall is a Task state's request to run its resource.
type TaskCall struct {
	StateName        string
	Resource         string
	Input            value.Value // the effective parameters
	TimeoutSeconds   int64       // 0: none
	HeartbeatSeconds int64       // 0: none
	Credentials      value.Value // nil when none
	// Token is the task token of a .waitForTaskToken task, as $$.Task.Token gave it,
	// or the token GetActivityTask hands an activity's worker.
	Token string
	// Attempt counts from 0; mocks index invocations with it.
	Attempt int64
}

// InputKind says what happened outside the engine.
type InputKind uint8

const (
	InputTaskSucceeded InputKind = iota
	InputTaskFailed
	InputTimer
	InputStop
	// InputTaskSubmitted says a .waitForTaskToken task's service call went through; the
	// task now waits for its callback. Output is the service's response.
	InputTaskSubmitted
	// InputHeartbeat is SendTaskHeartbeat: it restarts the task's heartbeat clock.
	InputHeartbeat
	// InputActivityStarted says a worker took an activity task (GetActivityTask);
	// Worker is the name it gave.
	InputActivityStarted
)

// Input is an outcome delivered to Advance.
type Input struct {
	Kind  InputKind
	Frame int
	Seq   uint64
	// Purpose is the timer's, for InputTimer.
	Purpose TimerPurpose
	Output  value.Value // InputTaskSucceeded
	// Error and Cause for InputTaskFailed and InputStop. A nil pointer means the
	// field was not given, which AWS records differently from an empty string.
	Error *string
	Cause *string
	// Worker is the worker name of InputActivityStarted.
	Worker string
}
