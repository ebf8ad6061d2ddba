package history

import (
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/awsjson"
)

// The fast reader must agree with the general codec on every event it takes, and leave
// every other event to it.
func TestFastReadAgreesWithTheCodec(t *testing.T) {
	ts := time.UnixMilli(1700000000123).UTC()
	events := []Event{
		{ID: 1, Timestamp: ts, Type: types.HistoryEventTypeExecutionStarted, Details: &types.ExecutionStartedEventDetails{Input: aws.String(`{"a":1}`), InputDetails: NotTruncated, RoleArn: aws.String("r")}},
		{ID: 2, Type: types.HistoryEventTypePassStateEntered, Details: Entered("P", `{}`)},
		{ID: 3, PreviousEventID: 2, Timestamp: ts, Type: types.HistoryEventTypePassStateExited, Details: Exited("P", `[1]`, map[string]string{"x": "1"})},
		{ID: 4, PreviousEventID: 3, Timestamp: ts, Type: types.HistoryEventTypeTaskScheduled, Details: &types.TaskScheduledEventDetails{Parameters: aws.String("{}"), Region: aws.String("us-east-1"), Resource: aws.String("invoke"), ResourceType: aws.String("lambda"), TimeoutInSeconds: aws.Int64(30)}},
		{ID: 5, PreviousEventID: 4, Timestamp: ts, Type: types.HistoryEventTypeTaskScheduled, Details: &types.TaskScheduledEventDetails{Resource: aws.String("invoke"), ResourceType: aws.String("lambda"), TaskCredentials: &types.TaskCredentials{RoleArn: aws.String("r")}}},
		{ID: 6, PreviousEventID: 5, Timestamp: ts, Type: types.HistoryEventTypeTaskFailed, Details: &types.TaskFailedEventDetails{Resource: aws.String("invoke"), ResourceType: aws.String("lambda"), Error: aws.String("E")}},
		{ID: 7, PreviousEventID: 6, Timestamp: ts, Type: types.HistoryEventTypeMapIterationStarted, Details: &types.MapIterationEventDetails{Name: aws.String("M"), Index: 3}},
		{ID: 8, PreviousEventID: 7, Timestamp: ts, Type: types.HistoryEventTypeMapStateStarted, Details: &types.MapStateStartedEventDetails{Length: 0}},
		{ID: 9, PreviousEventID: 8, Timestamp: ts, Type: types.HistoryEventTypeParallelStateStarted},
		{ID: 10, PreviousEventID: 9, Timestamp: ts, Type: types.HistoryEventTypeEvaluationFailed, Details: &types.EvaluationFailedEventDetails{State: aws.String("S"), Error: aws.String("E")}},
		{ID: 11, PreviousEventID: 10, Timestamp: ts, Type: types.HistoryEventTypeExecutionFailed, Details: &types.ExecutionFailedEventDetails{}},
	}
	for _, ev := range events {
		data, err := ev.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var fast Event
		if err := fast.UnmarshalJSON(data); err != nil {
			t.Fatal(err)
		}
		var h types.HistoryEvent
		if err := awsjson.Unmarshal(data, &h); err != nil {
			t.Fatal(err)
		}
		slow := FromSDK(h)
		if !reflect.DeepEqual(fast.ToSDK(), slow.ToSDK()) {
			t.Errorf("%s: fast %+v\nslow %+v", ev.Type, fast.ToSDK(), slow.ToSDK())
		}
	}
	// Members the fast reader does not know send the event to the codec, which keeps them.
	var e Event
	if err := e.UnmarshalJSON([]byte(`{"type":"PassStateEntered","id":1,"previousEventId":0,"stateEnteredEventDetails":{"name":"P","extra":1}}`)); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.StateName(); n != "P" {
		t.Errorf("name %q", n)
	}
}
