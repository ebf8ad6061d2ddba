package client

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// TestStateAPI is the one operation a step-through of a deployed machine needs: AWS's
// TestState runs one state, its real integration included, with a role.
type TestStateAPI interface {
	TestState(ctx context.Context, in *sfn.TestStateInput, optFns ...func(*sfn.Options)) (*sfn.TestStateOutput, error)
}

// TestStateHandler runs a Task's integration through TestState, so a debugger that
// steps through a machine locally (the engine doing the data flow, the breakpoints and
// the editing) calls the real service for each task: the task goes to TestState as a
// state of its own with the parameters the engine resolved as constants, and the raw
// result comes back for the engine to select, place and pass on. roleArn is the role
// TestState assumes for the call.
func TestStateHandler(api TestStateAPI, roleArn string) engine.Handler {
	return func(ctx context.Context, call *engine.TaskCall) (value.Value, error) {
		st := value.NewObject(5)
		st.Set("Type", "Task")
		st.Set("QueryLanguage", "JSONPath")
		st.Set("Resource", call.Resource)
		if call.Input != nil {
			if _, isObj := call.Input.(*value.Object); isObj {
				st.Set("Parameters", call.Input)
			}
		}
		st.Set("End", true)
		in := &sfn.TestStateInput{Definition: aws.String(value.String(st)), RoleArn: aws.String(roleArn),
			Input: aws.String(value.String(call.Input)), InspectionLevel: types.InspectionLevelDebug}
		out, err := api.TestState(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("TestState for %s: %w", call.StateName, err)
		}
		if out.Status != types.TestExecutionStatusSucceeded {
			return nil, failure.New(orDefault(aws.ToString(out.Error), failure.TaskFailed), aws.ToString(out.Cause))
		}
		return value.ParseString(aws.ToString(out.Output))
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
