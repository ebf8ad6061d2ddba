package service

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/stepdeck/stepdeck/interpreter/arn"
	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

const testStateKnownFile = "testdata/known_failures_teststate.txt"

// TestTestStateConformance replays the TestState calls recorded on AWS and compares
// the answers. Cases listed in the known-failures file may fail; any other failure, or
// a listed case that now passes, fails the test, so the list only shrinks.
func TestTestStateConformance(t *testing.T) {
	dir := conformance.DataDir(t, "asl", "api", "test_state")
	cases, err := conformance.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	known := conformance.ReadKnownCases(t, testStateKnownFile)
	// The recordings were made in account 111111111111.
	s := newService(t, "", Config{Location: arn.Location{Partition: "aws", Region: "us-east-1", Account: "111111111111"}})
	passed := 0
	for _, c := range cases {
		err := replayTestState(s, c)
		if err == nil {
			passed++
			known.Check(t, c.ID, "")
			continue
		}
		known.Check(t, c.ID, firstLine(err.Error()))
	}
	known.Done(t)
	t.Logf("TestState recordings: %d of %d pass", passed, len(cases))
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

// replayTestState sends a recorded request and compares the answer with the record.
func replayTestState(s *Service, c *conformance.Case) error {
	var req struct {
		Input              *string `json:"input"`
		InspectionLevel    string  `json:"inspectionLevel"`
		RoleArn            *string `json:"roleArn"`
		StateName          *string `json:"stateName"`
		Context            *string `json:"context"`
		Variables          *string `json:"variables"`
		RevealSecrets      bool    `json:"revealSecrets"`
		StateConfiguration *struct {
			ErrorCausedByState       *string `json:"errorCausedByState"`
			MapIterationFailureCount *int32  `json:"mapIterationFailureCount"`
			RetrierRetryCount        *int32  `json:"retrierRetryCount"`
			MapItemReaderData        *string `json:"mapItemReaderData"`
		} `json:"stateConfiguration"`
		Mock *struct {
			Result      *string `json:"result"`
			ErrorOutput *struct {
				Error *string `json:"error"`
				Cause *string `json:"cause"`
			} `json:"errorOutput"`
			FieldValidationMode string `json:"fieldValidationMode"`
		} `json:"mock"`
	}
	if err := json.Unmarshal(c.Request, &req); err != nil {
		return fmt.Errorf("reading the request: %w", err)
	}
	in := &sfn.TestStateInput{Definition: aws.String(string(c.Definition)), Input: req.Input, InspectionLevel: types.InspectionLevel(req.InspectionLevel),
		RoleArn: req.RoleArn, StateName: req.StateName, Context: req.Context, Variables: req.Variables, RevealSecrets: req.RevealSecrets}
	if sc := req.StateConfiguration; sc != nil {
		in.StateConfiguration = &types.TestStateConfiguration{ErrorCausedByState: sc.ErrorCausedByState, MapIterationFailureCount: sc.MapIterationFailureCount,
			RetrierRetryCount: sc.RetrierRetryCount, MapItemReaderData: sc.MapItemReaderData}
	}
	if m := req.Mock; m != nil {
		in.Mock = &types.MockInput{Result: m.Result, FieldValidationMode: types.MockResponseValidationMode(m.FieldValidationMode)}
		if e := m.ErrorOutput; e != nil {
			in.Mock.ErrorOutput = &types.MockErrorOutput{Error: e.Error, Cause: e.Cause}
		}
	}
	want, err := value.Parse(c.ExpectedRaw)
	if err != nil {
		return err
	}
	wantObj, _ := want.(*value.Object)
	out, err := s.TestState(ctx, in)
	if wantObj != nil && wantObj.Has("Error") {
		code, _ := get[*value.Object](wantObj, "Error")
		wantCode, _ := get[string](code, "Code")
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != wantCode {
			return fmt.Errorf("want the error %s, got %v (%+v)", wantCode, err, out)
		}
		return nil
	}
	if err != nil {
		return err
	}
	if wantObj == nil {
		return fmt.Errorf("the recording is not an object")
	}
	wantObj = parseArrays(wantObj).(*value.Object)
	wantObj.Delete("ResponseMetadata")
	got := normalizeAnswer(testStateAnswer(out), aws.ToString(in.RoleArn)).(*value.Object)
	// The recording's own substitutions (table names, the region anywhere in a text)
	// apply to the answer as they did to AWS's.
	norm, err := conformance.NormalizeState(value.ObjectOf("answer", got), c.Normalization.TestTransformers)
	if err != nil {
		return err
	}
	if n, ok := norm.Get("answer"); ok {
		if o, ok := n.(*value.Object); ok {
			got = o
		}
	}
	return diffTestState(wantObj, got)
}

// testStateAnswer is the output as the recordings hold it: JSON texts parsed.
func testStateAnswer(out *sfn.TestStateOutput) *value.Object {
	got := value.ObjectOf("status", string(out.Status))
	text := func(o *value.Object, k string, s *string) {
		if s == nil {
			return
		}
		if v, err := value.ParseString(*s); err == nil && (k != "cause" || strings.HasPrefix(*s, "{")) && k != "error" && k != "nextState" {
			o.Set(k, v)
			return
		}
		o.Set(k, *s)
	}
	text(got, "output", out.Output)
	text(got, "error", out.Error)
	text(got, "cause", out.Cause)
	text(got, "nextState", out.NextState)
	if d := out.InspectionData; d != nil {
		id := value.ObjectOf()
		for _, f := range []struct {
			k string
			v *string
		}{{"input", d.Input}, {"afterInputPath", d.AfterInputPath}, {"afterParameters", d.AfterParameters}, {"afterArguments", d.AfterArguments},
			{"result", d.Result}, {"afterResultSelector", d.AfterResultSelector}, {"afterResultPath", d.AfterResultPath},
			{"afterItemsPath", d.AfterItemsPath}, {"variables", d.Variables}} {
			text(id, f.k, f.v)
		}
		if d.MaxConcurrency != nil {
			id.Set("maxConcurrency", int64(*d.MaxConcurrency))
		}
		if d.ToleratedFailureCount != nil {
			id.Set("toleratedFailureCount", int64(*d.ToleratedFailureCount))
		}
		if d.ToleratedFailurePercentage != nil {
			id.Set("toleratedFailurePercentage", float64(*d.ToleratedFailurePercentage))
		}
		if e := d.ErrorDetails; e != nil {
			ed := value.ObjectOf()
			for _, f := range []struct {
				k string
				v *int32
			}{{"catchIndex", e.CatchIndex}, {"retryIndex", e.RetryIndex}, {"retryBackoffIntervalSeconds", e.RetryBackoffIntervalSeconds}} {
				if f.v != nil {
					ed.Set(f.k, int64(*f.v))
				}
			}
			id.Set("errorDetails", ed)
		}
		got.Set("inspectionData", id)
	}
	return got
}

func diffTestState(want, got *value.Object) error {
	if m := conformance.Diff(want, got); m != nil {
		return fmt.Errorf("%s\n got  %s", m, value.String(got))
	}
	return nil
}

// parseArrays reads back the JSON texts of arrays the recordings keep as text (their
// normalization parses only texts that start with "{").
func parseArrays(v value.Value) value.Value {
	switch x := v.(type) {
	case *value.Object:
		o := value.NewObject(x.Len())
		for i := 0; i < x.Len(); i++ {
			k, e := x.At(i)
			o.Set(k, parseArrays(e))
		}
		return o
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = parseArrays(e)
		}
		return out
	case string:
		if strings.HasPrefix(x, "[") {
			if p, err := value.ParseString(x); err == nil {
				return p
			}
		}
	}
	return v
}

var isoTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`)

// normalizeAnswer applies the recordings' normalization to an answer: partition and
// region become placeholders, the names of the machine, execution and role become
// name placeholders (any number matches any), timestamps become "date".
func normalizeAnswer(v value.Value, roleArn string) value.Value {
	role := roleArn[strings.LastIndexByte(roleArn, '/')+1:]
	var walk func(v value.Value) value.Value
	walk = func(v value.Value) value.Value {
		switch x := v.(type) {
		case *value.Object:
			o := value.NewObject(x.Len())
			for i := 0; i < x.Len(); i++ {
				k, e := x.At(i)
				o.Set(k, walk(e))
			}
			return o
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = walk(e)
			}
			return out
		case string:
			if isoTime.MatchString(x) {
				return "date"
			}
			x = strings.ReplaceAll(x, "arn:aws:", "arn:<partition>:")
			x = strings.ReplaceAll(x, ":us-east-1:", ":<region>:")
			for _, name := range []string{testMachineName, testExecutionName, role} {
				if name == "" {
					continue
				}
				if x == name {
					return "<resource:0>"
				}
				x = strings.ReplaceAll(x, ":"+name, ":<resource:0>")
				x = strings.ReplaceAll(x, "/"+name, "/<resource:0>")
			}
			return x
		}
		return v
	}
	return walk(v)
}
