package engine

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/jsonata"
	"github.com/stepdeck/stepdeck/interpreter/template"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// States in the JSONata query language read their data through $states (input, context,
// and, where they exist, result and errorOutput) and the variables, and shape it with
// Arguments, Output and Assign instead of the JSONPath fields.

// statesVar builds $states for a JSONata state.
type statesVar struct {
	result      value.Value
	hasResult   bool
	errorOutput value.Value
	item        *mapItem
	token       string
}

// jsonataTimeLimit bounds one expression's evaluation, so a runaway expression fails
// its state (U1001, a States.QueryEvaluationError) instead of holding the engine.
const jsonataTimeLimit = 10 * time.Second

func (e *Execution) jsonataEnv(f *Frame, st *asl.State, sv statesVar) *template.JSONataEnv {
	states := value.NewObject(4)
	states.Set("input", f.Input)
	states.Set("context", e.contextObject(f, st, sv.item, sv.token))
	if sv.hasResult {
		states.Set("result", sv.result)
	}
	if sv.errorOutput != nil {
		states.Set("errorOutput", sv.errorOutput)
	}
	bindings := map[string]value.Value{"states": states}
	for vs := f.Vars; vs != nil; vs = vs.Parent {
		for k, v := range vs.m {
			if _, inner := bindings[k]; !inner {
				bindings[k] = v
			}
		}
	}
	if e.jsonataFuncs == nil {
		e.jsonataFuncs = e.Opts.JSONataFunctions
		if e.jsonataFuncs == nil {
			e.jsonataFuncs = jsonata.StepFunctions(e.Opts.Rand)
		}
	}
	opts := &jsonata.Options{Functions: e.jsonataFuncs, Now: func() time.Time { return e.now },
		Deadline: time.Now().Add(jsonataTimeLimit)}
	return &template.JSONataEnv{Bindings: bindings, Options: opts}
}

func (e *Execution) evalJ(t *template.Template, f *Frame, st *asl.State, sv statesVar) (value.Value, error) {
	return t.EvalJSONata(e.jsonataEnv(f, st, sv))
}

// evalAssignJ computes a JSONata Assign block; nothing is written yet.
func (e *Execution) evalAssignJ(t *template.Template, f *Frame, st *asl.State, sv statesVar) ([]assignment, error) {
	if t == nil {
		return nil, nil
	}
	v, err := e.evalJ(t, f, st, sv)
	if err != nil {
		return nil, err
	}
	o, _ := v.(*value.Object)
	if o.Len() == 0 {
		return nil, nil
	}
	out := make([]assignment, 0, o.Len())
	for i := 0; i < o.Len(); i++ {
		k, x := o.At(i)
		out = append(out, assignment{name: k, value: x})
	}
	return out, nil
}

// completeJ finishes a JSONata state: Output (by default the result where the state
// has one, else its input) and Assign, then the Exited event and the transition.
func (e *Execution) completeJ(f *Frame, st *asl.State, sv statesVar, output *template.Template, assign *template.Template, next string) {
	out := f.Input
	if sv.hasResult {
		out = sv.result
	}
	as, err := e.evalAssignJ(assign, f, st, sv)
	if err != nil {
		e.raise(f, st, err)
		return
	}
	if output != nil {
		if out, err = e.evalJ(output, f, st, sv); err != nil {
			e.raise(f, st, err)
			return
		}
	}
	if tooBig(out) {
		e.raise(f, st, dataLimit(st.Name))
		return
	}
	id := e.emitExited(f, st, f.Prev, out, as)
	f.assign(as)
	e.transition(f, next, out, id)
}

func nextOf(st *asl.State) string {
	if st.End {
		return ""
	}
	return st.Next
}

// choiceJ picks the first rule whose Condition holds.
func (e *Execution) choiceJ(f *Frame, st *asl.State) {
	for i, r := range st.Rules {
		ok := r.Literal
		if r.Condition != nil {
			v, err := e.evalJ(r.Condition, f, st, statesVar{})
			if err != nil {
				e.raise(f, st, err)
				return
			}
			b, isBool := v.(bool)
			if !isBool {
				e.raise(f, st, template.QueryError(r.Condition.Expression(), "Condition",
					fmt.Sprintf("returned an unexpected result type. Expected 'boolean', but was '%s' for value: %s", value.KindOf(v), value.String(v))))
				return
			}
			ok = b
		}
		if ok {
			e.inspect(st, "choiceRule", float64(i))
			e.completeJ(f, st, statesVar{}, r.Output, r.Assign, r.Next)
			return
		}
	}
	if st.Default == "" {
		e.raise(f, st, failure.New(failure.NoChoiceMatched, "No Matches!"))
		return
	}
	e.inspect(st, "choiceRule", float64(-1))
	e.completeJ(f, st, statesVar{}, st.Output, st.Assign, st.Default)
}

// caughtJ sends an error to a JSONata catcher: Output defaults to the error output.
func (e *Execution) caughtJ(f *Frame, st *asl.State, c *asl.Catcher, r *Raised) {
	errOut := errorOutput(r)
	f.Prev = r.EventID
	sv := statesVar{errorOutput: errOut}
	as, err := e.evalAssignJ(c.Assign, f, st, sv)
	out := value.Value(errOut)
	if err == nil && c.Output != nil {
		out, err = e.evalJ(c.Output, f, st, sv)
	}
	if err == nil && tooBig(out) {
		err = dataLimit(st.Name)
	}
	if err != nil {
		fe := asFailure(err)
		e.fail(f, &Raised{Error: aws.String(fe.Name), Cause: aws.String(fe.Cause), EventID: r.EventID, Uncatchable: true})
		return
	}
	id := e.emitExited(f, st, r.EventID, out, as)
	f.assign(as)
	e.transition(f, c.Next, out, id)
}

// emitEvaluationFailed records a failed JSONata expression as AWS does, before the
// error itself is handled, and returns the event's id.
func (e *Execution) emitEvaluationFailed(f *Frame, st *asl.State, fe *failure.Error, cause string) int64 {
	var d any
	if e.record() {
		x := &types.EvaluationFailedEventDetails{State: aws.String(st.Name), Error: aws.String(fe.Name), Cause: aws.String(cause)}
		if fe.Location != "" {
			x.Location = aws.String(fe.Location)
		}
		d = x
	}
	// AWS evaluates a state's Arguments, Items, Output and Assign as one step with its
	// entry, so the failure names the same cause as the Entered event; a Wait's duration
	// is evaluated once the state has been entered, so its failure follows the Entered.
	prev := f.EnteredPrev
	if st.Type == asl.Wait && (fe.Location == "Seconds" || fe.Location == "Timestamp") {
		prev = f.EnteredID
	}
	return e.emit(types.HistoryEventTypeEvaluationFailed, prev, d)
}

// textJ evaluates a JSONata expression that must give a string (a Fail's Error/Cause).
func (e *Execution) textJ(t *template.Template, f *Frame, st *asl.State, field string) (*string, error) {
	v, err := e.evalJ(t, f, st, statesVar{})
	if err != nil {
		return nil, err
	}
	s, ok := v.(string)
	if !ok {
		return nil, template.QueryError(t.Expression(), field,
			fmt.Sprintf("returned an unexpected result type. Expected 'string', but was '%s' for value: %s", value.KindOf(v), value.String(v)))
	}
	return &s, nil
}

// intJ evaluates a JSONata expression that must give an integer.
func (e *Execution) intJ(t *template.Template, f *Frame, st *asl.State, field string) (int64, error) {
	v, err := e.evalJ(t, f, st, statesVar{})
	if err != nil {
		return 0, err
	}
	n, ok := value.ToInt(v)
	if !ok {
		return 0, template.QueryError(t.Expression(), field,
			fmt.Sprintf("returned an unexpected result type. Expected 'integer', but was '%s' for value: %s", value.KindOf(v), value.String(v)))
	}
	return n, nil
}
