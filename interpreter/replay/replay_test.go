package replay

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

const original = `{"StartAt":"Price","States":{
	"Price":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"sku.$":"$.sku"},
		"ResultSelector":{"price.$":"$.Payload.price"},"ResultPath":"$.quote",
		"Retry":[{"ErrorEquals":["Busy"],"IntervalSeconds":1}],"Next":"Each"},
	"Each":{"Type":"Map","ItemsPath":"$.lines","ResultPath":"$.checked","MaxConcurrency":2,"Next":"Decide",
		"ItemProcessor":{"StartAt":"Check","States":{"Check":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}},
	"Decide":{"Type":"Choice","Choices":[{"Variable":"$.quote.price","NumericGreaterThan":100,"Next":"Expensive"}],"Default":"Cheap"},
	"Expensive":{"Type":"Pass","Result":"ask a human","ResultPath":"$.verdict","End":true},
	"Cheap":{"Type":"Pass","Result":"buy","ResultPath":"$.verdict","End":true}}}`

// record runs a definition with handlers that stand for the real tasks, and returns its
// history, as a recorded execution would be.
func record(t *testing.T, def string) []history.Event {
	t.Helper()
	d, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	input := `{"sku":"A-1","lines":[1,2,3]}`
	x := engine.New(d, engine.Meta{Name: "rec", StateMachineName: "m", Type: types.StateMachineTypeStandard, StartTime: start, Input: input},
		value.MustParse(input), engine.Options{RecordHistory: true, TimeScale: 1})
	calls := 0
	reg := &engine.Registry{}
	reg.Handle("*", func(ctx context.Context, c *engine.TaskCall) (value.Value, error) {
		calls++
		if c.StateName == "Price" && calls == 1 {
			return nil, failure.New("Busy", "try again")
		}
		if c.StateName == "Price" {
			return value.MustParse(`{"Payload":{"price":120}}`), nil
		}
		return value.ObjectOf("line", c.Input), nil
	})
	if err := (&engine.Runner{Clock: engine.NewVirtualClock(start), Handlers: reg}).Run(context.Background(), x); err != nil {
		t.Fatal(err)
	}
	return x.History
}

func replay(t *testing.T, def string, events []history.Event) *Result {
	t.Helper()
	d, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), d, events)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestReplayOfItsOwnDefinitionMatches(t *testing.T) {
	events := record(t, original)
	res := replay(t, original, events)
	if res.Divergence != nil {
		t.Fatalf("a replay on the recorded definition diverged: %s", res.Divergence)
	}
	if res.Execution.Status != types.ExecutionStatusSucceeded {
		t.Errorf("status %s", res.Execution.Status)
	}
}

func TestReplayFindsTheFirstDivergence(t *testing.T) {
	events := record(t, original)
	// The threshold moves: the recorded price of 120 now counts as cheap.
	changed := strings.Replace(original, `"NumericGreaterThan":100`, `"NumericGreaterThan":200`, 1)
	d := replay(t, changed, events).Divergence
	if d == nil || d.State != "Expensive" || d.What != "not reached" {
		t.Fatalf("divergence = %v, want Expensive not reached", d)
	}
	// A changed ResultSelector shows up as the output of the state that has it.
	changed = strings.Replace(original, `"price.$":"$.Payload.price"`, `"cost.$":"$.Payload.price"`, 1)
	d = replay(t, changed, events).Divergence
	if d == nil || d.State != "Price" || d.What != "output" || !strings.Contains(d.Replayed, `"cost"`) {
		t.Fatalf("divergence = %v, want Price's output", d)
	}
	// A state the recording never ran.
	changed = strings.Replace(original, `"Default":"Cheap"`, `"Default":"Cheap"},"Extra":{"Type":"Pass","End":true`, 1)
	changed = strings.Replace(changed, `"Result":"ask a human","ResultPath":"$.verdict","End":true`, `"Result":"ask a human","ResultPath":"$.verdict","Next":"Extra"`, 1)
	d = replay(t, changed, events).Divergence
	if d == nil || d.State != "Extra" || d.What != "not recorded" {
		t.Fatalf("divergence = %v, want Extra not recorded", d)
	}
}

func TestReplayNeedsAnExecutionStart(t *testing.T) {
	d, _ := asl.Parse([]byte(original))
	if _, err := Run(context.Background(), d, nil); err == nil {
		t.Error("an empty history replayed")
	}
}
