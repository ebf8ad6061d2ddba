package replay

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/history"
)

// FuzzReplay feeds arbitrary histories (events out of order, pointing at events that do
// not exist, at themselves, with details of the wrong kind) to the replay: it may refuse
// them, but must not panic or hang.
func FuzzReplay(f *testing.F) {
	recorded := record(f, order)
	seed, err := history.AppendEvents(nil, recorded)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`[{"id":1,"type":"ExecutionStarted"},{"id":2,"previousEventId":2,"type":"TaskStateEntered","stateEnteredEventDetails":{"name":"Charge"}},{"id":3,"previousEventId":2,"type":"ParallelStateStarted"},{"id":4,"previousEventId":3,"type":"PassStateEntered","stateEnteredEventDetails":{"name":"Nope"}}]`))
	def, err := asl.Parse([]byte(order))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var events []history.Event
		if json.Unmarshal(data, &events) != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		res, err := Run(ctx, def, events)
		if err == nil {
			_ = res.Report()
		}
	})
}
