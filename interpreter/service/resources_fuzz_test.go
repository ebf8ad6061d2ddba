package service

import (
	"strings"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/engine"
)

// FuzzResourceKinds feeds arbitrary ARNs to the parsers that decide how a Task
// resource or an API ARN is served: none may panic, and at most one kind claims a
// resource.
func FuzzResourceKinds(f *testing.F) {
	for _, seed := range []string{
		"arn:aws:states:us-east-1:123456789012:activity:work",
		"arn:aws:states:::states:startExecution.sync:2",
		"arn:aws:states:::states:startExecution.waitForTaskToken",
		"arn:aws:states:::aws-sdk:sfn:getActivityTask",
		"arn:aws:states:us-east-1:123456789012:stateMachine:m:1",
		"arn:aws:lambda:us-east-1:123456789012:function:f",
		"", ":::::", "arn:aws:states:::",
	} {
		f.Add(seed)
	}
	s := &Service{}
	f.Fuzz(func(t *testing.T, r string) {
		claims := 0
		if engine.IsActivityResource(r) {
			claims++
			if !strings.Contains(r, ":activity:") {
				t.Errorf("%q taken for an activity", r)
			}
		}
		if mode, ok := nestedMode(r); ok {
			claims++
			if !strings.HasSuffix(r, "startExecution"+mode) {
				t.Errorf("%q taken for startExecution%s", r, mode)
			}
		}
		if _, ok := s.sdkSfnAction(r); ok {
			claims++
		}
		if claims > 1 {
			t.Errorf("%q is claimed %d times", r, claims)
		}
		if a, err := activityArn(r); err == nil && a != r {
			t.Errorf("activityArn(%q) = %q", r, a)
		}
		_, _ = taggable(r)
		_ = javaDouble(float64(len(r)) * 1e9 / 7)
	})
}
