package engine

import (
	"time"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// TimeFormat is how the context object and timestamps in data print a time, as AWS does.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// contextCache holds the parts of the context object that do not change during an
// execution, built once.
type contextCache struct {
	execution    *value.Object
	stateMachine *value.Object
}

func (e *Execution) contextParts() *contextCache {
	if e.context == nil {
		m := e.Meta
		ex := value.NewObject(6)
		ex.Set("Id", m.ExecutionArn)
		ex.Set("Input", e.input)
		ex.Set("StartTime", m.StartTime.UTC().Format(TimeFormat))
		ex.Set("Name", m.Name)
		ex.Set("RoleArn", m.RoleArn)
		if !m.Sync {
			// Synchronous executions cannot be redriven; AWS gives them no count.
			ex.Set("RedriveCount", int64(m.RedriveCount))
		}
		sm := value.NewObject(2)
		sm.Set("Id", m.StateMachineArn)
		sm.Set("Name", m.StateMachineName)
		e.context = &contextCache{execution: ex, stateMachine: sm}
	}
	return e.context
}

// contextObject builds $$ for a state of a frame. item is the Map item for an
// ItemSelector, nil otherwise.
func (e *Execution) contextObject(f *Frame, st *asl.State, item *mapItem, token string) *value.Object {
	parts := e.contextParts()
	c := value.NewObject(5)
	c.Set("Execution", parts.execution)
	c.Set("StateMachine", parts.stateMachine)
	s := value.NewObject(3)
	s.Set("Name", st.Name)
	s.Set("EnteredTime", f.EnteredTime.UTC().Format(TimeFormat))
	if st.Type == asl.Task || st.Type == asl.Parallel || st.Type == asl.Map {
		s.Set("RetryCount", f.RetryCount)
	}
	c.Set("State", s)
	if token != "" {
		c.Set("Task", value.ObjectOf("Token", token))
	}
	if item != nil {
		it := value.NewObject(2)
		it.Set("Index", int64(item.index))
		it.Set("Value", item.value)
		c.Set("Map", value.ObjectOf("Item", it))
	}
	if o := e.Opts.Context; o != nil {
		for i := 0; i < o.Len(); i++ {
			k, v := o.At(i)
			built, _ := c.Get(k)
			bo, isObj := built.(*value.Object)
			vo, vIsObj := v.(*value.Object)
			if !isObj || !vIsObj {
				c.Set(k, v)
				continue
			}
			merged := bo.Clone()
			for j := 0; j < vo.Len(); j++ {
				mk, mv := vo.At(j)
				merged.Set(mk, mv)
			}
			c.Set(k, merged)
		}
	}
	return c
}

type mapItem struct {
	index int
	value value.Value
}

// ContextFor builds $$ as a state sees it, for a debugger that traces a state's data
// flow outside a run: entered is when the state was entered, token its task token.
func (e *Execution) ContextFor(st *asl.State, entered time.Time, retryCount int64, token string) *value.Object {
	return e.contextObject(&Frame{EnteredTime: entered, RetryCount: retryCount}, st, nil, token)
}
