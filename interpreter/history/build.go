package history

import (
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// NotTruncated is the inputDetails/outputDetails every payload of the local engine gets:
// it never truncates, since it fails the execution on oversized payloads instead. One
// shared value saves an allocation per event; it must never be modified.
var NotTruncated = &types.HistoryEventExecutionDataDetails{Truncated: false}

// Entered builds the details of a *StateEntered event; input is JSON text.
func Entered(name, input string) *types.StateEnteredEventDetails {
	return &types.StateEnteredEventDetails{Name: &name, Input: &input, InputDetails: NotTruncated}
}

// Exited builds the details of a *StateExited event; output is JSON text. assigned maps
// each variable an Assign wrote to the JSON text of its value, or is nil when the state
// assigns nothing (AWS then leaves both assignedVariables members out).
func Exited(name, output string, assigned map[string]string) *types.StateExitedEventDetails {
	d := &types.StateExitedEventDetails{Name: &name, Output: &output, OutputDetails: NotTruncated}
	if assigned != nil {
		d.AssignedVariables = assigned
		d.AssignedVariablesDetails = &types.AssignedVariablesDetails{Truncated: false}
	}
	return d
}
