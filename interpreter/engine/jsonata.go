package engine

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/dataflow"
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
	states := dataflow.States{Input: f.Input, Context: e.contextObject(f, st, sv.item, sv.token),
		Result: sv.result, HasResult: sv.hasResult, ErrorOutput: sv.errorOutput}
	bindings := map[string]value.Value{"states": states.Object()}
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

// jsonataEnvOf builds the environment for each expression it is asked for.
func (e *Execution) jsonataEnvOf(f *Frame, st *asl.State, sv statesVar) func() *template.JSONataEnv {
	return func() *template.JSONataEnv { return e.jsonataEnv(f, st, sv) }
}

func (e *Execution) evalJ(t *template.Template, f *Frame, st *asl.State, sv statesVar) (value.Value, error) {
	return t.EvalJSONata(e.jsonataEnv(f, st, sv))
}

// completeJ finishes a JSONata state: Assign and Output (by default the result where
// the state has one, else its input), then the Exited event and the transition. Nothing
// is assigned before both are computed: each sees the variables as they were.
func (e *Execution) completeJ(f *Frame, st *asl.State, sv statesVar, output *template.Template, assign *template.Template, next string) {
	env := e.jsonataEnvOf(f, st, sv)
	var as []assignment
	if assign != nil {
		s := dataflow.AssignJSONata(assign, env)
		if !e.stage(f, st, s) {
			return
		}
		as = assignments(s.Value)
	}
	dflt := f.Input
	if sv.hasResult {
		dflt = sv.result
	}
	out := dataflow.Output(output, dflt, env)
	if !e.stage(f, st, out) {
		return
	}
	if tooBig(out.Value) {
		e.raise(f, st, dataLimit(st.Name))
		return
	}
	e.exit(f, st, out.Value, as, next)
}

func nextOf(st *asl.State) string {
	if st.End {
		return ""
	}
	return st.Next
}

// choiceJ picks the first rule whose Condition holds.
func (e *Execution) choiceJ(f *Frame, st *asl.State) {
	c, rule := dataflow.ChooseJSONata(st, e.jsonataEnvOf(f, st, statesVar{}))
	if !e.stage(f, st, c) {
		return
	}
	if rule != nil {
		e.completeJ(f, st, statesVar{}, rule.Output, rule.Assign, rule.Next)
		return
	}
	e.completeJ(f, st, statesVar{}, st.Output, st.Assign, st.Default)
}

// caughtJ sends an error to a JSONata catcher: Output defaults to the error output.
func (e *Execution) caughtJ(f *Frame, st *asl.State, c *asl.Catcher, r *Raised) {
	errOut := errorOutput(r)
	f.Prev = r.EventID
	env := e.jsonataEnvOf(f, st, statesVar{errorOutput: errOut})
	var as []assignment
	var err error
	if c.Assign != nil {
		s := dataflow.AssignJSONata(c.Assign, env)
		as, err = assignments(s.Value), s.Err
	}
	out := value.Value(errOut)
	if err == nil {
		s := dataflow.Output(c.Output, errOut, env)
		out, err = s.Value, s.Err
	}
	if err == nil && tooBig(out) {
		err = dataLimit(st.Name)
	}
	if err != nil {
		fe := asFailure(err)
		e.fail(f, &Raised{Error: aws.String(fe.Name), Cause: aws.String(fe.Cause), EventID: r.EventID, Uncatchable: true})
		return
	}
	e.exit(f, st, out, as, c.Next)
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
