package pages

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

func TestRecentRunsPictures(t *testing.T) {
	t0 := time.Unix(1e9, 0)
	run := func(st types.ExecutionStatus, secs int) types.ExecutionListItem {
		x := types.ExecutionListItem{Status: st, StartDate: aws.Time(t0)}
		if st != types.ExecutionStatusRunning {
			x.StopDate = aws.Time(t0.Add(time.Duration(secs) * time.Second))
		}
		return x
	}
	// Newest first, as ListExecutions lists them.
	execs := []types.ExecutionListItem{run(types.ExecutionStatusRunning, 0), run(types.ExecutionStatusFailed, 80),
		run(types.ExecutionStatusSucceeded, 10), run(types.ExecutionStatusTimedOut, 40), run(types.ExecutionStatusAborted, 0)}
	if got := outcomeStrip(execs); got != "■⧖✓✗▸" {
		t.Errorf("strip %q", got)
	}
	// The running one has run 20 s by now; the longest (80 s) is the full bar.
	if got := durationSpark(execs, t0.Add(20*time.Second)); got != "▁▄▁█▂" {
		t.Errorf("spark %q", got)
	}
	if durationSpark(nil, t0) != "" || outcomeStrip(nil) != "" {
		t.Error("no executions, no picture")
	}
}
