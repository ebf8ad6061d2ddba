package history

import (
	"math"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Reading a stored history is the hot path of GetExecutionHistory. Most events are of a
// few shapes (states entered and exited, tasks, the execution's start and end); those are
// read straight from the parsed JSON here. Anything else, or anything with a member these
// shapes do not know, goes through the general reflective codec, so nothing is lost.

// fields is a reader over one JSON object that remembers how many members it used, so
// the caller can tell whether every member was understood.
type fields struct {
	o    *value.Object
	used int
	ok   bool
}

func (f *fields) str(key string) *string {
	v, present := f.o.Get(key)
	if !present {
		return nil
	}
	s, isStr := v.(string)
	if !isStr {
		f.ok = false
		return nil
	}
	f.used++
	return &s
}

func (f *fields) int64p(key string) *int64 {
	v, present := f.o.Get(key)
	if !present {
		return nil
	}
	n, isInt := v.(int64)
	if !isInt {
		f.ok = false
		return nil
	}
	f.used++
	return &n
}

func (f *fields) int32v(key string) int32 {
	p := f.int64p(key)
	if p == nil || *p < math.MinInt32 || *p > math.MaxInt32 {
		if p != nil {
			f.ok = false
		}
		return 0
	}
	return int32(*p)
}

// truncated reads {"truncated": bool}.
func (f *fields) truncated(key string) *types.HistoryEventExecutionDataDetails {
	v, present := f.o.Get(key)
	if !present {
		return nil
	}
	o, isObj := v.(*value.Object)
	t, isBool := o.Get("truncated")
	if !isObj || o.Len() != 1 || !isBool {
		f.ok = false
		return nil
	}
	b, _ := t.(bool)
	f.used++
	if !b {
		return NotTruncated
	}
	return &types.HistoryEventExecutionDataDetails{Truncated: true}
}

func (f *fields) done() bool { return f.ok && f.used == f.o.Len() }

// unmarshalFast reads the common event shapes; ok is false when the general codec must.
func (e *Event) unmarshalFast(data []byte) (ok bool) {
	v, err := value.Parse(data)
	if err != nil {
		return false
	}
	o, isObj := v.(*value.Object)
	if !isObj {
		return false
	}
	top := fields{o: o, ok: true}
	typ := top.str("type")
	id := top.int64p("id")
	prev := top.int64p("previousEventId")
	if typ == nil || id == nil || !top.ok {
		return false
	}
	var ts time.Time
	if t, present := o.Get("timestamp"); present {
		switch x := t.(type) {
		case int64:
			ts = time.Unix(x, 0).UTC()
		case float64:
			if math.IsNaN(x) || math.Abs(x) > 1e15 {
				return false
			}
			ts = time.UnixMilli(int64(math.Round(x * 1000))).UTC()
		default:
			return false
		}
		top.used++
	}
	ev := Event{ID: *id, Timestamp: ts, Type: types.HistoryEventType(*typ)}
	if prev != nil {
		ev.PreviousEventID = *prev
	}
	key := DetailsField(ev.Type)
	if key != "" {
		dv, present := o.Get(key)
		if present {
			do, isObj := dv.(*value.Object)
			if !isObj {
				return false
			}
			details, ok := fastDetails(ev.Type, &fields{o: do, ok: true})
			if !ok {
				return false
			}
			ev.Details = details
			top.used++
		}
	}
	if !top.done() {
		return false
	}
	*e = ev
	return true
}

// fastDetails builds the details of the common event types.
func fastDetails(t types.HistoryEventType, f *fields) (any, bool) {
	var d any
	switch {
	case IsEntered(t):
		d = &types.StateEnteredEventDetails{Name: f.str("name"), Input: f.str("input"), InputDetails: f.truncated("inputDetails")}
	case IsExited(t):
		x := &types.StateExitedEventDetails{Name: f.str("name"), Output: f.str("output"), OutputDetails: f.truncated("outputDetails")}
		if av, present := f.o.Get("assignedVariables"); present {
			ao, isObj := av.(*value.Object)
			if !isObj {
				return nil, false
			}
			x.AssignedVariables = make(map[string]string, ao.Len())
			for i := 0; i < ao.Len(); i++ {
				k, v := ao.At(i)
				s, isStr := v.(string)
				if !isStr {
					return nil, false
				}
				x.AssignedVariables[k] = s
			}
			f.used++
		}
		if tv := f.truncated("assignedVariablesDetails"); tv != nil {
			x.AssignedVariablesDetails = &types.AssignedVariablesDetails{Truncated: tv.Truncated}
		}
		d = x
	default:
		switch t {
		case types.HistoryEventTypeExecutionStarted:
			d = &types.ExecutionStartedEventDetails{Input: f.str("input"), InputDetails: f.truncated("inputDetails"), RoleArn: f.str("roleArn"),
				StateMachineAliasArn: f.str("stateMachineAliasArn"), StateMachineVersionArn: f.str("stateMachineVersionArn")}
		case types.HistoryEventTypeExecutionSucceeded:
			d = &types.ExecutionSucceededEventDetails{Output: f.str("output"), OutputDetails: f.truncated("outputDetails")}
		case types.HistoryEventTypeExecutionFailed:
			d = &types.ExecutionFailedEventDetails{Error: f.str("error"), Cause: f.str("cause")}
		case types.HistoryEventTypeExecutionAborted:
			d = &types.ExecutionAbortedEventDetails{Error: f.str("error"), Cause: f.str("cause")}
		case types.HistoryEventTypeExecutionTimedOut:
			d = &types.ExecutionTimedOutEventDetails{Error: f.str("error"), Cause: f.str("cause")}
		case types.HistoryEventTypeTaskScheduled:
			x := &types.TaskScheduledEventDetails{Parameters: f.str("parameters"), Region: f.str("region"), Resource: f.str("resource"),
				ResourceType: f.str("resourceType"), HeartbeatInSeconds: f.int64p("heartbeatInSeconds"), TimeoutInSeconds: f.int64p("timeoutInSeconds")}
			if f.o.Has("taskCredentials") {
				return nil, false
			}
			d = x
		case types.HistoryEventTypeTaskStarted:
			d = &types.TaskStartedEventDetails{Resource: f.str("resource"), ResourceType: f.str("resourceType")}
		case types.HistoryEventTypeTaskSucceeded:
			d = &types.TaskSucceededEventDetails{Resource: f.str("resource"), ResourceType: f.str("resourceType"), Output: f.str("output"), OutputDetails: f.truncated("outputDetails")}
		case types.HistoryEventTypeTaskSubmitted:
			d = &types.TaskSubmittedEventDetails{Resource: f.str("resource"), ResourceType: f.str("resourceType"), Output: f.str("output"), OutputDetails: f.truncated("outputDetails")}
		case types.HistoryEventTypeTaskFailed:
			d = &types.TaskFailedEventDetails{Resource: f.str("resource"), ResourceType: f.str("resourceType"), Error: f.str("error"), Cause: f.str("cause")}
		case types.HistoryEventTypeTaskTimedOut:
			d = &types.TaskTimedOutEventDetails{Resource: f.str("resource"), ResourceType: f.str("resourceType"), Error: f.str("error"), Cause: f.str("cause")}
		case types.HistoryEventTypeMapIterationStarted, types.HistoryEventTypeMapIterationSucceeded,
			types.HistoryEventTypeMapIterationFailed, types.HistoryEventTypeMapIterationAborted:
			d = &types.MapIterationEventDetails{Name: f.str("name"), Index: f.int32v("index")}
		case types.HistoryEventTypeMapStateStarted:
			d = &types.MapStateStartedEventDetails{Length: f.int32v("length")}
		default:
			return nil, false
		}
	}
	if !f.done() {
		return nil, false
	}
	return d, true
}
