// Package dataflow is how data moves through one state: the value after each stage of
// its processing (InputPath → Parameters → the task → ResultSelector → ResultPath →
// Assign → OutputPath in JSONPath; Arguments → the task → Assign → Output in JSONata).
//
// Each stage is computed by one function here (stages.go, jsonata.go), pure over the
// document it applies to and a Scope. The engine calls them as it runs a state, and
// hands the stages it computed to Options.Flow (the debugger shows those). Trace
// composes the same functions, in the engine's order, over a state's recorded input and
// result, so it works as well for an AWS execution, where no local engine ran.
package dataflow

import (
	"errors"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/jsonata"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/template"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Stage is one step of a state's data flow.
type Stage struct {
	Name  string      // "InputPath", "Parameters", "Result", "ResultSelector", ...
	Field string      // the definition's text for it ("$.order"), empty for the result
	Value value.Value // the value after this stage
	// Default is set when the state does not have the field and the stage passed the
	// value on unchanged.
	Default bool
	Err     error // the stage failed; later stages are not computed
	// Rule is, for a Condition, the index of the Choice rule that matched (or failed
	// to evaluate); -1 for the Default.
	Rule int
}

// Inputs is what a state's data flow starts from.
type Inputs struct {
	Input value.Value
	// Result is what the task, Parallel or Map produced (for other states it is unused).
	Result    value.Value
	HasResult bool
	// Context is $$ ($states.context), Vars the variables in scope.
	Context value.Value
	Vars    map[string]value.Value
}

// Trace computes every stage of st's data flow, in the order the engine computes them,
// up to the first that fails. For states that produce a result the stages after the
// task need in.Result.
func Trace(st *asl.State, in Inputs) []Stage {
	t := &trace{st: st}
	if st.IsJSONata() {
		t.jsonata(in)
	} else {
		t.jsonPath(in)
	}
	return t.out
}

type trace struct {
	st  *asl.State
	out []Stage
}

// add records a stage and reports whether the flow goes on after it.
func (t *trace) add(s Stage) bool {
	t.out = append(t.out, Describe(t.st, s))
	return s.Err == nil
}

func producesResult(st *asl.State) bool {
	return st.Type == asl.Task || st.Type == asl.Parallel || st.Type == asl.Map
}

func (in Inputs) scope() Scope {
	return Scope{Context: in.Context, Vars: jsonpath.VarMap(in.Vars)}
}

func (t *trace) jsonPath(in Inputs) {
	st, sc := t.st, in.scope()
	if st.Type == asl.Fail {
		return // a Fail state's input is not processed
	}
	s := InputPath(st.InputPath, in.Input, sc)
	if !t.add(s) {
		return
	}
	eff := s.Value
	switch st.Type {
	case asl.Choice, asl.Wait, asl.Succeed:
		assign := st.Assign
		if st.Type == asl.Choice {
			var c Stage
			if c, _, assign = Choose(st, eff, sc); !t.add(c) {
				return
			}
		}
		if st.Type != asl.Succeed && assign != nil && !t.add(Assign(assign, eff, sc)) {
			return
		}
		t.add(OutputPath(st.OutputPath, eff, sc))
		return
	}
	result := eff
	if st.Type != asl.Map {
		p := Parameters(st, eff, sc)
		if !t.add(p) {
			return
		}
		result = p.Value
	}
	if producesResult(st) {
		if !in.HasResult {
			return
		}
		result = in.Result
		t.add(Result(result))
	}
	rs := ResultSelector(st.ResultSelector, result, sc)
	if !t.add(rs) {
		return
	}
	rp := ResultPath(st.ResultPath, in.Input, rs.Value)
	if !t.add(rp) {
		return
	}
	if st.Assign != nil && !t.add(Assign(st.Assign, rs.Value, sc)) {
		return
	}
	t.add(OutputPath(st.OutputPath, rp.Value, sc))
}

func (t *trace) jsonata(in Inputs) {
	st := t.st
	if st.Type == asl.Fail {
		return
	}
	states := States{Input: in.Input, Context: in.Context}
	env := func() *template.JSONataEnv {
		b := map[string]value.Value{"states": states.Object()}
		for k, v := range in.Vars {
			b[k] = v
		}
		return &template.JSONataEnv{Bindings: b, Options: &jsonata.Options{Functions: jsonata.StepFunctions(nil)}}
	}
	if st.Arguments != nil && st.Type != asl.Map && !t.add(Arguments(st.Arguments, env)) {
		return
	}
	out := in.Input
	if producesResult(st) {
		if !in.HasResult {
			return
		}
		states.Result, states.HasResult, out = in.Result, true, in.Result
		t.add(Result(in.Result))
	}
	output, assign := st.Output, st.Assign
	switch st.Type {
	case asl.Choice:
		c, rule := ChooseJSONata(st, env)
		if !t.add(c) {
			return
		}
		if rule != nil {
			output, assign = rule.Output, rule.Assign
		}
	case asl.Succeed:
		assign = nil
	}
	if assign != nil && !t.add(AssignJSONata(assign, env)) {
		return
	}
	t.add(Output(output, out, env))
}

// StateOutput returns the state's output: the value of the last stage that makes it.
func StateOutput(stages []Stage) (value.Value, error) {
	var outv value.Value
	found := false
	for _, s := range stages {
		if s.Err != nil {
			return nil, s.Err
		}
		switch s.Name {
		case "OutputPath", "Output":
			outv, found = s.Value, true
		}
	}
	if !found {
		return nil, errors.New("the trace stops before the state's output")
	}
	return outv, nil
}
