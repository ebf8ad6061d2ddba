package client

import (
	"context"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// fakeHistory is a GetExecutionHistory that pages like AWS over a history that grows
// with a fake clock, and counts what it is asked and what it serves.
type fakeHistory struct {
	now      time.Duration // the fake clock, moved by sleep
	produced func(now time.Duration) int
	closeAt  int // the history ends with a close event once it has this many events (0: never)

	calls    int
	served   int      // events returned, over all calls
	tokens   []string // the token of each call ("" for none)
	failNext []error  // errors to return before serving, in order
	sleeps   []time.Duration
	// tokenWhenFull gives a full page a nextToken even when nothing follows, as some
	// services do.
	tokenWhenFull bool
	probes        int // reverse-order calls
}

func (f *fakeHistory) count() int {
	n := f.produced(f.now)
	if f.closeAt > 0 && n >= f.closeAt {
		n = f.closeAt
	}
	return n
}

func (f *fakeHistory) event(id int) types.HistoryEvent {
	t := types.HistoryEventTypePassStateEntered
	switch {
	case id == 1:
		t = types.HistoryEventTypeExecutionStarted
	case id == f.closeAt:
		t = types.HistoryEventTypeExecutionSucceeded
	}
	return types.HistoryEvent{Id: int64(id), PreviousEventId: int64(id - 1), Type: t}
}

func (f *fakeHistory) GetExecutionHistory(ctx context.Context, in *sfn.GetExecutionHistoryInput, _ ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error) {
	f.calls++
	tok := ""
	if in.NextToken != nil {
		tok = *in.NextToken
	}
	f.tokens = append(f.tokens, tok)
	if len(f.failNext) > 0 {
		err := f.failNext[0]
		f.failNext = f.failNext[1:]
		return nil, err
	}
	after := 0
	if tok != "" {
		n, err := strconv.Atoi(tok)
		if err != nil {
			return nil, &types.InvalidToken{Message: strPtr("Invalid Token: '" + tok + "'")}
		}
		after = n
	}
	limit := int(in.MaxResults)
	if limit == 0 {
		limit = 1000
	}
	total := f.count()
	out := &sfn.GetExecutionHistoryOutput{}
	if in.ReverseOrder {
		f.probes++
		for id := total; id > after && len(out.Events) < limit; id-- {
			out.Events = append(out.Events, f.event(id))
		}
		f.served += len(out.Events)
		return out, nil
	}
	for id := after + 1; id <= total && len(out.Events) < limit; id++ {
		out.Events = append(out.Events, f.event(id))
	}
	f.served += len(out.Events)
	if after+len(out.Events) < total || (f.tokenWhenFull && len(out.Events) == limit) {
		out.NextToken = strPtr(strconv.Itoa(after + len(out.Events)))
	}
	return out, nil
}

func (f *fakeHistory) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.sleeps = append(f.sleeps, d)
	f.now += d
	return nil
}

func strPtr(s string) *string { return &s }
