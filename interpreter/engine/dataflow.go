package engine

import (
	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/dataflow"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/template"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// A state's data flow (InputPath, Parameters or Arguments, ResultSelector, ResultPath,
// Assign, OutputPath or Output) is computed by package dataflow's stage functions; the
// engine calls them in order, hands each stage to Options.Flow and raises the error of
// one that failed.

// FlowStage is a stage of a state's data flow as the engine computed it.
type FlowStage struct {
	State string
	// Entered is the id of the Entered event of the state's run (0 in a distributed
	// Map's child executions, whose events are not recorded), Attempt the number of
	// retries before this attempt of it (a retry computes the stages again).
	Entered int64
	Attempt int64
	dataflow.Stage
}

// scopeOf is what the paths of a state's own fields read besides their document. The
// context object is built only for states whose definition mentions it.
func (e *Execution) scopeOf(f *Frame, st *asl.State) dataflow.Scope {
	if st.UsesContext {
		return e.scope(f, st, nil, "")
	}
	return dataflow.Scope{Vars: f.Vars}
}

// scope is scopeOf for the paths that also see a Map item (ItemSelector) or a task
// token ($$.Task.Token).
func (e *Execution) scope(f *Frame, st *asl.State, item *mapItem, token string) dataflow.Scope {
	sc := dataflow.Scope{Vars: f.Vars}
	if st.UsesContext || item != nil || token != "" {
		sc.Context = e.contextObject(f, st, item, token)
	}
	return sc
}

// env returns the documents a path of a state applied to input can read.
func (e *Execution) env(f *Frame, st *asl.State, input value.Value, item *mapItem, token string) *jsonpath.Env {
	return e.scope(f, st, item, token).Env(input)
}

// flow hands a stage the engine computed to Options.Flow.
func (e *Execution) flow(f *Frame, st *asl.State, s dataflow.Stage) {
	if e.Opts.Flow != nil {
		e.Opts.Flow(FlowStage{State: st.Name, Entered: f.EnteredID, Attempt: f.RetryCount, Stage: dataflow.Describe(st, s)})
	}
}

// stage hands a stage to Options.Flow and reports whether the state goes on: when the
// stage failed, its error is raised. (It is small enough to inline: a state runs
// several stages, and most go on with no Flow to hand them to.)
func (e *Execution) stage(f *Frame, st *asl.State, s dataflow.Stage) bool {
	if e.Opts.Flow == nil && s.Err == nil {
		return true
	}
	return e.handOn(f, st, s)
}

func (e *Execution) handOn(f *Frame, st *asl.State, s dataflow.Stage) bool {
	e.flow(f, st, s)
	if s.Err != nil {
		e.raise(f, st, s.Err)
		return false
	}
	return true
}

// inputPath is the state's effective input; a JSONata state has no InputPath.
func (e *Execution) inputPath(f *Frame, st *asl.State) (value.Value, bool) {
	if st.IsJSONata() {
		return f.Input, true
	}
	s := dataflow.InputPath(st.InputPath, f.Input, e.scopeOf(f, st))
	return s.Value, e.stage(f, st, s)
}

// parameters is the input of a Task's or Parallel's work (Parameters or Arguments);
// token is a callback task's token, which $$.Task.Token reads.
func (e *Execution) parameters(f *Frame, st *asl.State, eff value.Value, token string) (value.Value, bool) {
	if !st.IsJSONata() {
		s := dataflow.Parameters(st, eff, e.scope(f, st, nil, token))
		return s.Value, e.stage(f, st, s)
	}
	if st.Arguments == nil {
		return eff, true
	}
	s := dataflow.Arguments(st.Arguments, e.jsonataEnvOf(f, st, statesVar{token: token}))
	return s.Value, e.stage(f, st, s)
}

// assign computes a JSONPath Assign block over doc. Nothing is written yet: every
// Assign and Output of a state sees the variables as they were when it was entered.
func (e *Execution) assign(f *Frame, st *asl.State, t *template.Template, doc value.Value, sc dataflow.Scope) ([]assignment, bool) {
	s := dataflow.Assign(t, doc, sc)
	return assignments(s.Value), e.stage(f, st, s)
}

// assignAndOutput ends a JSONPath state's data flow: Assign over assignDoc (the
// result, or the effective input where there is none), then OutputPath over doc.
func (e *Execution) assignAndOutput(f *Frame, st *asl.State, assignT *template.Template, assignDoc, doc value.Value, sc dataflow.Scope) (value.Value, []assignment, bool) {
	var as []assignment
	if assignT != nil {
		var ok bool
		if as, ok = e.assign(f, st, assignT, assignDoc, sc); !ok {
			return nil, nil, false
		}
	}
	out := dataflow.OutputPath(st.OutputPath, doc, sc)
	return out.Value, as, e.stage(f, st, out)
}

// exit records a state's Exited event with its output and assignments, sets the
// variables and moves on to next.
func (e *Execution) exit(f *Frame, st *asl.State, out value.Value, as []assignment, next string) {
	id := e.emitExited(f, st, f.Prev, out, as)
	f.assign(as)
	e.transition(f, next, out, id)
}

func (e *Execution) evalTemplate(t *template.Template, f *Frame, st *asl.State, input value.Value, item *mapItem, token string) (value.Value, error) {
	return t.Eval(e.env(f, st, input, item, token))
}

type assignment struct {
	name  string
	value value.Value
}

// assignments lists the variables an Assign block's value sets.
func assignments(v value.Value) []assignment {
	o, _ := v.(*value.Object)
	if o.Len() == 0 {
		return nil // AWS records no assignedVariables for an empty Assign
	}
	out := make([]assignment, 0, o.Len())
	for i := 0; i < o.Len(); i++ {
		k, x := o.At(i)
		out = append(out, assignment{name: k, value: x})
	}
	return out
}

func (f *Frame) assign(as []assignment) {
	for _, a := range as {
		f.Vars.Set(a.name, a.value)
	}
}

// tooBig reports whether v is over the payload quota.
func tooBig(v value.Value) bool { return value.EncodedLen(v) > MaxPayloadBytes }

func dataLimit(name string) *failure.Error {
	return failure.Newf(failure.DataLimitExceeded, "The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", name)
}
