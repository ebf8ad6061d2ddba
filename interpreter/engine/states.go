package engine

import (
	"math"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/dataflow"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/template"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func (e *Execution) pass(f *Frame, st *asl.State) {
	if st.IsJSONata() {
		e.completeJ(f, st, statesVar{}, st.Output, st.Assign, nextOf(st))
		return
	}
	eff, ok := e.inputPath(f, st)
	if !ok {
		return
	}
	p := dataflow.Parameters(st, eff, e.scopeOf(f, st))
	if !e.stage(f, st, p) {
		return
	}
	e.complete(f, st, p.Value)
}

func (e *Execution) succeed(f *Frame, st *asl.State) {
	if st.IsJSONata() {
		e.completeJ(f, st, statesVar{}, st.Output, nil, "")
		return
	}
	eff, ok := e.inputPath(f, st)
	if !ok {
		return
	}
	out := dataflow.OutputPath(st.OutputPath, eff, e.scopeOf(f, st))
	if !e.stage(f, st, out) {
		return
	}
	e.exit(f, st, out.Value, nil, "")
}

func (e *Execution) failState(f *Frame, st *asl.State) {
	r := &Raised{EventID: f.EnteredID}
	if st.Source.Has("Error") {
		r.Error = aws.String(st.Error)
	}
	if st.Source.Has("Cause") {
		r.Cause = aws.String(st.Cause)
	}
	var err error
	if st.ErrorExp != nil {
		if r.Error, err = e.textJ(st.ErrorExp, f, st, "Error"); err != nil {
			e.raise(f, st, err)
			return
		}
	}
	if st.CauseExp != nil {
		if r.Cause, err = e.textJ(st.CauseExp, f, st, "Cause"); err != nil {
			e.raise(f, st, err)
			return
		}
	}
	if st.ErrorPath != nil {
		if r.Error, err = e.evalText(st.ErrorPath, f, st); err != nil {
			e.raise(f, st, err)
			return
		}
	}
	if st.CausePath != nil {
		if r.Cause, err = e.evalText(st.CausePath, f, st); err != nil {
			e.raise(f, st, err)
			return
		}
	}
	e.fail(f, r)
}

// evalText evaluates a path or intrinsic whose result is used as text.
func (e *Execution) evalText(t *template.Template, f *Frame, st *asl.State) (*string, error) {
	v, err := e.evalTemplate(t, f, st, f.Input, nil, "")
	if err != nil {
		return nil, err
	}
	return aws.String(plain(v)), nil
}

func (e *Execution) choice(f *Frame, st *asl.State) {
	if st.IsJSONata() {
		e.choiceJ(f, st)
		return
	}
	eff, ok := e.inputPath(f, st)
	if !ok {
		return
	}
	sc := e.scopeOf(f, st)
	rule, next, assign := dataflow.Choose(st, eff, sc)
	if !e.stage(f, st, rule) {
		return
	}
	out, as, ok := e.assignAndOutput(f, st, assign, eff, eff, sc)
	if !ok {
		return
	}
	e.exit(f, st, out, as, next)
}

// maxWaitSeconds is the longest delay a Wait accepts: AWS stores it in a 32-bit int.
const maxWaitSeconds = math.MaxInt32

func (e *Execution) wait(f *Frame, st *asl.State) {
	eff, ok := e.inputPath(f, st)
	if !ok {
		return
	}
	f.EffInput = eff
	var delay float64
	switch {
	case st.Seconds.Expr != nil:
		n, err := e.intJ(st.Seconds.Expr, f, st, "Seconds")
		if err != nil {
			e.raise(f, st, err)
			return
		}
		if n < 0 {
			e.raise(f, st, template.QueryError(st.Seconds.Expr.Expression(), "Seconds", "returned a negative value."))
			return
		}
		delay = float64(n)
	case st.TimestampExp != nil:
		s, err := e.textJ(st.TimestampExp, f, st, "Timestamp")
		if err != nil {
			e.raise(f, st, err)
			return
		}
		t, ok := asl.ParseTimestamp(*s)
		if !ok {
			e.raise(f, st, &failure.Error{Name: failure.QueryEvaluationError, Location: "Timestamp",
				Cause: "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: " + *s})
			return
		}
		delay = t.Sub(e.now).Seconds()
	case st.Seconds.Set && st.Seconds.Path == nil:
		delay = float64(st.Seconds.Value)
	case st.Seconds.Path != nil:
		p := st.Seconds.Path
		v, err := p.Eval(e.env(f, st, eff, nil, ""))
		if err != nil {
			e.raise(f, st, failure.Newf(failure.Runtime, "The SecondsPath parameter does not reference an input value: %s", p))
			return
		}
		n, ok := v.(int64)
		if !ok {
			e.raise(f, st, failure.Newf(failure.Runtime, "The SecondsPath parameter cannot be parsed as a long value: %s == %s", p, plain(v)))
			return
		}
		if n < 0 {
			e.raise(f, st, failure.Newf(failure.Runtime, "The SecondsPath parameter references a negative value: %s == %d", p, n))
			return
		}
		delay = float64(n)
	case st.HasTimestamp:
		delay = st.Timestamp.Sub(e.now).Seconds()
	case st.TimestampPath != nil:
		p := st.TimestampPath
		v, err := p.Eval(e.env(f, st, eff, nil, ""))
		if err != nil {
			e.raise(f, st, failure.Newf(failure.Runtime, "The TimestampPath parameter does not reference an input value: %s", p))
			return
		}
		s, _ := v.(string)
		t, ok := asl.ParseTimestamp(s)
		if !ok {
			e.raise(f, st, failure.Newf(failure.Runtime, "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: %s == %s", p, plain(v)))
			return
		}
		delay = t.Sub(e.now).Seconds()
	}
	if delay > maxWaitSeconds {
		e.raise(f, st, failure.New(failure.Runtime, "Wait state delay is too long."))
		return
	}
	if delay < 0 {
		delay = 0
	}
	f.Phase = PhaseWait
	f.Seq++
	e.startTimer(f, TimerWait, e.scaled(delay))
}

func (e *Execution) waitElapsed(f *Frame) {
	st := f.scope.States[f.State]
	f.Phase = PhaseReady
	if st.IsJSONata() {
		e.completeJ(f, st, statesVar{}, st.Output, st.Assign, nextOf(st))
		return
	}
	out, as, ok := e.assignAndOutput(f, st, st.Assign, f.EffInput, f.EffInput, e.scopeOf(f, st))
	if !ok {
		return
	}
	e.exit(f, st, out, as, nextOf(st))
}

// plain prints a value in a cause the way AWS does: strings bare, the rest as JSON.
func plain(v value.Value) string {
	if s, ok := v.(string); ok {
		return s
	}
	return value.String(v)
}

// intFromPath reads a *Path field that must hold an integer; numbers written as
// strings are accepted, as AWS does.
func intFromPath(v value.Value) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case float64:
		return value.ToInt(x)
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		return n, err == nil
	}
	return 0, false
}

func floatFromPath(v value.Value) (float64, bool) {
	switch x := v.(type) {
	case int64, float64:
		return value.ToFloat(x)
	case string:
		n, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return n, err == nil
	}
	return 0, false
}

// resolveInt reads an IntOrPath for a state; field names the literal field.
func (e *Execution) resolveInt(f *Frame, st *asl.State, iop asl.IntOrPath, field string, input value.Value) (int64, error) {
	if iop.Expr != nil {
		return e.intJ(iop.Expr, f, st, field)
	}
	if iop.Path == nil {
		return iop.Value, nil
	}
	v, err := iop.Path.Eval(e.env(f, st, input, nil, ""))
	if err != nil {
		return 0, failure.InvalidPath(iop.Path, err)
	}
	n, ok := intFromPath(v)
	if !ok {
		return 0, failure.Newf(failure.Runtime, "The %sPath field refers to value \"%s\" which is not a valid integer: %s", field, plain(v), iop.Path)
	}
	return n, nil
}
