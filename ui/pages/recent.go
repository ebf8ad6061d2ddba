package pages

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// recentRuns is how many of a machine's newest executions its row pictures: read in
// the same ListExecutions call as its last status, so the picture costs no call more.
const recentRuns = 10

// outcomeStrip pictures the outcomes of executions (newest first, as listed), oldest
// on the left: ✓ succeeded, ✗ failed, ⧖ timed out, ■ aborted, ▸ running.
func outcomeStrip(execs []types.ExecutionListItem) string {
	var b strings.Builder
	for i := len(execs) - 1; i >= 0; i-- {
		switch execs[i].Status {
		case types.ExecutionStatusSucceeded:
			b.WriteString("✓")
		case types.ExecutionStatusFailed:
			b.WriteString("✗")
		case types.ExecutionStatusTimedOut:
			b.WriteString("⧖")
		case types.ExecutionStatusAborted:
			b.WriteString("■")
		case types.ExecutionStatusRunning, types.ExecutionStatusPendingRedrive:
			b.WriteString("▸")
		default:
			b.WriteString("·")
		}
	}
	return b.String()
}

var sparks = []rune("▁▂▃▄▅▆▇█")

// durationSpark pictures how long the executions took (oldest on the left), each
// against the longest of them; a running one counts until now.
func durationSpark(execs []types.ExecutionListItem, now time.Time) string {
	if len(execs) == 0 {
		return ""
	}
	ds := make([]time.Duration, len(execs))
	var longest time.Duration
	for i, x := range execs {
		end := now
		if x.StopDate != nil {
			end = *x.StopDate
		}
		ds[i] = max(end.Sub(aws.ToTime(x.StartDate)), 0)
		longest = max(longest, ds[i])
	}
	out := make([]rune, 0, len(ds))
	for i := len(ds) - 1; i >= 0; i-- {
		level := 0
		if longest > 0 {
			level = int(float64(ds[i]) / float64(longest) * float64(len(sparks)-1))
		}
		out = append(out, sparks[level])
	}
	return string(out)
}
