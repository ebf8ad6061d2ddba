package service

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// The API's errors are the SDK's own error types, with AWS's messages, so a caller
// cannot tell this service from Step Functions by its errors.

func errInvalidArn(v string) error {
	return &types.InvalidArn{Message: aws.String(fmt.Sprintf("Invalid Arn: 'Invalid ARN prefix: %s'", v))}
}

func errInvalidArnContext(kind string) error {
	return &types.InvalidArn{Message: aws.String(fmt.Sprintf("Invalid Arn: 'Resource type not valid in this context: %s'", kind))}
}

func errMachineDoesNotExist(arn string) error {
	return &types.StateMachineDoesNotExist{Message: aws.String(fmt.Sprintf("State Machine Does Not Exist: '%s'", arn))}
}

func errMachineAlreadyExists(arn string) error {
	return &types.StateMachineAlreadyExists{Message: aws.String(fmt.Sprintf("State Machine Already Exists: '%s'", arn))}
}

func errExecutionDoesNotExist(arn string) error {
	return &types.ExecutionDoesNotExist{Message: aws.String(fmt.Sprintf("Execution Does Not Exist: '%s'", arn))}
}

func errExecutionAlreadyExists(arn string) error {
	return &types.ExecutionAlreadyExists{Message: aws.String(fmt.Sprintf("Execution Already Exists: '%s'", arn))}
}

func errInvalidName(name string) error {
	return &types.InvalidName{Message: aws.String(fmt.Sprintf("Invalid Name: '%s'", name))}
}

func errInvalidInput(why string) error {
	return &types.InvalidExecutionInput{Message: aws.String(fmt.Sprintf("Invalid State Machine Execution Input: '%s'", why))}
}

func errInvalidDefinition(msg string) error {
	return &types.InvalidDefinition{Message: aws.String(msg)}
}

func errValidation(format string, args ...any) error {
	return &types.ValidationException{Message: aws.String(fmt.Sprintf(format, args...))}
}

func errInvalidToken() error {
	return &types.InvalidToken{Message: aws.String("Invalid Token: 'Invalid token'")}
}

func errTaskTimedOut() error {
	return &types.TaskTimedOut{Message: aws.String("Task Timed Out: 'Provided task does not exist anymore'")}
}

func errInvalidOutput(why string) error {
	return &types.InvalidOutput{Message: aws.String(fmt.Sprintf("Invalid Output: '%s'", why))}
}

func errTypeNotSupported() error {
	return &types.StateMachineTypeNotSupported{Message: aws.String("This operation is not supported by this type of state machine")}
}

func errMissingParameter(msg string) error {
	return &types.MissingRequiredParameter{Message: aws.String(msg)}
}

// maxResults applies AWS's paging rule: 0 means 100, more than 1000 is refused.
func maxResults(n int32) (int, error) {
	switch {
	case n < 0:
		return 0, errValidation("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 0", n)
	case n > 1000:
		return 0, errValidation("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000", n)
	case n == 0:
		return 100, nil
	}
	return int(n), nil
}

// checkNextToken applies AWS's length limit on nextToken.
func checkNextToken(tok *string, limit int) error {
	if tok != nil && len(*tok) > limit {
		return errValidation("1 validation error detected: Value '%s' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to %d", *tok, limit)
	}
	return nil
}
