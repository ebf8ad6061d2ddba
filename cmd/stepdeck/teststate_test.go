package main

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/stepdeck/stepdeck/interpreter/awsjson"
	"github.com/stepdeck/stepdeck/interpreter/conformance"
)

const priceDef = `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
 "InputPath":"$.order","Parameters":{"id.$":"$.id"},"ResultSelector":{"total.$":"$.Payload.total"},
 "ResultPath":"$.priced","OutputPath":"$.priced","Assign":{"last.$":"$.total"},
 "Retry":[{"ErrorEquals":["Busy"],"IntervalSeconds":2}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Oops"}],"Next":"Done"},
 "Oops":{"Type":"Fail"},"Done":{"Type":"Succeed"}}}`

// The expected stages follow from the state by hand: InputPath picks the order, the
// Parameters its id, the mocked result is selected to its total, put under $.priced,
// and OutputPath keeps that; Assign reads the selected result's total.
func TestTestStateShowsEveryStage(t *testing.T) {
	def := writeFile(t, "flow.json", priceDef)
	out, code, err := execute(t, "test-state", def, "--state", "T", "--input", `{"order":{"id":7}}`,
		"--mock-result", `{"Payload":{"total":12}}`, "--variables", `{"x":1}`)
	want := `"T": SUCCEEDED, next state "Done"
  input                   {"order":{"id":7}}
  after InputPath         {"id":7}
  after Parameters        {"id":7}
  result                  {"Payload":{"total":12}}
  after ResultSelector    {"total":12}
  after ResultPath        {"order":{"id":7},"priced":{"total":12}}
  output                  {"total":12}
  variables after Assign  {"x":1,"last":12}
`
	if code != 0 || out != want {
		t.Errorf("exit %d (%v)\n%s\nwant:\n%s", code, err, out, want)
	}
	// Busy is retried (Retry[0], 2 s); any other error is caught and goes to Oops.
	out, code, _ = execute(t, "test-state", def, "--state", "T", "--input", `{"order":{"id":7}}`, "--mock-error", "Busy")
	if code != 1 || !strings.HasPrefix(out, `"T": RETRIABLE`) || !strings.Contains(words(out), "retried by Retry[0], after 2 s") {
		t.Errorf("retriable: exit %d\n%s", code, out)
	}
	out, code, _ = execute(t, "test-state", def, "--state", "T", "--input", `{"order":{"id":7}}`, "--mock-error", "Boom", "--mock-cause", "no")
	if code != 0 || !strings.HasPrefix(out, `"T": CAUGHT_ERROR, next state "Oops"`) || !strings.Contains(words(out), `output {"Error":"Boom","Cause":"no"}`) {
		t.Errorf("caught: exit %d\n%s", code, out)
	}
	for _, bad := range [][]string{
		{"test-state", def, "--input", "{}"},                                // a definition needs --state
		{"test-state", def, "--state", "Nope", "--mock-result", "{}"},       // no such state
		{"test-state", def, "--state", "T"},                                 // a Task needs a mock
		{"test-state", def, "--state", "T", "--mock-result", "{"},           // not JSON
		{"test-state", def, "--state", "Done", "--inspection-level", "ALL"}, // no such level
	} {
		if _, code, _ := execute(t, bad...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad[2:], code)
		}
	}
}

// words is the text with each run of spaces made one, as columns are aligned.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// A Task with no mock runs on a local command, as with run: cat echoes what it is sent.
func TestTestStateRunsATaskLocally(t *testing.T) {
	state := writeFile(t, "task.json", `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"n.$":"$.n"},"ResultPath":"$.echo","End":true}`)
	handlers := writeFile(t, "handlers.json", `{"handlers":[{"resource":"arn:aws:states:::lambda:invoke","command":["cat"]}]}`)
	out, code, err := execute(t, "test-state", state, "--input", `{"n":3}`, "--handlers", handlers)
	if code != 0 || !strings.HasPrefix(out, "The state: SUCCEEDED\n") || !strings.Contains(words(out), `output {"n":3,"echo":{"n":3}}`) {
		t.Errorf("exit %d (%v)\n%s", code, err, out)
	}
}

var isoDate = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})`)

// TestTestStateAnswersAsTheService sends every TestState call recorded on AWS through the
// command line, and checks that it answers as the local service's TestState does, which
// its own test holds to the recordings.
func TestTestStateAnswersAsTheService(t *testing.T) {
	dir := conformance.DataDir(t, "asl", "api", "test_state")
	cases, err := conformance.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, c := range cases {
		var req struct {
			Input, RoleArn, StateName, Context, Variables *string
			InspectionLevel                               string
			RevealSecrets                                 bool
			StateConfiguration                            *struct {
				ErrorCausedByState, MapItemReaderData       *string
				MapIterationFailureCount, RetrierRetryCount *int32
			}
			Mock *struct {
				Result              *string
				ErrorOutput         *struct{ Error, Cause *string }
				FieldValidationMode string
			}
		}
		if err := json.Unmarshal(c.Request, &req); err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
		in := &sfn.TestStateInput{Definition: aws.String(string(c.Definition)), Input: req.Input, InspectionLevel: types.InspectionLevel(req.InspectionLevel),
			RoleArn: req.RoleArn, StateName: req.StateName, Context: req.Context, Variables: req.Variables, RevealSecrets: req.RevealSecrets}
		args := []string{"test-state", writeFile(t, "def.json", string(c.Definition)), "-o", "json"}
		level := req.InspectionLevel
		if level == "" {
			level = "INFO" // AWS's default
		}
		args = append(args, "--inspection-level", level)
		opt := func(flag string, v *string) {
			if v != nil {
				args = append(args, flag, *v)
			}
		}
		opt("--input", req.Input)
		opt("--role-arn", req.RoleArn)
		opt("--state", req.StateName)
		opt("--context", req.Context)
		opt("--variables", req.Variables)
		if req.RevealSecrets {
			args = append(args, "--reveal-secrets")
		}
		if sc := req.StateConfiguration; sc != nil {
			in.StateConfiguration = &types.TestStateConfiguration{ErrorCausedByState: sc.ErrorCausedByState, MapItemReaderData: sc.MapItemReaderData,
				MapIterationFailureCount: sc.MapIterationFailureCount, RetrierRetryCount: sc.RetrierRetryCount}
			opt("--error-caused-by-state", sc.ErrorCausedByState)
			opt("--map-item-reader-data", sc.MapItemReaderData)
			if n := sc.MapIterationFailureCount; n != nil {
				args = append(args, "--map-iteration-failure-count", strconv.Itoa(int(*n)))
			}
			if n := sc.RetrierRetryCount; n != nil {
				args = append(args, "--retry-count", strconv.Itoa(int(*n)))
			}
		}
		if m := req.Mock; m != nil {
			in.Mock = &types.MockInput{Result: m.Result, FieldValidationMode: types.MockResponseValidationMode(m.FieldValidationMode)}
			opt("--mock-result", m.Result)
			if m.FieldValidationMode != "" {
				args = append(args, "--mock-field-validation", m.FieldValidationMode)
			}
			if e := m.ErrorOutput; e != nil {
				in.Mock.ErrorOutput = &types.MockErrorOutput{Error: e.Error, Cause: e.Cause}
				opt("--mock-error", e.Error)
				opt("--mock-cause", e.Cause)
			}
		}
		want, wantErr := callTestState(context.Background(), in, nil)
		out, code, err := execute(t, args...)
		checked++
		if wantErr != nil {
			var ae smithy.APIError
			if !errors.As(wantErr, &ae) {
				t.Fatalf("%s: the service fails: %v", c.ID, wantErr)
			}
			// The command line refuses a Task without a mock itself, with its own words.
			if code != 2 || (err != nil && !strings.Contains(err.Error(), ae.ErrorCode()) && !strings.Contains(err.Error(), "mocked result")) {
				t.Errorf("%s: the service refuses it (%v); the command line exits %d: %v", c.ID, wantErr, code, err)
			}
			continue
		}
		wantJSON, err2 := awsjson.Marshal(want)
		if err2 != nil {
			t.Fatal(err2)
		}
		var got, exp any
		if json.Unmarshal([]byte(out), &got) != nil || json.Unmarshal(wantJSON, &exp) != nil {
			t.Errorf("%s: exit %d, not JSON: %v\n%s", c.ID, code, err, out)
			continue
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(exp)
		// The two calls ran at different moments: their timestamps differ.
		if gs, ws := isoDate.ReplaceAllString(string(g), "date"), isoDate.ReplaceAllString(string(w), "date"); gs != ws {
			t.Errorf("%s:\n command line %s\n service      %s", c.ID, gs, ws)
		}
	}
	if checked < 100 {
		t.Fatalf("only %d recorded calls checked", checked)
	}
	t.Logf("%d recorded TestState calls answered as the service answers them", checked)
}
