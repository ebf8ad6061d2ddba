package client

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
)

// BenchmarkCallbacksInHistory is the finder over a 10,000-event history with 1,000
// callback tasks, half of them answered: what the callbacks screen pays per execution.
func BenchmarkCallbacksInHistory(b *testing.B) {
	def, err := asl.Parse([]byte(`{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
		"Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}}}}}`))
	if err != nil {
		b.Fatal(err)
	}
	var evs []types.HistoryEvent
	id := int64(0)
	add := func(prev int64, e types.HistoryEvent) int64 {
		id++
		e.Id, e.PreviousEventId = id, prev
		evs = append(evs, e)
		return id
	}
	add(0, types.HistoryEvent{Type: types.HistoryEventTypeExecutionStarted})
	for i := 0; i < 1000; i++ {
		entered := add(1, types.HistoryEvent{Type: types.HistoryEventTypeTaskStateEntered, StateEnteredEventDetails: &types.StateEnteredEventDetails{Name: aws.String("T")}})
		sched := add(entered, types.HistoryEvent{Type: types.HistoryEventTypeTaskScheduled, TaskScheduledEventDetails: &types.TaskScheduledEventDetails{
			Resource: aws.String("sendMessage.waitForTaskToken"), Parameters: aws.String(`{"QueueUrl":"q","MessageBody":{"token":"tok-` + strconv.Itoa(i) + `"}}`)}})
		started := add(sched, types.HistoryEvent{Type: types.HistoryEventTypeTaskStarted})
		if i%2 == 0 {
			add(started, types.HistoryEvent{Type: types.HistoryEventTypeTaskSucceeded})
		}
	}
	for len(evs) < 10000 {
		add(id, types.HistoryEvent{Type: types.HistoryEventTypeMapIterationStarted})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if got := CallbacksInHistory(def, "e", evs); len(got) != 500 {
			b.Fatalf("%d pending", len(got))
		}
	}
}

// BenchmarkFollowerNext is one poll that finds 100 new events on a page of 1000.
func BenchmarkFollowerNext(b *testing.B) {
	h := &fakeHistory{produced: func(now time.Duration) int { return int(now/time.Second) * 100 }}
	f := NewFollower(h, arn, FollowOptions{Sleep: h.sleep})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Next(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
