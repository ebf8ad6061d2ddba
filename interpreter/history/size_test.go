package history

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// typicalHistory builds n events alternating StateEntered and StateExited, each with its
// own ~50-byte payload, the bulk of a long real history.
func typicalHistory(n int) []Event {
	events := make([]Event, n)
	ts := time.UnixMilli(1700000000000).UTC()
	for i := range events {
		payload := fmt.Sprintf(`{"orderId":"order-%08d","amount":%d,"ok":true}`, i, i%1000)
		e := Event{ID: int64(i + 1), PreviousEventID: int64(i), Timestamp: ts.Add(time.Duration(i) * time.Millisecond)}
		if i%2 == 0 {
			e.Type, e.Details = types.HistoryEventTypeTaskStateEntered, Entered("ProcessOrder", payload)
		} else {
			e.Type, e.Details = types.HistoryEventTypeTaskStateExited, Exited("ProcessOrder", payload, nil)
		}
		events[i] = e
	}
	return events
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestHistorySize: 25,000 typical events must stay well under 20 MB in memory (the
// budget for a finished execution kept by the local engine).
func TestHistorySize(t *testing.T) {
	before := heapInUse()
	events := typicalHistory(25000)
	after := heapInUse()
	runtime.KeepAlive(events)
	used := int64(after) - int64(before)
	t.Logf("25,000 typical events: %.2f MB (%d bytes/event)", float64(used)/(1<<20), used/25000)
	if used > 10<<20 {
		t.Errorf("25,000 typical events take %.1f MB, want under 10 MB", float64(used)/(1<<20))
	}
}

func BenchmarkAppendEvents25k(b *testing.B) {
	events := typicalHistory(25000)
	buf, _ := AppendEvents(nil, events)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = AppendEvents(buf[:0], events); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkToSDKAll25k(b *testing.B) {
	events := typicalHistory(25000)
	b.ReportAllocs()
	for b.Loop() {
		ToSDKAll(events)
	}
}

func BenchmarkUnmarshalEvent(b *testing.B) {
	events := typicalHistory(2)
	data, _ := events[0].MarshalJSON()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var e Event
		if err := e.UnmarshalJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}
