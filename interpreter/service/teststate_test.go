package service

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

func TestTestStateStatuses(t *testing.T) {
	s := newService(t, "", Config{})
	task := `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultPath":"$.r",
		"Retry":[{"ErrorEquals":["Busy"],"MaxAttempts":2}],"Catch":[{"ErrorEquals":["Bad"],"Next":"Recover"}],"Next":"After"}`
	failWith := func(name string) *types.MockInput {
		return &types.MockInput{ErrorOutput: &types.MockErrorOutput{Error: aws.String(name), Cause: aws.String("why")}}
	}
	for _, c := range []struct {
		name   string
		mock   *types.MockInput
		status types.TestExecutionStatus
		next   string
		output string
	}{
		{"success", &types.MockInput{Result: aws.String(`{"ok":1}`)}, types.TestExecutionStatusSucceeded, "After", `{"a":1,"r":{"ok":1}}`},
		{"retried", failWith("Busy"), types.TestExecutionStatusRetriable, "", ""},
		{"caught", failWith("Bad"), types.TestExecutionStatusCaughtError, "Recover", `{"Error":"Bad","Cause":"why"}`},
		{"failed", failWith("Other"), types.TestExecutionStatusFailed, "", ""},
	} {
		out, err := s.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(task), Input: aws.String(`{"a":1}`), Mock: c.mock})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if out.Status != c.status || aws.ToString(out.NextState) != c.next || aws.ToString(out.Output) != c.output {
			t.Errorf("%s: %s next %q output %s", c.name, out.Status, aws.ToString(out.NextState), aws.ToString(out.Output))
		}
		if c.status != types.TestExecutionStatusSucceeded && aws.ToString(out.Error) == "" {
			t.Errorf("%s: no error reported", c.name)
		}
	}
	// A state of a machine, by name, with inspection data.
	machine := `{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$.x","Parameters":{"v.$":"$"},"ResultPath":"$.y","Next":"B"},"B":{"Type":"Succeed"}}}`
	out, err := s.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(machine), StateName: aws.String("A"), Input: aws.String(`{"x":5}`),
		InspectionLevel: types.InspectionLevelDebug})
	if err != nil {
		t.Fatal(err)
	}
	d := out.InspectionData
	if d == nil || aws.ToString(d.AfterInputPath) != "5" || aws.ToString(d.AfterParameters) != `{"v":5}` || aws.ToString(d.AfterResultPath) != `{"x":5,"y":{"v":5}}` ||
		aws.ToString(out.NextState) != "B" {
		t.Errorf("inspection: %+v next %q", d, aws.ToString(out.NextState))
	}
	var ve *types.ValidationException
	for _, in := range []*sfn.TestStateInput{
		{Definition: aws.String(machine), StateName: aws.String("nope")},
		{Definition: aws.String(`{"Type":"Pass","End":true}`), Mock: &types.MockInput{Result: aws.String("{}")}},
		{Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}`)},
		{Definition: aws.String(task), Mock: &types.MockInput{Result: aws.String("{}"), ErrorOutput: &types.MockErrorOutput{}}},
	} {
		if _, err := s.TestState(ctx, in); !errors.As(err, &ve) {
			t.Errorf("%s: %v, want a ValidationException", aws.ToString(in.Definition), err)
		}
	}
	var id *types.InvalidDefinition
	if _, err := s.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type":"Parallel","Branches":[],"End":true}`)}); !errors.As(err, &id) {
		t.Errorf("Parallel without a mock: %v", err)
	}
}

// FuzzTestState feeds TestState arbitrary definitions, inputs and mocks: it answers or
// refuses, and never panics.
func FuzzTestState(f *testing.F) {
	f.Add(`{"Type":"Pass","Result":1,"Next":"X"}`, `{}`, "", false)
	f.Add(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["States.ALL"]}],"End":true}`, `{"a":[1]}`, `{"x":1}`, true)
	f.Add(`{"Type":"Choice","Choices":[{"Variable":"$.a","NumericEquals":1,"Next":"Y"}],"Default":"Z"}`, `{"a":1}`, "", false)
	f.Add(`{"StartAt":"A","States":{"A":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}}}}}`, `[]`, `[1]`, false)
	s := newService(f, "", Config{})
	f.Fuzz(func(t *testing.T, def, input, mock string, fail bool) {
		in := &sfn.TestStateInput{Definition: aws.String(def), Input: aws.String(input), RoleArn: aws.String("arn:aws:iam::123456789012:role/r"),
			InspectionLevel: types.InspectionLevelTrace}
		if mock != "" {
			in.Mock = &types.MockInput{Result: aws.String(mock)}
			if fail {
				in.Mock = &types.MockInput{ErrorOutput: &types.MockErrorOutput{Error: aws.String(mock)}}
			}
		}
		if len(def) > 0 && def[0] == '{' && len(def) > 20 && def[2] == 'S' {
			in.StateName = aws.String("A")
		}
		_, _ = s.TestState(ctx, in)
	})
}

func BenchmarkTestState(b *testing.B) {
	s := newService(b, "", Config{})
	in := &sfn.TestStateInput{Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"v.$":"$.a"},
		"ResultSelector":{"p.$":"$.Payload"},"ResultPath":"$.r","Next":"After"}`), Input: aws.String(`{"a":1}`),
		Mock: &types.MockInput{Result: aws.String(`{"Payload":{"ok":true}}`)}, InspectionLevel: types.InspectionLevelDebug}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.TestState(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}
