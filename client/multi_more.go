package client

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// The Map Run, version and alias calls of a Multi go, like the others, to the backend
// their ARN belongs to.

func (m *Multi) ListMapRuns(ctx context.Context, in *sfn.ListMapRunsInput, optFns ...func(*sfn.Options)) (*sfn.ListMapRunsOutput, error) {
	return byARN(m, aws.ToString(in.ExecutionArn), func(a API) (*sfn.ListMapRunsOutput, error) {
		return a.ListMapRuns(ctx, in, optFns...)
	})
}

func (m *Multi) DescribeMapRun(ctx context.Context, in *sfn.DescribeMapRunInput, optFns ...func(*sfn.Options)) (*sfn.DescribeMapRunOutput, error) {
	return byARN(m, aws.ToString(in.MapRunArn), func(a API) (*sfn.DescribeMapRunOutput, error) {
		return a.DescribeMapRun(ctx, in, optFns...)
	})
}

func (m *Multi) ListStateMachineVersions(ctx context.Context, in *sfn.ListStateMachineVersionsInput, optFns ...func(*sfn.Options)) (*sfn.ListStateMachineVersionsOutput, error) {
	return byARN(m, aws.ToString(in.StateMachineArn), func(a API) (*sfn.ListStateMachineVersionsOutput, error) {
		return a.ListStateMachineVersions(ctx, in, optFns...)
	})
}

func (m *Multi) ListStateMachineAliases(ctx context.Context, in *sfn.ListStateMachineAliasesInput, optFns ...func(*sfn.Options)) (*sfn.ListStateMachineAliasesOutput, error) {
	return byARN(m, aws.ToString(in.StateMachineArn), func(a API) (*sfn.ListStateMachineAliasesOutput, error) {
		return a.ListStateMachineAliases(ctx, in, optFns...)
	})
}

func (m *Multi) DescribeStateMachineAlias(ctx context.Context, in *sfn.DescribeStateMachineAliasInput, optFns ...func(*sfn.Options)) (*sfn.DescribeStateMachineAliasOutput, error) {
	return byARN(m, aws.ToString(in.StateMachineAliasArn), func(a API) (*sfn.DescribeStateMachineAliasOutput, error) {
		return a.DescribeStateMachineAlias(ctx, in, optFns...)
	})
}
