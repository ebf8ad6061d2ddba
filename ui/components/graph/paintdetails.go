package graph

import (
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/history"
)

func mapLength(e *history.Event) (int, bool) {
	if d, ok := e.Details.(*types.MapStateStartedEventDetails); ok && d != nil {
		return int(d.Length), true
	}
	return 0, false
}

func mapIndex(e *history.Event) (int, bool) {
	if d, ok := e.Details.(*types.MapIterationEventDetails); ok && d != nil && d.Index >= 0 {
		return int(d.Index), true
	}
	return 0, false
}
