package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/ids"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Tasks on arn:aws:states:::aws-sdk:sfn:<action> call this service, so a state machine
// can play an activity worker or answer another execution's token locally. Parameters
// and results use the SDK's member names, as the aws-sdk integration does.

type sdkAction func(ctx context.Context, p sdkParams) (value.Value, error)

// sdkSfnAction returns the local implementation of an aws-sdk:sfn resource.
func (s *Service) sdkSfnAction(resource string) (sdkAction, bool) {
	parts := strings.SplitN(resource, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "states" || parts[3] != "" || parts[4] != "" {
		return nil, false
	}
	action, ok := strings.CutPrefix(parts[5], "aws-sdk:sfn:")
	if !ok {
		return nil, false
	}
	switch action {
	case "getActivityTask":
		return s.sdkGetActivityTask, true
	case "sendTaskSuccess":
		return s.sdkSendTaskSuccess, true
	case "sendTaskFailure":
		return s.sdkSendTaskFailure, true
	case "sendTaskHeartbeat":
		return s.sdkSendTaskHeartbeat, true
	case "startExecution":
		return s.sdkStartExecution, true
	}
	return nil, false
}

// sdkParams reads a task's parameters by SDK member name.
type sdkParams struct{ o *value.Object }

func (p sdkParams) str(k string) *string {
	if p.o == nil {
		return nil
	}
	v, ok := p.o.Get(k)
	if !ok || v == nil {
		return nil
	}
	if s, ok := v.(string); ok {
		return aws.String(s)
	}
	// The integration serializes a JSON value given where the API wants a string.
	return aws.String(value.String(v))
}

// sdkError names an API error as the aws-sdk integration does: Sfn.<Code>Exception,
// with the Java SDK v2's message trailer.
func sdkError(err error) error {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return failure.New(failure.TaskFailed, err.Error())
	}
	code := strings.TrimSuffix(ae.ErrorCode(), "Exception") + "Exception"
	cause := fmt.Sprintf("%s (Service: Sfn, Status Code: 400, Request ID: %s) (SDK Attempt Count: 1)", ae.ErrorMessage(), ids.UUID())
	return failure.New("Sfn."+code, cause)
}

func (s *Service) sdkGetActivityTask(ctx context.Context, p sdkParams) (value.Value, error) {
	out, err := s.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: p.str("ActivityArn"), WorkerName: p.str("WorkerName")})
	if err != nil {
		return nil, sdkError(err)
	}
	o := value.NewObject(2)
	if out.Input != nil {
		o.Set("Input", *out.Input)
	}
	if out.TaskToken != nil {
		o.Set("TaskToken", *out.TaskToken)
	}
	return o, nil
}

func (s *Service) sdkSendTaskSuccess(ctx context.Context, p sdkParams) (value.Value, error) {
	if _, err := s.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: p.str("TaskToken"), Output: p.str("Output")}); err != nil {
		return nil, sdkError(err)
	}
	return value.NewObject(0), nil
}

func (s *Service) sdkSendTaskFailure(ctx context.Context, p sdkParams) (value.Value, error) {
	if _, err := s.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: p.str("TaskToken"), Error: p.str("Error"), Cause: p.str("Cause")}); err != nil {
		return nil, sdkError(err)
	}
	return value.NewObject(0), nil
}

func (s *Service) sdkSendTaskHeartbeat(ctx context.Context, p sdkParams) (value.Value, error) {
	if _, err := s.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: p.str("TaskToken")}); err != nil {
		return nil, sdkError(err)
	}
	return value.NewObject(0), nil
}

func (s *Service) sdkStartExecution(ctx context.Context, p sdkParams) (value.Value, error) {
	out, err := s.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: p.str("StateMachineArn"), Name: p.str("Name"), Input: p.str("Input")})
	if err != nil {
		return nil, sdkError(err)
	}
	return value.ObjectOf("ExecutionArn", aws.ToString(out.ExecutionArn),
		"StartDate", aws.ToTime(out.StartDate).UTC().Format(time.RFC3339Nano)), nil
}
