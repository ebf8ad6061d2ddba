// Package dataflow shows how data moves through one state: the value after each stage
// of its processing (InputPath → Parameters → the task → ResultSelector → ResultPath →
// OutputPath, and Assign, in JSONPath; Arguments → the task → Output, and Assign, in
// JSONata). It is pure: given a state, its input and its result, it recomputes every
// stage, so it works as well for an AWS execution (from the recorded input and result) as
// for a local one.
package dataflow

import (
	"errors"
	"fmt"

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

// Trace computes every stage of st's data flow. For states that produce a result the
// stages after the task need in.Result.
func Trace(st *asl.State, in Inputs) []Stage {
	if st.IsJSONata() {
		return traceJSONata(st, in)
	}
	return traceJSONPath(st, in)
}

func (in Inputs) env(doc value.Value) *jsonpath.Env {
	return &jsonpath.Env{Input: doc, Context: in.Context, Variable: func(n string) (value.Value, bool) {
		v, ok := in.Vars[n]
		return v, ok
	}}
}

func producesResult(st *asl.State) bool {
	return st.Type == asl.Task || st.Type == asl.Parallel || st.Type == asl.Map
}

func traceJSONPath(st *asl.State, in Inputs) []Stage {
	var out []Stage
	add := func(s Stage) bool {
		out = append(out, s)
		return s.Err == nil
	}
	// InputPath
	eff, s := optionalPath("InputPath", st.InputPath, in.Input, in)
	if !add(s) {
		return out
	}
	switch st.Type {
	case asl.Choice, asl.Wait, asl.Succeed:
		assignT := st.Assign
		if st.Type == asl.Choice {
			var ok bool
			if assignT, ok = choiceRule(st, in.env(eff), add); !ok {
				return out
			}
		}
		_, s := optionalPath("OutputPath", st.OutputPath, eff, in)
		add(s)
		if assignT != nil {
			add(assign(assignT, in.env(eff)))
		}
		return out
	case asl.Fail:
		return out
	}
	// Parameters (the Pass state's Result replaces it)
	result := eff
	switch {
	case st.Type == asl.Pass && st.HasResult:
		result = st.Result
		if !add(Stage{Name: "Result", Field: value.String(st.Result), Value: result}) {
			return out
		}
	case st.Parameters != nil:
		v, err := st.Parameters.Eval(in.env(eff))
		if !add(Stage{Name: "Parameters", Field: src(st, "Parameters"), Value: v, Err: err}) {
			return out
		}
		result = v
	default:
		if st.Type != asl.Map && !add(Stage{Name: "Parameters", Value: eff, Default: true}) {
			return out
		}
	}
	if producesResult(st) {
		if !in.HasResult {
			return out
		}
		result = in.Result
		add(Stage{Name: "Result", Value: result})
		if st.ResultSelector != nil {
			v, err := st.ResultSelector.Eval(in.env(result))
			if !add(Stage{Name: "ResultSelector", Field: src(st, "ResultSelector"), Value: v, Err: err}) {
				return out
			}
			result = v
		}
	}
	// ResultPath
	var merged value.Value
	var err error
	switch {
	case st.ResultPath.Null:
		merged = in.Input
	case st.ResultPath.Ref == nil:
		merged = result
	default:
		merged, err = st.ResultPath.Ref.Set(in.Input, result)
	}
	if !add(Stage{Name: "ResultPath", Field: src(st, "ResultPath"), Value: merged, Err: err, Default: !st.Source.Has("ResultPath")}) {
		return out
	}
	_, s = optionalPath("OutputPath", st.OutputPath, merged, in)
	add(s)
	if st.Assign != nil {
		add(assign(st.Assign, in.env(result)))
	}
	return out
}

// choiceRule finds the rule of a JSONPath Choice that matches, as the engine does, and
// adds it as a Condition stage; the rule's own Assign replaces the state's. It reports
// false when evaluating a rule failed.
func choiceRule(st *asl.State, env *jsonpath.Env, add func(Stage) bool) (*template.Template, bool) {
	for i, r := range st.Choices {
		ok, err := r.Evaluate(env)
		if err != nil {
			return nil, add(Stage{Name: "Condition", Field: fmt.Sprintf("Choices[%d]: %s", i, r), Err: err})
		}
		if ok {
			add(Stage{Name: "Condition", Field: fmt.Sprintf("Choices[%d]: %s → %s", i, r, r.Next()), Value: true})
			if i < len(st.ChoiceAssign) && st.ChoiceAssign[i] != nil {
				return st.ChoiceAssign[i], true
			}
			return st.Assign, true
		}
	}
	add(Stage{Name: "Condition", Field: "Default → " + st.Default, Value: false, Default: true})
	return st.Assign, true
}

func optionalPath(name string, op asl.OptionalPath, doc value.Value, in Inputs) (value.Value, Stage) {
	switch {
	case op.Null:
		v := value.NewObject(0)
		return v, Stage{Name: name, Field: "null", Value: v}
	case op.Path == nil:
		return doc, Stage{Name: name, Value: doc, Default: true}
	}
	v, err := op.Path.Eval(in.env(doc))
	return v, Stage{Name: name, Field: op.Path.String(), Value: v, Err: err}
}

func assign(t *template.Template, env *jsonpath.Env) Stage {
	v, err := t.Eval(env)
	return Stage{Name: "Assign", Value: v, Err: err}
}

// src is the definition's text of a field, for showing next to its value.
func src(st *asl.State, field string) string {
	if v, ok := st.Source.Get(field); ok {
		if s, isStr := v.(string); isStr {
			return s
		}
		return value.String(v)
	}
	return ""
}

func traceJSONata(st *asl.State, in Inputs) []Stage {
	var out []Stage
	states := value.NewObject(4)
	states.Set("input", in.Input)
	if in.Context != nil {
		states.Set("context", in.Context)
	}
	env := func() *template.JSONataEnv {
		b := map[string]value.Value{"states": states}
		for k, v := range in.Vars {
			b[k] = v
		}
		return &template.JSONataEnv{Bindings: b, Options: &jsonata.Options{Functions: jsonata.StepFunctions(nil)}}
	}
	if st.Arguments != nil {
		v, err := st.Arguments.EvalJSONata(env())
		out = append(out, Stage{Name: "Arguments", Field: src(st, "Arguments"), Value: v, Err: err})
		if err != nil {
			return out
		}
	}
	result := in.Input
	if producesResult(st) {
		if !in.HasResult {
			return out
		}
		result = in.Result
		states.Set("result", result)
		out = append(out, Stage{Name: "Result", Value: result})
	}
	outputT, assignT := st.Output, st.Assign
	if st.Type == asl.Choice {
		// The rule that matches brings its own Output and Assign.
		for i, r := range st.Rules {
			ok := r.Literal
			if r.Condition != nil {
				v, err := r.Condition.EvalJSONata(env())
				if err != nil {
					return append(out, Stage{Name: "Condition", Field: r.Condition.Expression(), Err: err})
				}
				ok = v == true
			}
			if ok {
				out = append(out, Stage{Name: "Condition", Field: fmt.Sprintf("Choices[%d]: %s", i, r), Value: true})
				outputT, assignT = r.Output, r.Assign
				break
			}
		}
	}
	if outputT != nil {
		v, err := outputT.EvalJSONata(env())
		out = append(out, Stage{Name: "Output", Field: src(st, "Output"), Value: v, Err: err})
		if err != nil {
			return out
		}
	} else {
		out = append(out, Stage{Name: "Output", Value: result, Default: true})
	}
	if assignT != nil {
		v, err := assignT.EvalJSONata(env())
		out = append(out, Stage{Name: "Assign", Value: v, Err: err})
	}
	return out
}

// Output returns the state's output: the value of the last stage that makes it.
func Output(stages []Stage) (value.Value, error) {
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
