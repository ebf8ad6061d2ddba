package pages

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

func TestExportNameIsASafeFileName(t *testing.T) {
	cases := map[string]string{
		"arn:aws:states:us-east-1:123456789012:execution:m:run-1":     "run-1.history.json",
		"arn:aws:states:us-east-1:123456789012:execution:m:a/b c\x1b": "a_b_c_.history.json",
		"arn:aws:states:us-east-1:123456789012:execution:m:..":        "execution.history.json",
		"arn:aws:states:us-east-1:123456789012:execution:m:":          "execution.history.json",
		"no-colon": "no-colon.history.json",
	}
	for arn, want := range cases {
		if got := exportName(arn); got != want {
			t.Errorf("exportName(%q) = %q, want %q", arn, got, want)
		}
	}
}

// pagedHistory serves the events of taskHistory two at a time, with tokens, and fails
// on the call numbered failAt (0: never).
type pagedHistory struct {
	calls  int
	failAt int
}

func (p *pagedHistory) GetExecutionHistory(_ context.Context, in *sfn.GetExecutionHistoryInput, _ ...func(*sfn.Options)) (*sfn.GetExecutionHistoryOutput, error) {
	p.calls++
	if p.calls == p.failAt {
		return nil, &types.ExecutionDoesNotExist{Message: aws.String("gone")}
	}
	if in.MaxResults != 1000 || !aws.ToBool(in.IncludeExecutionData) {
		return nil, errors.New("the export must ask for full pages with their data")
	}
	all := taskHistory()
	from := 0
	if in.NextToken != nil {
		from, _ = strconv.Atoi(*in.NextToken)
	}
	to := min(from+2, len(all))
	out := &sfn.GetExecutionHistoryOutput{Events: all[from:to]}
	if to < len(all) {
		out.NextToken = aws.String(strconv.Itoa(to))
	}
	return out, nil
}

func TestReadHistoryReadsEveryPage(t *testing.T) {
	api := &pagedHistory{}
	evs, err := readHistory(context.Background(), api, "arn")
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != len(taskHistory()) || api.calls != 5 {
		t.Fatalf("%d events in %d calls, want %d in 5", len(evs), api.calls, len(taskHistory()))
	}
	for i, e := range evs {
		if e.ID != int64(i+1) {
			t.Fatalf("event %d has id %d", i, e.ID)
		}
	}
	_, err = readHistory(context.Background(), &pagedHistory{failAt: 3}, "arn")
	var th *types.ExecutionDoesNotExist
	if !errors.As(err, &th) {
		t.Fatalf("a failing page gives %v, want the API's error", err)
	}
}
