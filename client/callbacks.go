package client

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// PendingCallback is a task waiting for SendTaskSuccess, SendTaskFailure or
// SendTaskHeartbeat.
type PendingCallback struct {
	ExecutionArn    string
	StateMachineArn string // set by a CallbackScan
	StateName       string
	// Activity is set for an activity task: it has no token until a worker takes it
	// with GetActivityTask (the activities screen).
	Activity bool
	Resource string // as in the TaskScheduled event, e.g. "sqs:sendMessage.waitForTaskToken"
	// Token is empty when it could not be read from the parameters (TokenError says why).
	Token      string
	TokenPath  string // where in the parameters it was read, e.g. "MessageBody.TaskToken"
	TokenError string
	// TokenGuessed is set when the definition hides the token's place in an expression
	// and the token was taken from a key that names a token.
	TokenGuessed bool
	Parameters   string // the TaskScheduled parameters, as JSON

	ScheduledEventID int64
	Scheduled        time.Time
	Started          time.Time // zero until TaskStarted
	// Timeout and Heartbeat are the task's limits (0: none). TimeoutAt and HeartbeatAt
	// are the deadlines they give, counted from the start (or the schedule before it).
	// Heartbeats are not in the history, so HeartbeatAt is the earliest it can be.
	Timeout, Heartbeat     time.Duration
	TimeoutAt, HeartbeatAt time.Time
	// ExecutionTimeoutAt is when the whole execution times out (the definition's
	// TimeoutSeconds from its start; zero: never), which may come before the task's.
	ExecutionTimeoutAt time.Time
}

// Deadline is the first of the task's timeout and the execution's (zero: none).
func (p PendingCallback) Deadline() time.Time {
	switch {
	case p.TimeoutAt.IsZero():
		return p.ExecutionTimeoutAt
	case p.ExecutionTimeoutAt.IsZero() || p.TimeoutAt.Before(p.ExecutionTimeoutAt):
		return p.TimeoutAt
	}
	return p.ExecutionTimeoutAt
}

// CallbacksInHistory returns the tasks of an execution still waiting on a token, given
// its definition and its history (or its first n events, for time travel). It is pure:
// the UI also runs it on the events a Follower streams.
func CallbacksInHistory(def *asl.Definition, executionArn string, events []types.HistoryEvent) []PendingCallback {
	tasks := callbackTasks(def)
	byID := make(map[int64]*types.HistoryEvent, len(events))
	for i := range events {
		byID[events[i].Id] = &events[i]
	}
	// Task events chain back to their TaskScheduled through previousEventId
	// (TaskScheduled <- TaskStarted <- TaskSubmitted <- TaskSucceeded).
	var root func(id int64, depth int) int64
	root = func(id int64, depth int) int64 {
		e := byID[id]
		if e == nil || depth > 8 {
			return 0
		}
		if e.Type == types.HistoryEventTypeTaskScheduled {
			return e.Id
		}
		if e.Type == types.HistoryEventTypeActivityScheduled {
			return e.Id
		}
		if isTaskEvent(e.Type) || isActivityEvent(e.Type) {
			return root(e.PreviousEventId, depth+1)
		}
		return 0
	}
	pending := map[int64]*PendingCallback{}
	for i := range events {
		e := &events[i]
		switch {
		case e.Type == types.HistoryEventTypeTaskScheduled:
			name := ""
			if prev := byID[e.PreviousEventId]; prev != nil && prev.StateEnteredEventDetails != nil {
				name = aws.ToString(prev.StateEnteredEventDetails.Name)
			}
			ct, known := tasks[name]
			if !known && e.TaskScheduledEventDetails != nil {
				// A state the definition at hand does not have (the execution runs
				// another revision or version): the event's resource says whether it
				// waits.
				ct.waits = strings.HasSuffix(aws.ToString(e.TaskScheduledEventDetails.Resource), ".waitForTaskToken")
			}
			if !ct.waits && len(ct.place) == 0 {
				continue
			}
			pending[e.Id] = scheduled(executionArn, name, e, ct)
		case e.Type == types.HistoryEventTypeActivityScheduled:
			pending[e.Id] = activityScheduled(executionArn, byID[e.PreviousEventId], e)
		case e.Type == types.HistoryEventTypeActivityStarted:
			if p := pending[root(e.PreviousEventId, 0)]; p != nil && e.Timestamp != nil {
				p.Started = *e.Timestamp
				p.deadlines(p.Started)
			}
		case closesActivity(e.Type):
			delete(pending, root(e.PreviousEventId, 0))
		case e.Type == types.HistoryEventTypeTaskStarted:
			if p := pending[root(e.PreviousEventId, 0)]; p != nil && e.Timestamp != nil {
				p.Started = *e.Timestamp
				p.deadlines(p.Started)
			}
		case closesTask(e.Type):
			delete(pending, root(e.PreviousEventId, 0))
		case closes(e.Type):
			// Nothing waits after the close; a redrive schedules its tasks anew.
			clear(pending)
		}
	}
	var execTimeout time.Time
	if def != nil && def.TimeoutSeconds > 0 && len(events) > 0 && events[0].Type == types.HistoryEventTypeExecutionStarted && events[0].Timestamp != nil {
		execTimeout = events[0].Timestamp.Add(time.Duration(def.TimeoutSeconds) * time.Second)
	}
	out := make([]PendingCallback, 0, len(pending))
	for _, p := range pending {
		p.ExecutionTimeoutAt = execTimeout
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ScheduledEventID < out[j].ScheduledEventID })
	return out
}

func scheduled(executionArn, name string, e *types.HistoryEvent, ct callbackTask) *PendingCallback {
	p := &PendingCallback{ExecutionArn: executionArn, StateName: name, ScheduledEventID: e.Id}
	if e.Timestamp != nil {
		p.Scheduled = *e.Timestamp
	}
	d := e.TaskScheduledEventDetails
	if d == nil {
		p.TokenError = "the TaskScheduled event has no details"
		return p
	}
	p.Resource = aws.ToString(d.Resource)
	if d.ResourceType != nil && *d.ResourceType != "" {
		p.Resource = *d.ResourceType + ":" + p.Resource
	}
	p.Parameters = aws.ToString(d.Parameters)
	p.limits(d.TimeoutInSeconds, d.HeartbeatInSeconds)
	params, err := value.ParseString(p.Parameters)
	if err != nil {
		p.TokenError = fmt.Sprintf("the task's parameters are not JSON: %v", err)
		return p
	}
	for _, place := range ct.place {
		if tok, ok := place.read(params); ok {
			p.Token, p.TokenPath = tok, place.String()
			return p
		}
	}
	if tok, place, ok := guessToken(params, nil); ok {
		p.Token, p.TokenPath, p.TokenGuessed = tok, place.String(), true
		return p
	}
	if len(ct.place) > 0 {
		p.TokenError = fmt.Sprintf("no task token at %s in the task's parameters", ct.place[0])
	} else {
		p.TokenError = "the definition does not put $$.Task.Token in the task's parameters where it can be found"
	}
	return p
}

// activityScheduled is a pending activity task: no token until a worker takes it.
func activityScheduled(executionArn string, entered, e *types.HistoryEvent) *PendingCallback {
	p := &PendingCallback{ExecutionArn: executionArn, ScheduledEventID: e.Id, Activity: true,
		TokenError: "an activity task: work it from the activities screen (w), which takes its token"}
	if entered != nil && entered.StateEnteredEventDetails != nil {
		p.StateName = aws.ToString(entered.StateEnteredEventDetails.Name)
	}
	if e.Timestamp != nil {
		p.Scheduled = *e.Timestamp
	}
	if d := e.ActivityScheduledEventDetails; d != nil {
		p.Resource = aws.ToString(d.Resource)
		p.Parameters = aws.ToString(d.Input)
		p.limits(d.TimeoutInSeconds, d.HeartbeatInSeconds)
	}
	return p
}

// limits sets the task's time and heartbeat limits (nil: none) and their deadlines
// from the schedule.
func (p *PendingCallback) limits(timeout, heartbeat *int64) {
	if timeout != nil {
		p.Timeout = time.Duration(*timeout) * time.Second
	}
	if heartbeat != nil {
		p.Heartbeat = time.Duration(*heartbeat) * time.Second
	}
	p.deadlines(p.Scheduled)
}

func isActivityEvent(t types.HistoryEventType) bool {
	switch t {
	case types.HistoryEventTypeActivityScheduled, types.HistoryEventTypeActivityStarted,
		types.HistoryEventTypeActivityScheduleFailed:
		return true
	}
	return closesActivity(t)
}

func closesActivity(t types.HistoryEventType) bool {
	switch t {
	case types.HistoryEventTypeActivitySucceeded, types.HistoryEventTypeActivityFailed,
		types.HistoryEventTypeActivityTimedOut, types.HistoryEventTypeActivityScheduleFailed:
		return true
	}
	return false
}

func (p *PendingCallback) deadlines(from time.Time) {
	if from.IsZero() {
		return
	}
	if p.Timeout > 0 {
		p.TimeoutAt = from.Add(p.Timeout)
	}
	if p.Heartbeat > 0 {
		p.HeartbeatAt = from.Add(p.Heartbeat)
	}
}

func isTaskEvent(t types.HistoryEventType) bool {
	switch t {
	case types.HistoryEventTypeTaskScheduled, types.HistoryEventTypeTaskStarted,
		types.HistoryEventTypeTaskSubmitted, types.HistoryEventTypeTaskStartFailed,
		types.HistoryEventTypeTaskSubmitFailed, types.HistoryEventTypeTaskSucceeded,
		types.HistoryEventTypeTaskFailed, types.HistoryEventTypeTaskTimedOut:
		return true
	}
	return false
}

func closesTask(t types.HistoryEventType) bool {
	switch t {
	case types.HistoryEventTypeTaskSucceeded, types.HistoryEventTypeTaskFailed,
		types.HistoryEventTypeTaskTimedOut, types.HistoryEventTypeTaskStartFailed,
		types.HistoryEventTypeTaskSubmitFailed:
		return true
	}
	return false
}

// CallbackOptions narrow PendingCallbacks.
type CallbackOptions struct {
	// StateMachineArns limits the search to these machines; empty means all.
	StateMachineArns []string
	// MaxExecutions keeps the callbacks of this many executions (0: all).
	MaxExecutions int
}

// ExecutionCallbacks lists the tasks of one execution waiting on a token.
func ExecutionCallbacks(ctx context.Context, api API, executionArn string) ([]PendingCallback, error) {
	return callbacksOf(ctx, api, executionArn, map[string]*asl.Definition{})
}

func callbacksOf(ctx context.Context, api API, execArn string, defs map[string]*asl.Definition) ([]PendingCallback, error) {
	d, err := api.DescribeStateMachineForExecution(ctx, &sfn.DescribeStateMachineForExecutionInput{ExecutionArn: aws.String(execArn)})
	if err != nil {
		return nil, fmt.Errorf("reading the definition of %s: %w", execArn, err)
	}
	text := aws.ToString(d.Definition)
	def := defs[text]
	if def == nil {
		if def, err = asl.Parse([]byte(text)); err != nil {
			return nil, fmt.Errorf("the definition of %s does not parse: %w", execArn, err)
		}
		defs[text] = def
	}
	var events []types.HistoryEvent
	p := sfn.NewGetExecutionHistoryPaginator(api, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(execArn), MaxResults: 1000})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading the history of %s: %w", execArn, err)
		}
		events = append(events, page.Events...)
	}
	return CallbacksInHistory(def, execArn, events), nil
}
