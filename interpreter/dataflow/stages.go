package dataflow

import (
	"fmt"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/template"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// The stage functions below are the one implementation of each stage: the engine calls
// them as it runs a state, Trace composes them over recorded data. Each returns the
// stage with its value, or with the error the state raises (worded as AWS words it).
// They leave Field empty: Describe fills it in for display. Each keeps the common case
// (a field the state does not have) small enough to inline, since the engine runs them
// for every state, and calls a helper for the rest.

// Scope is what a state's paths and templates read besides the document they apply
// to: the context object ($$) and the workflow variables.
type Scope struct {
	// Context may be nil for a state whose fields do not mention $$.
	Context value.Value
	Vars    jsonpath.Variables // nil: no variables are set
}

// Env is the environment of a path or template applied to doc.
func (sc Scope) Env(doc value.Value) *jsonpath.Env {
	return &jsonpath.Env{Input: doc, Context: sc.Context, Vars: sc.Vars}
}

// InputPath selects the part of a state's input it works on (the zero OptionalPath, an
// absent field, selects all of it).
func InputPath(op asl.OptionalPath, input value.Value, sc Scope) Stage {
	if op == (asl.OptionalPath{}) {
		return Stage{Name: "InputPath", Value: input, Default: true}
	}
	return applyPath("InputPath", op, input, sc)
}

// OutputPath selects the part of doc the state passes on.
func OutputPath(op asl.OptionalPath, doc value.Value, sc Scope) Stage {
	if op == (asl.OptionalPath{}) {
		return Stage{Name: "OutputPath", Value: doc, Default: true}
	}
	return applyPath("OutputPath", op, doc, sc)
}

func applyPath(name string, op asl.OptionalPath, doc value.Value, sc Scope) Stage {
	if op.Null {
		return Stage{Name: name, Value: value.NewObject(0)}
	}
	v, err := op.Path.Eval(sc.Env(doc))
	if err != nil {
		return Stage{Name: name, Err: failure.InvalidPath(op.Path, err)}
	}
	return Stage{Name: name, Value: v}
}

// Parameters builds the input of a state's work from its effective input: a Pass
// state's Result replaces it (a stage named Result), Parameters shapes it, and without
// either it passes on unchanged.
func Parameters(st *asl.State, eff value.Value, sc Scope) Stage {
	if st.Parameters == nil && !st.HasResult {
		return Stage{Name: "Parameters", Value: eff, Default: true}
	}
	return shapeInput(st, eff, sc)
}

func shapeInput(st *asl.State, eff value.Value, sc Scope) Stage {
	switch {
	case st.Type == asl.Pass && st.HasResult:
		return Stage{Name: "Result", Value: st.Result}
	case st.Parameters != nil:
		return evalStage("Parameters", st.Parameters, eff, sc)
	}
	return Stage{Name: "Parameters", Value: eff, Default: true}
}

// Result is what a Task, Parallel or Map produced.
func Result(v value.Value) Stage { return Stage{Name: "Result", Value: v} }

// ResultSelector shapes a result; without one it passes on unchanged.
func ResultSelector(t *template.Template, result value.Value, sc Scope) Stage {
	if t == nil {
		return Stage{Name: "ResultSelector", Value: result, Default: true}
	}
	return evalStage("ResultSelector", t, result, sc)
}

// ResultPath puts the result into the state's input: absent, the result replaces it;
// null, the input passes on and the result is dropped.
func ResultPath(rp asl.ResultPath, input, result value.Value) Stage {
	if rp.Ref == nil && !rp.Null {
		return Stage{Name: "ResultPath", Value: result, Default: true}
	}
	return placeResult(rp, input, result)
}

func placeResult(rp asl.ResultPath, input, result value.Value) Stage {
	if rp.Null {
		return Stage{Name: "ResultPath", Value: input}
	}
	v, err := rp.Ref.Set(input, result)
	if err != nil {
		return Stage{Name: "ResultPath", Err: failure.InvalidPath(rp.Ref, err)}
	}
	return Stage{Name: "ResultPath", Value: v}
}

// Assign computes an Assign block over doc (a JSONPath state's result, or its
// effective input where it has none). Its value is the object of the variables set;
// nothing is written here.
func Assign(t *template.Template, doc value.Value, sc Scope) Stage {
	return evalStage("Assign", t, doc, sc)
}

func evalStage(name string, t *template.Template, doc value.Value, sc Scope) Stage {
	v, err := t.Eval(sc.Env(doc))
	if err != nil {
		return Stage{Name: name, Err: err}
	}
	return Stage{Name: name, Value: v}
}

// noChoice is the error of a Choice no rule matched that has no Default.
func noChoice() *failure.Error { return failure.New(failure.NoChoiceMatched, "No Matches!") }

// Choose finds the rule of a JSONPath Choice that matches its effective input, as a
// Condition stage (Rule is the rule's index, -1 for Default), and what follows from it:
// the next state and the Assign to apply (the rule's own, else the state's).
func Choose(st *asl.State, eff value.Value, sc Scope) (s Stage, next string, assign *template.Template) {
	env := sc.Env(eff)
	for i, r := range st.Choices {
		ok, err := r.Evaluate(env)
		if err != nil {
			return Stage{Name: "Condition", Rule: i, Err: err}, "", nil
		}
		if ok {
			assign = st.Assign
			if i < len(st.ChoiceAssign) && st.ChoiceAssign[i] != nil {
				assign = st.ChoiceAssign[i]
			}
			return Stage{Name: "Condition", Rule: i, Value: true}, r.Next(), assign
		}
	}
	if st.Default == "" {
		return Stage{Name: "Condition", Rule: -1, Err: noChoice()}, "", nil
	}
	return Stage{Name: "Condition", Rule: -1, Value: false, Default: true}, st.Default, st.Assign
}

// Describe fills in a stage's Field: the definition's text it came from, for display.
func Describe(st *asl.State, s Stage) Stage {
	switch s.Name {
	case "InputPath":
		s.Field = optionalText(st.InputPath)
	case "OutputPath":
		s.Field = optionalText(st.OutputPath)
	case "Result":
		if st.Type == asl.Pass && st.HasResult {
			s.Field = value.String(st.Result)
		}
	case "Condition":
		s.Field = conditionText(st, s)
	case "Parameters", "ResultSelector", "ResultPath", "Arguments", "Output":
		s.Field = src(st, s.Name)
	}
	return s
}

func optionalText(op asl.OptionalPath) string {
	switch {
	case op.Null:
		return "null"
	case op.Path != nil:
		return op.Path.String()
	}
	return ""
}

func conditionText(st *asl.State, s Stage) string {
	switch {
	case s.Rule < 0 && s.Err != nil:
		return "no rule matched and there is no Default"
	case s.Rule < 0:
		return "Default → " + st.Default
	case st.IsJSONata() && s.Rule < len(st.Rules):
		r := st.Rules[s.Rule]
		if s.Err != nil && r.Condition != nil {
			return r.Condition.Expression()
		}
		return fmt.Sprintf("Choices[%d]: %s → %s", s.Rule, r, r.Next)
	case !st.IsJSONata() && s.Rule < len(st.Choices):
		r := st.Choices[s.Rule]
		if s.Err != nil {
			return fmt.Sprintf("Choices[%d]: %s", s.Rule, r)
		}
		return fmt.Sprintf("Choices[%d]: %s → %s", s.Rule, r, r.Next())
	}
	return ""
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
