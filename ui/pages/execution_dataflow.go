package pages

import (
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/dataflow"
	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// contextTime is how Step Functions writes times in the context object.
const contextTime = "2006-01-02T15:04:05.000Z"

// refreshFlow recomputes the data-flow pane for the selected state as of event N, only
// when what it depends on changed: the state, its run and result events, and the
// variables assigned before it was entered.
func (x *Execution) refreshFlow() {
	n := x.viewN()
	name := x.selected
	var st *asl.State
	if x.def != nil && name != "" {
		st = x.def.Scope.Find(name)
	}
	r := x.runOf(name, n)
	res := -1
	if st != nil && r.entered >= 0 {
		res = x.resultEvent(st, r, n)
	}
	key := fmt.Sprint(name, st != nil, r.entered, r.exited, res, sort.SearchInts(x.index.assigned, max(r.entered, 0)), x.desc != nil)
	if key == x.flowKey {
		return
	}
	x.flowKey = key
	header, stages := x.flowOf(st, name, r, res)
	x.flow.SetHeader(header...)
	x.flow.SetStages(stages)
}

func (x *Execution) flowOf(st *asl.State, name string, r run, res int) ([]string, []dataflow.Stage) {
	switch {
	case name == "":
		return []string{"Data flow: select a state (tab to the graph)"}, nil
	case x.def == nil:
		return []string{"Data flow: the definition is not loaded"}, nil
	case st == nil:
		return []string{"Data flow: " + name + " is not in the definition"}, nil
	case r.entered < 0:
		return []string{fmt.Sprintf("Data flow of %s: not entered as of event %d", name, x.viewN())}, nil
	}
	lang := "JSONPath"
	if st.IsJSONata() {
		lang = "JSONata"
	}
	header := []string{fmt.Sprintf("Data flow of %s (%s %s), entered at event %d", name, lang, st.Type, x.events[r.entered].ID)}
	inText, _ := x.events[r.entered].Input()
	input, err := value.ParseString(inText)
	if err != nil {
		return append(header, "its recorded input is not JSON: "+err.Error()), nil
	}
	in := dataflow.Inputs{Input: input, Context: x.contextAt(name, r.entered)}
	vars := x.varsAt(r.entered)
	in.Vars = make(map[string]value.Value, len(vars))
	for k, v := range vars {
		if pv, err := value.ParseString(v); err == nil {
			in.Vars[k] = pv
		}
	}
	switch {
	case res >= 0:
		text, _ := x.events[res].Output()
		if in.Result, err = value.ParseString(text); err != nil {
			return append(header, "its recorded result is not JSON: "+err.Error()), nil
		}
		in.HasResult = true
		header = append(header, fmt.Sprintf("result from event %d (%s)", x.events[res].ID, x.events[res].Type))
	case producesResult(st) && r.exited < 0:
		header = append(header, "no result yet as of this event")
	case producesResult(st):
		header = append(header, "the history does not record this state's result")
	}
	return header, dataflow.Trace(st, in)
}

func producesResult(st *asl.State) bool {
	return st.Type == asl.Task || st.Type == asl.Parallel || st.Type == asl.Map
}

// resultEvent finds the event that holds the result of the state's run, before event n:
// a Task's last successful attempt; for a Parallel or a Map, whose result the history
// does not record, its Exited event when nothing between result and output changes it.
func (x *Execution) resultEvent(st *asl.State, r run, n int) int {
	end := n
	if r.exited >= 0 {
		end = r.exited
	}
	switch st.Type {
	case asl.Task:
		for i := end - 1; i > r.entered; i-- {
			switch x.events[i].Type {
			case types.HistoryEventTypeTaskSucceeded, types.HistoryEventTypeLambdaFunctionSucceeded,
				types.HistoryEventTypeActivitySucceeded:
				if enteredBy(x.events, i) == r.entered {
					return i
				}
			}
		}
	case asl.Parallel, asl.Map:
		if r.exited >= 0 && outputIsResult(st) {
			return r.exited
		}
	}
	return -1
}

// outputIsResult reports whether the state's output is its result unchanged: no
// ResultSelector, ResultPath or OutputPath (JSONPath), no Output (JSONata).
func outputIsResult(st *asl.State) bool {
	if st.IsJSONata() {
		return st.Output == nil
	}
	return st.ResultSelector == nil && !st.Source.Has("ResultPath") && st.OutputPath.Path == nil && !st.OutputPath.Null
}

// enteredBy walks previousEventId links back from event i to the Entered event of the
// state it happened in, and returns that event's index (-1 when the chain breaks).
// Parallel branches interleave their events, so position alone cannot tell.
func enteredBy(events []hist.Event, i int) int {
	for steps := 0; steps < len(events); steps++ {
		j := indexOfID(events, events[i].PreviousEventID)
		if j < 0 || j >= i {
			return -1
		}
		if hist.IsEntered(events[j].Type) {
			return j
		}
		i = j
	}
	return -1
}

// indexOfID finds an event by id; ids are 1, 2, 3... in AWS's and the engine's
// histories, so the index is id-1 unless the history is partial.
func indexOfID(events []hist.Event, id int64) int {
	if i := int(id) - 1; i >= 0 && i < len(events) && events[i].ID == id {
		return i
	}
	k := sort.Search(len(events), func(k int) bool { return events[k].ID >= id })
	if k < len(events) && events[k].ID == id {
		return k
	}
	return -1
}

// contextAt rebuilds the context object ($$) the state saw when entered at event i,
// from what DescribeExecution and the history say.
func (x *Execution) contextAt(name string, i int) value.Value {
	ex := value.NewObject(5)
	ex.Set("Id", x.arn)
	if x.desc != nil {
		if in, err := value.ParseString(aws.ToString(x.desc.Input)); err == nil {
			ex.Set("Input", in)
		}
		ex.Set("Name", aws.ToString(x.desc.Name))
		if x.desc.StartDate != nil {
			ex.Set("StartTime", x.desc.StartDate.UTC().Format(contextTime))
		}
		ex.Set("RedriveCount", int64(aws.ToInt32(x.desc.RedriveCount)))
	}
	if len(x.events) > 0 {
		if d, ok := x.events[0].Details.(*types.ExecutionStartedEventDetails); ok {
			ex.Set("RoleArn", aws.ToString(d.RoleArn))
		}
	}
	c := value.NewObject(3)
	c.Set("Execution", ex)
	if x.desc != nil {
		sm := aws.ToString(x.desc.StateMachineArn)
		c.Set("StateMachine", value.ObjectOf("Id", sm, "Name", machineName(sm)))
	}
	s := value.ObjectOf("Name", name, "EnteredTime", x.events[i].Timestamp.UTC().Format(contextTime))
	c.Set("State", s)
	return c
}

func machineName(arn string) string {
	for i := len(arn) - 1; i >= 0; i-- {
		if arn[i] == ':' {
			return arn[i+1:]
		}
	}
	return arn
}
