package engine

import (
	"errors"
	"fmt"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/template"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// env returns the documents paths of a state can read. The context object is built
// only for states whose definition mentions it.
func (e *Execution) env(f *Frame, st *asl.State, input value.Value, item *mapItem, token string) *jsonpath.Env {
	env := &jsonpath.Env{Input: input, Variable: f.Vars.lookup}
	if st.UsesContext || item != nil || token != "" {
		env.Context = e.contextObject(f, st, item, token)
	}
	return env
}

func (v *Vars) lookup(name string) (value.Value, bool) { return v.Get(name) }

// pathFailure words a failed path as AWS does.
func pathFailure(p fmt.Stringer, err error) *failure.Error {
	var fe *failure.Error
	if errors.As(err, &fe) {
		return fe
	}
	return failure.Newf(failure.Runtime, "Invalid path '%s' : %s", p, err.Error())
}

func (e *Execution) inputPath(f *Frame, st *asl.State) (value.Value, error) {
	switch {
	case st.InputPath.Null:
		e.inspect(st, "afterInputPath", value.NewObject(0))
		return value.NewObject(0), nil
	case st.InputPath.Path == nil:
		if !st.IsJSONata() {
			e.inspect(st, "afterInputPath", f.Input)
		}
		return f.Input, nil
	}
	v, err := st.InputPath.Path.Eval(e.env(f, st, f.Input, nil, ""))
	if err != nil {
		return nil, pathFailure(st.InputPath.Path, err)
	}
	e.inspect(st, "afterInputPath", v)
	return v, nil
}

func (e *Execution) outputPath(f *Frame, st *asl.State, v value.Value) (value.Value, error) {
	switch {
	case st.OutputPath.Null:
		return value.NewObject(0), nil
	case st.OutputPath.Path == nil:
		return v, nil
	}
	out, err := st.OutputPath.Path.Eval(e.env(f, st, v, nil, ""))
	if err != nil {
		return nil, pathFailure(st.OutputPath.Path, err)
	}
	return out, nil
}

func resultPath(rp asl.ResultPath, raw, result value.Value) (value.Value, error) {
	switch {
	case rp.Null:
		return raw, nil
	case rp.Ref == nil:
		return result, nil
	}
	out, err := rp.Ref.Set(raw, result)
	if err != nil {
		return nil, pathFailure(rp.Ref, err)
	}
	return out, nil
}

func (e *Execution) evalTemplate(t *template.Template, f *Frame, st *asl.State, input value.Value, item *mapItem, token string) (value.Value, error) {
	return t.Eval(e.env(f, st, input, item, token))
}

type assignment struct {
	name  string
	value value.Value
}

// evalAssign computes an Assign block. Nothing is written yet: every Assign and Output
// of a state sees the variables as they were when the state was entered.
func (e *Execution) evalAssign(t *template.Template, f *Frame, st *asl.State, dollar value.Value) ([]assignment, error) {
	if t == nil {
		return nil, nil
	}
	v, err := e.evalTemplate(t, f, st, dollar, nil, "")
	if err != nil {
		return nil, err
	}
	o, _ := v.(*value.Object)
	if o.Len() == 0 {
		return nil, nil // AWS records no assignedVariables for an empty Assign
	}
	out := make([]assignment, 0, o.Len())
	for i := 0; i < o.Len(); i++ {
		k, x := o.At(i)
		out = append(out, assignment{name: k, value: x})
	}
	return out, nil
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

// inspect hands a step of a state's data processing to Options.Inspect.
func (e *Execution) inspect(st *asl.State, stage string, v value.Value) {
	if e.Opts.Inspect != nil {
		e.Opts.Inspect(st.Name, stage, v)
	}
}
