package pages

import (
	"context"
	"encoding/json"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/value"
	"github.com/stepdeck/stepdeck/ui/components/jsonview"
)

// The selected state tested in isolation (X), as `stepdeck test-state` and AWS's
// TestState do: with the input and variables it has at the stop, a mocked result for a
// Task (typed in first), every stage at inspection level DEBUG and the next state, in
// the lower pane. The backend's own TestState runs it: the local engine's, or AWS's on a
// machine stepped through on AWS.

var keyTestState = key.NewBinding(key.WithKeys("X"), key.WithHelp("X", "test this state (TestState)"))

type testStateMsg struct {
	owner *Debugger
	state string
	out   *sfn.TestStateOutput
	err   error
}

// testStateOf finds TestState under the API's wrappers.
func testStateOf(api client.API) (client.TestStateAPI, bool) {
	for api != nil {
		if t, ok := api.(client.TestStateAPI); ok {
			return t, true
		}
		w, ok := api.(interface{ Unwrap() client.API })
		if !ok {
			return nil, false
		}
		api = w.Unwrap()
	}
	return nil, false
}

// testState starts a test of the selected state: a Task first asks for its mocked
// result.
func (d *Debugger) testState() tea.Cmd {
	ts, ok := testStateOf(d.c.API)
	if !ok {
		return fail(fmt.Errorf("this backend has no TestState"))
	}
	st := d.s.Definition().Find(d.selected)
	if st == nil {
		return fail(fmt.Errorf("select a state to test"))
	}
	input := d.lastInput(d.selected)
	var vars map[string]value.Value
	if h := d.current(); h != nil && h.State == d.selected {
		vars = h.Vars
	}
	run := func(mocked value.Value) tea.Cmd {
		in := d.testStateInput(st, input, vars, mocked)
		name := d.selected
		return func() tea.Msg {
			ctx, cancel := callCtx(context.Background())
			defer cancel()
			out, err := ts.TestState(ctx, in)
			return testStateMsg{owner: d, state: name, out: out, err: err}
		}
	}
	if st.Type != asl.Task {
		return run(nil)
	}
	d.form = newJSONForm(d.c, "Result "+d.selected+" answers with, for TestState (ctrl+s runs it)", "{}", run)
	d.form.onClose = func() { d.form = nil }
	return d.form.focus()
}

func (d *Debugger) testStateInput(st *asl.State, input value.Value, vars map[string]value.Value, mocked value.Value) *sfn.TestStateInput {
	def := value.NewObject(0)
	if st.Source != nil {
		def = st.Source.Clone()
	}
	// A state alone does not inherit the machine's query language: say it.
	if _, set := def.Get("QueryLanguage"); !set && d.s.Definition().QueryLanguage != "" {
		def.Set("QueryLanguage", d.s.Definition().QueryLanguage)
	}
	in := &sfn.TestStateInput{Definition: aws.String(value.String(def)), Input: aws.String(value.String(input)),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/stepdeck-debug"), InspectionLevel: types.InspectionLevelDebug}
	if len(vars) > 0 {
		in.Variables = aws.String(value.String(varsToObject(vars)))
	}
	if mocked != nil {
		in.Mock = &types.MockInput{Result: aws.String(value.String(mocked))}
	}
	return in
}

func varsToObject(vars map[string]value.Value) *value.Object {
	o := value.NewObject(len(vars))
	for k, v := range vars {
		o.Set(k, v)
	}
	return o
}

// testStated shows a test's answer in the lower pane.
func (d *Debugger) testStated(m testStateMsg) tea.Cmd {
	if m.owner != d {
		return nil
	}
	if m.err != nil {
		return fail(fmt.Errorf("TestState of %s: %w", m.state, m.err))
	}
	o := m.out
	header := []string{fmt.Sprintf("TestState of %s: %s · next %s (v goes back to the data flow)", m.state, o.Status, orNone(aws.ToString(o.NextState)))}
	var sections []jsonview.Section
	if o.Output != nil {
		sections = append(sections, jsonview.Section{Label: "output", Text: aws.ToString(o.Output)})
	}
	if o.Error != nil || o.Cause != nil {
		sections = append(sections, jsonview.Section{Label: "error " + aws.ToString(o.Error), Text: aws.ToString(o.Cause)})
	}
	if o.InspectionData != nil {
		if b, err := json.Marshal(o.InspectionData); err == nil {
			sections = append(sections, jsonview.Section{Label: "inspection data (every stage)", Text: string(b)})
		}
	}
	if d.tested == nil {
		d.tested = jsonview.New(d.c.Styles)
	}
	d.tested.SetContent(fmt.Sprint(m.state, len(d.events)), header, sections)
	d.showTested = true
	return nil
}
