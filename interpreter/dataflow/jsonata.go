package dataflow

import (
	"fmt"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/template"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// The stages of a JSONata state read $states and the variables through an environment
// the caller builds (the engine with its clock, random source and time limit); env is
// called once for each expression evaluated, so none is built for a field the state
// does not have.

// States is what $states holds.
type States struct {
	Input value.Value
	// Context is $states.context; nil leaves it out.
	Context value.Value
	// Result is the task's, Parallel's or Map's result, where HasResult says there is
	// one; ErrorOutput is the error a catcher receives, nil elsewhere.
	Result      value.Value
	HasResult   bool
	ErrorOutput value.Value
}

// Object builds $states.
func (s States) Object() *value.Object {
	o := value.NewObject(4)
	o.Set("input", s.Input)
	if s.Context != nil {
		o.Set("context", s.Context)
	}
	if s.HasResult {
		o.Set("result", s.Result)
	}
	if s.ErrorOutput != nil {
		o.Set("errorOutput", s.ErrorOutput)
	}
	return o
}

// Arguments builds the input of a JSONata state's work.
func Arguments(t *template.Template, env func() *template.JSONataEnv) Stage {
	return evalJSONata("Arguments", t, env)
}

// Output computes a JSONata state's output; without an Output field it is dflt (the
// result where the state has one, else its input).
func Output(t *template.Template, dflt value.Value, env func() *template.JSONataEnv) Stage {
	if t == nil {
		return Stage{Name: "Output", Value: dflt, Default: true}
	}
	return evalJSONata("Output", t, env)
}

// AssignJSONata computes a JSONata Assign block; nothing is written here.
func AssignJSONata(t *template.Template, env func() *template.JSONataEnv) Stage {
	return evalJSONata("Assign", t, env)
}

func evalJSONata(name string, t *template.Template, env func() *template.JSONataEnv) Stage {
	v, err := t.EvalJSONata(env())
	if err != nil {
		return Stage{Name: name, Err: err}
	}
	return Stage{Name: name, Value: v}
}

// ChooseJSONata finds the first rule of a JSONata Choice whose Condition holds, as a
// Condition stage (Rule is its index, -1 for Default). The rule brings its own Next,
// Output and Assign; a nil rule means the state's Default with the state's Output and
// Assign.
func ChooseJSONata(st *asl.State, env func() *template.JSONataEnv) (Stage, *asl.Rule) {
	for i, r := range st.Rules {
		ok := r.Literal
		if r.Condition != nil {
			v, err := r.Condition.EvalJSONata(env())
			if err != nil {
				return Stage{Name: "Condition", Rule: i, Err: err}, nil
			}
			b, isBool := v.(bool)
			if !isBool {
				return Stage{Name: "Condition", Rule: i, Err: template.QueryError(r.Condition.Expression(), "Condition",
					fmt.Sprintf("returned an unexpected result type. Expected 'boolean', but was '%s' for value: %s", value.KindOf(v), value.String(v)))}, nil
			}
			ok = b
		}
		if ok {
			return Stage{Name: "Condition", Rule: i, Value: true}, r
		}
	}
	if st.Default == "" {
		return Stage{Name: "Condition", Rule: -1, Err: noChoice()}, nil
	}
	return Stage{Name: "Condition", Rule: -1, Value: false, Default: true}, nil
}
