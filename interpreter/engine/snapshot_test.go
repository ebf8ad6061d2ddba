package engine

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// A definition that waits, retries, fans out and assigns variables: everything a
// snapshot must carry across.
const durableDefinition = `{"StartAt":"Init","States":{
	"Init":{"Type":"Pass","Assign":{"greeting":"hi"},"Next":"Par"},
	"Par":{"Type":"Parallel","Next":"M","ResultPath":"$.par","Branches":[
		{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"Next":"T"},
			"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":5}],"End":true}}},
		{"StartAt":"V","States":{"V":{"Type":"Pass","Parameters":{"g.$":"$greeting"},"End":true}}}]},
	"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":1,"ResultPath":"$.mapped","End":true,
		"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Wait","Seconds":1,"End":true}}}}}}`

func durableRegistry() *Registry {
	calls := 0
	reg := &Registry{}
	reg.Handle("*", func(ctx context.Context, c *TaskCall) (value.Value, error) {
		calls++
		if calls == 1 {
			return nil, failure.New("Flaky", "first call fails")
		}
		return value.ObjectOf("attempt", c.Attempt), nil
	})
	return reg
}

// driveThroughSnapshots runs x like Runner does, but writes the execution out and reads
// it back before every step, re-arming its timers from Rearm alone. It returns the last
// execution and every event the run produced.
func driveThroughSnapshots(t *testing.T, x *Execution, reg *Registry) (*Execution, []history.Event) {
	t.Helper()
	clock := NewVirtualClock(epoch)
	var inputs []Input
	var events []history.Event
	collect := func(res *Result) {
		events = append(events, res.Events...)
		for _, c := range res.Commands {
			if c.Kind == CmdInvokeTask {
				inputs = append(inputs, invokeNow(reg, c))
			}
		}
	}
	collect(x.Start(clock.Now()))
	for steps := 0; !x.Done(); steps++ {
		if steps > 1000 {
			t.Fatal("no end in sight")
		}
		data, err := x.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		if x, err = Restore(x.Def, data, x.Opts); err != nil {
			t.Fatal(err)
		}
		if len(x.History) != 0 {
			t.Fatal("a snapshot should not carry the history")
		}
		if len(inputs) > 0 {
			in := inputs[0]
			inputs = inputs[1:]
			collect(x.Advance(in, clock.Now()))
			continue
		}
		var next *Command
		for _, c := range x.Rearm() {
			if c.Kind == CmdStartTimer && (next == nil || c.At.Before(next.At)) {
				c := c
				next = &c
			}
		}
		if next == nil {
			t.Fatal("a restored execution waits for nothing")
		}
		_ = clock.SleepUntil(context.Background(), next.At)
		collect(x.Advance(Input{Kind: InputTimer, Frame: next.Frame, Seq: next.Seq, Purpose: next.Purpose}, clock.Now()))
	}
	return x, events
}

func TestSnapshotRestoreGivesTheSameHistory(t *testing.T) {
	input := `{"items":[1,2,3]}`
	straight := newExec(t, durableDefinition, input, Options{RecordHistory: true, TimeScale: 1})
	if err := (&Runner{Clock: NewVirtualClock(epoch), Handlers: durableRegistry()}).Run(context.Background(), straight); err != nil {
		t.Fatal(err)
	}
	restored, events := driveThroughSnapshots(t, newExec(t, durableDefinition, input, Options{RecordHistory: true, TimeScale: 1}), durableRegistry())
	if straight.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("the uninterrupted run ended %s: %s", straight.Status, straight.Cause)
	}
	if restored.Status != straight.Status || !value.Equal(restored.Output, straight.Output) {
		t.Fatalf("restored run: %s %s\nuninterrupted: %s %s", restored.Status, value.String(restored.Output), straight.Status, value.String(straight.Output))
	}
	a, _ := jsonOf(straight.History)
	b, _ := jsonOf(events)
	if a != b {
		t.Errorf("histories differ:\nuninterrupted %s\nrestored      %s", a, b)
	}
}

func jsonOf(history []history.Event) (string, error) {
	var out []byte
	for _, ev := range history {
		b, err := ev.MarshalJSON()
		if err != nil {
			return "", err
		}
		out = append(out, b...)
		out = append(out, '\n')
	}
	return string(out), nil
}

func TestRestoreRejectsAnotherDefinition(t *testing.T) {
	x := newExec(t, durableDefinition, `{"items":[]}`, Options{RecordHistory: true, TimeScale: 1})
	x.Start(epoch)
	data, err := x.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	other := newExec(t, `{"StartAt":"X","States":{"X":{"Type":"Succeed"}}}`, `{}`, Options{})
	if _, err := Restore(other.Def, data, Options{}); err == nil {
		t.Error("a snapshot restored against a definition without its states")
	}
	if _, err := Restore(x.Def, []byte(`{"frames":`), Options{}); err == nil {
		t.Error("a truncated snapshot was accepted")
	}
}
