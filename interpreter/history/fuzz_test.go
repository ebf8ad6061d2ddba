package history

import (
	"bytes"
	"testing"
)

// FuzzEventJSON: no input makes UnmarshalJSON panic; an accepted event can be written,
// and writing is stable across a second round trip.
func FuzzEventJSON(f *testing.F) {
	for i, typ := range []string{"PassStateEntered", "TaskScheduled", "MapIterationFailed", "ExecutionStarted", "MapRunRedriven"} {
		e := sampleEvent(typ, int64(i+1))
		data, err := e.MarshalJSON()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"type":"Mystery","taskFailedEventDetails":{"error":"E"},"stateEnteredEventDetails":{}}`))
	f.Add([]byte(`{"type":"MapIterationStarted","mapIterationFailedEventDetails":{"index":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var e Event
		if err := e.UnmarshalJSON(data); err != nil {
			return
		}
		once, err := e.MarshalJSON()
		if err != nil {
			t.Fatalf("decoded %q to %+v but cannot write it: %v", data, e, err)
		}
		var back Event
		if err := back.UnmarshalJSON(once); err != nil {
			t.Fatalf("cannot read our own output %s: %v", once, err)
		}
		twice, _ := back.MarshalJSON()
		if !bytes.Equal(once, twice) {
			t.Fatalf("unstable round trip\n%s\n%s", once, twice)
		}
		e.ToSDK()
	})
}
