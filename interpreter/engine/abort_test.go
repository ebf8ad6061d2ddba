package engine

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

func eventList(x *Execution) string {
	var b strings.Builder
	for _, ev := range x.History {
		b.WriteString(string(ev.Type) + " ")
	}
	return b.String()
}

// A Task's failure that ends its Parallel branch: AWS records TaskStateAborted after the
// task's TaskFailed, then the Parallel's failure, both caused by the TaskFailed.
func TestFailedTaskInABranchIsAborted(t *testing.T) {
	x := newExec(t, `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","End":true,"Branches":[
		{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}]}}}`, `{}`, Options{RecordHistory: true})
	driveTasks(t, x, x.Start(epoch), func(*TaskCall) outcome { return failTask })
	got := eventList(x)
	want := "TaskFailed TaskStateAborted ParallelStateFailed ExecutionFailed "
	if !strings.HasSuffix(got, want) {
		t.Fatalf("events: %s\nwant them to end with %s", got, want)
	}
	n := len(x.History)
	failed, aborted, parFailed := x.History[n-4], x.History[n-3], x.History[n-2]
	if aborted.PreviousEventID != failed.ID || parFailed.PreviousEventID != failed.ID {
		t.Errorf("causes: aborted after %d, parallel failed after %d, want both after %d", aborted.PreviousEventID, parFailed.PreviousEventID, failed.ID)
	}
}

// In a Map, the iteration that failed is aborted with the others, in item order:
// MapIterationFailed, then TaskStateAborted for it, then MapIterationAborted and the
// aborted state of each other running iteration.
func TestMapAbortOrder(t *testing.T) {
	x := newExec(t, `{"StartAt":"Each","States":{"Each":{"Type":"Map","End":true,
		"ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}}}`,
		`[0,1,2]`, Options{RecordHistory: true})
	driveTasks(t, x, x.Start(epoch), func(c *TaskCall) outcome {
		if c.Input == int64(0) {
			return failTask
		}
		return hold
	})
	if x.Status != types.ExecutionStatusFailed {
		t.Fatalf("status %s", x.Status)
	}
	got := eventList(x)
	want := "TaskFailed MapIterationFailed TaskStateAborted MapIterationAborted TaskStateAborted MapIterationAborted TaskStateAborted MapStateFailed ExecutionFailed "
	if !strings.HasSuffix(got, want) {
		t.Fatalf("events: %s\nwant them to end with %s", got, want)
	}
}
