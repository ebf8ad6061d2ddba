package awsjson

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// benchHistory is a GetExecutionHistory page of n typical events.
func benchHistory(n int) *sfn.GetExecutionHistoryOutput {
	out := &sfn.GetExecutionHistoryOutput{Events: make([]types.HistoryEvent, n), NextToken: aws.String("tok")}
	for i := range out.Events {
		ts := time.UnixMilli(1700000000000 + int64(i)).UTC()
		payload := fmt.Sprintf(`{"orderId":"order-%08d","amount":%d,"ok":true}`, i, i%1000)
		e := types.HistoryEvent{Id: int64(i + 1), PreviousEventId: int64(i), Timestamp: &ts}
		if i%2 == 0 {
			e.Type = types.HistoryEventTypeTaskStateEntered
			e.StateEnteredEventDetails = &types.StateEnteredEventDetails{Name: aws.String("ProcessOrder"), Input: &payload,
				InputDetails: &types.HistoryEventExecutionDataDetails{}}
		} else {
			e.Type = types.HistoryEventTypeTaskStateExited
			e.StateExitedEventDetails = &types.StateExitedEventDetails{Name: aws.String("ProcessOrder"), Output: &payload,
				OutputDetails: &types.HistoryEventExecutionDataDetails{}}
		}
		out.Events[i] = e
	}
	return out
}

func BenchmarkMarshalHistoryPage1000(b *testing.B) {
	h := benchHistory(1000)
	buf, _ := Append(nil, h)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = Append(buf[:0], h); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnmarshalHistoryPage1000(b *testing.B) {
	data, _ := Marshal(benchHistory(1000))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var out sfn.GetExecutionHistoryOutput
		if err := Unmarshal(data, &out); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnmarshalStartExecutionInput(b *testing.B) {
	data := []byte(`{"stateMachineArn":"arn:aws:states:us-east-1:111111111111:stateMachine:m","name":"e1","input":"{\"a\":1}"}`)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var in sfn.StartExecutionInput
		if err := Unmarshal(data, &in); err != nil {
			b.Fatal(err)
		}
	}
}
