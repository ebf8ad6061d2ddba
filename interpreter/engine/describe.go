package engine

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// Describe returns what DescribeExecution says of the execution.
func (e *Execution) Describe() *sfn.DescribeExecutionOutput {
	m := e.Meta
	in := m.Input
	if in == "" {
		in = "{}"
	}
	out := &sfn.DescribeExecutionOutput{
		ExecutionArn:    aws.String(m.ExecutionArn),
		StateMachineArn: aws.String(m.StateMachineArn),
		Name:            aws.String(m.Name),
		Status:          e.Status,
		StartDate:       aws.Time(m.StartTime),
		Input:           aws.String(in),
		InputDetails:    &types.CloudWatchEventsExecutionDataDetails{Included: true},
		RedriveCount:    aws.Int32(int32(m.RedriveCount)),
	}
	if e.Done() {
		out.StopDate = aws.Time(e.StopTime)
	}
	switch e.Status {
	case types.ExecutionStatusSucceeded:
		out.Output = aws.String(e.OutputText())
		out.OutputDetails = &types.CloudWatchEventsExecutionDataDetails{Included: true}
	case types.ExecutionStatusFailed, types.ExecutionStatusAborted:
		if e.HasError {
			out.Error = aws.String(e.Error)
		}
		if e.HasCause {
			out.Cause = aws.String(e.Cause)
		}
	}
	if e.Done() && e.Status != types.ExecutionStatusSucceeded {
		out.RedriveStatus = types.ExecutionRedriveStatusRedrivable
		if m.Type == types.StateMachineTypeExpress {
			out.RedriveStatus = types.ExecutionRedriveStatusNotRedrivable
		}
	} else if e.Done() {
		out.RedriveStatus = types.ExecutionRedriveStatusNotRedrivable
	}
	return out
}
