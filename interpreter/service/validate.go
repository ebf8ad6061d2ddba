package service

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
)

// ValidateStateMachineDefinition checks a definition without creating anything.
func (s *Service) ValidateStateMachineDefinition(ctx context.Context, in *sfn.ValidateStateMachineDefinitionInput, _ ...func(*sfn.Options)) (*sfn.ValidateStateMachineDefinitionOutput, error) {
	limit, err := maxResults(in.MaxResults)
	if err != nil {
		return nil, err
	}
	typ := in.Type
	if typ == "" {
		typ = types.StateMachineTypeStandard
	}
	diags := asl.Validate([]byte(aws.ToString(in.Definition)))
	if len(diags) == 0 {
		if d, err := asl.Parse([]byte(aws.ToString(in.Definition))); err == nil {
			diags = d.CheckType(string(typ))
		}
	}
	out := &sfn.ValidateStateMachineDefinitionOutput{Result: types.ValidateStateMachineDefinitionResultCodeOk,
		Diagnostics: []types.ValidateStateMachineDefinitionDiagnostic{}}
	for _, d := range diags {
		if d.Severity == "ERROR" {
			out.Result = types.ValidateStateMachineDefinitionResultCodeFail
		} else if in.Severity != types.ValidateStateMachineDefinitionSeverityWarning {
			continue
		}
		if len(out.Diagnostics) == limit {
			out.Truncated = aws.Bool(true)
			break
		}
		diag := types.ValidateStateMachineDefinitionDiagnostic{Severity: types.ValidateStateMachineDefinitionSeverity(d.Severity),
			Code: aws.String(d.Code), Message: aws.String(d.Message)}
		if d.Location != "" {
			diag.Location = aws.String(d.Location)
		}
		out.Diagnostics = append(out.Diagnostics, diag)
	}
	if out.Truncated == nil {
		out.Truncated = aws.Bool(false)
	}
	return out, nil
}
