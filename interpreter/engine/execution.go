// Package engine runs state machines. An execution is plain data (a tree of frames: the
// main path, Parallel branches, Map iterations) and Advance is its transition function:
// it consumes one input (start, task result, timer fired, stop) and yields history
// events plus commands (invoke a task, start a timer). The engine does no I/O and holds
// no goroutine for a waiting execution; a driver (see Runner) performs the commands and
// feeds their outcomes back.
package engine

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/jsonata"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Quotas AWS enforces.
const (
	MaxPayloadBytes  = 262144
	MaxHistoryEvents = 25000
)

// Status is an execution's status, with the API's names.
type Status = types.ExecutionStatus

// Meta is what an execution is: names, ARNs and how it was started.
type Meta struct {
	ExecutionArn     string
	Name             string
	StateMachineArn  string
	StateMachineName string
	RoleArn          string
	Region           string
	Type             types.StateMachineType
	StartTime        time.Time
	Input            string // the JSON text as given
	RedriveCount     int
	// VersionArn and AliasArn say which version, and through which alias, an execution
	// started on a qualified state machine ARN runs; StateMachineArn stays the machine's.
	VersionArn string
	AliasArn   string
	// RedriveTime is when the execution was last redriven: its time limit counts from
	// then.
	RedriveTime time.Time
	// Sync is set for executions started with StartSyncExecution.
	Sync bool
}

// Options tune an execution.
type Options struct {
	// RecordHistory keeps the events. EXPRESS executions may run without it; the event
	// ids are still counted, since causes cite them.
	RecordHistory bool
	// HistoryLimit fails the execution when its history would exceed it; 0 means none.
	HistoryLimit int
	// TimeScale multiplies every Wait and retry delay: 0.5 halves them, 0 makes them
	// fire at once. 1 is real time.
	TimeScale float64
	// Rand returns a number in [0,1) for FULL jitter; nil means no jitter is applied.
	Rand func() float64
	// NewToken makes the task token of a .waitForTaskToken task, and the token an
	// activity's worker answers with.
	NewToken func() string
	// StepBudget bounds how many states one call may enter; 0 means DefaultStepBudget.
	StepBudget int
	// JSONataFunctions are the functions JSONata expressions may call beyond the
	// language's own; nil means Step Functions' set (jsonata.StepFunctions), which adds
	// $partition, $range, $hash, $random, $uuid and $parse and removes $eval.
	JSONataFunctions map[string]jsonata.Function
	// ActivityExists says whether an activity ARN names an activity; a Task on one that
	// does not exist fails before it is scheduled, as on AWS. nil means every one exists.
	ActivityExists func(arn string) bool
	// Flow, when set, sees each stage of a state's data flow as the engine computes it
	// (package dataflow's stages, a failed one with its error): TestState reports them,
	// a replay reads the rule a Choice took (its Condition stage, just before the
	// Choice exits), the debugger shows what each state did.
	Flow func(FlowStage)
	// Context, when set, overrides parts of the context object ($$): each of its
	// members replaces the built one, or for objects, the members it names. TestState
	// takes one from its caller.
	Context *value.Object
	// Variables are workflow variables set before the first state runs (TestState's
	// variables).
	Variables *value.Object
	// Gate, when set, is asked before each state is entered; a frame it turns away
	// waits for Release (the debugger's breakpoints and steps).
	Gate Gate
}

// DefaultStepBudget is how many states one call enters before it returns with More set.
const DefaultStepBudget = 10000

// Execution is one run of a state machine. It is not safe for concurrent use: the
// driver serializes calls to Advance.
type Execution struct {
	Meta Meta
	Def  *asl.Definition
	Opts Options

	Status   Status
	Output   value.Value // on success
	Error    string      // on failure, timeout or abort
	Cause    string
	HasError bool // Error was given (it may be empty)
	HasCause bool
	StopTime time.Time

	History []history.Event
	lastID  int64

	frames    map[int]*Frame
	nextFrame int
	runq      []int
	held      []int // frames Options.Gate holds before their state (gate.go)
	now       time.Time
	out       *Result

	input   value.Value
	context *contextCache
	// muted is set while a Silent frame runs; silentEvents counts what it would have
	// recorded, so a runaway child execution still meets the history quota.
	muted        bool
	silentEvents int64
	// jsonataFuncs are the functions JSONata expressions see, set up on first use.
	jsonataFuncs map[string]jsonata.Function
	// texts remembers the JSON text of payloads AWS passes on verbatim (see jsonText).
	texts map[any]string
}

// Result is what one call to Start, Advance or Resume produced.
type Result struct {
	Events   []history.Event // the events appended by this call
	Commands []Command
	// More is set when the call stopped after StepBudget states with work still ready:
	// call Resume to go on. It keeps a busy execution from holding its driver.
	More bool
	// ItemsRead counts, by map run ARN, the items a distributed Map's ItemReader read in
	// this call: the history cannot say (AWS records MapStateStarted with length 0).
	ItemsRead map[string]int
}

// New prepares an execution; Start begins it.
func New(def *asl.Definition, meta Meta, input value.Value, opts Options) *Execution {
	if opts.TimeScale < 0 {
		opts.TimeScale = 0
	}
	e := &Execution{
		Meta:   meta,
		Def:    def,
		Opts:   opts,
		Status: types.ExecutionStatusRunning,
		frames: map[int]*Frame{},
		input:  input,
	}
	if meta.Input != "" {
		e.rememberText(input, meta.Input)
	}
	return e
}

// Done reports whether the execution has closed.
func (e *Execution) Done() bool { return e.Status != types.ExecutionStatusRunning }

// LastEventID is the id of the newest event, counted even when history is not kept.
func (e *Execution) LastEventID() int64 { return e.lastID }

// Frame returns a frame by id, for drivers and the debugger.
func (e *Execution) Frame(id int) *Frame { return e.frames[id] }

// Frames returns the live frames.
func (e *Execution) Frames() map[int]*Frame { return e.frames }
