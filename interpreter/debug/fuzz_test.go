package debug

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// fuzzDefs cover the shapes the controls act on differently: branches, iterations,
// waits, retries, catches and tasks answered by hand.
var fuzzDefs = []string{linear, parallel, waitAndTask, caught,
	`{"StartAt":"Each","States":{"Each":{"Type":"Map","MaxConcurrency":2,"Next":"After",
		"ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"Next":"T"},
			"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
				"Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"MaxAttempts":1}]}}}},
		"After":{"Type":"Pass","End":true}}}`}

// FuzzControls drives a session with any sequence of controls: nothing panics, the
// history's ids stay gap-free, and a closed execution has closed for good.
func FuzzControls(f *testing.F) {
	f.Add(uint8(0), []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add(uint8(1), []byte{0, 0, 1, 2, 2, 5, 5, 3})
	f.Add(uint8(4), []byte{8, 0, 6, 6, 7, 7, 2, 9, 4})
	f.Fuzz(func(t *testing.T, which uint8, ops []byte) {
		if len(ops) > 64 {
			ops = ops[:64]
		}
		def, err := asl.Parse([]byte(fuzzDefs[int(which)%len(fuzzDefs)]))
		if err != nil {
			t.Fatal(err)
		}
		s, err := New(Config{Definition: def, Input: value.MustParse(`[1,2,3]`), TimeScale: 0})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for i, op := range ops {
			v := s.View()
			frame := -1
			if len(v.Held) > 0 {
				frame = v.Held[int(op>>4)%len(v.Held)].Frame
			}
			switch op % 10 {
			case 0:
				_ = s.Step(frame)
			case 1:
				_ = s.StepOver(frame)
			case 2:
				s.Continue()
			case 3:
				s.Pause()
			case 4:
				s.ToggleBreakpoint([]string{"A", "B", "T", "W", "Par", "Each", "After"}[int(op>>4)%7])
			case 5:
				_ = s.SetInput(frame, value.ObjectOf("n", int64(i)))
			case 6:
				for _, tm := range v.Timers {
					_ = s.Skip(tm.Frame)
				}
			case 7:
				for _, tk := range v.Tasks {
					if op&0x10 != 0 {
						_ = s.Answer(tk.Frame, value.ObjectOf("ok", true), nil, nil)
					} else {
						e, c := "Boom", "by hand"
						_ = s.Answer(tk.Frame, nil, &e, &c)
					}
				}
			case 8:
				s.BreakOn(op&0x10 != 0, op&0x20 != 0)
			case 9:
				if op&0x30 == 0x30 {
					s.Stop()
				}
			}
		}
		// The view first: tasks and timers go on in the background, and a history read
		// after a closed view holds the closing event.
		v := s.View()
		evs := s.History()
		for i, ev := range evs {
			if ev.ID != int64(i+1) {
				t.Fatalf("event %d has id %d", i+1, ev.ID)
			}
		}
		if v.Status != types.ExecutionStatusRunning {
			last := evs[len(evs)-1].Type
			switch last {
			case types.HistoryEventTypeExecutionSucceeded, types.HistoryEventTypeExecutionFailed,
				types.HistoryEventTypeExecutionAborted, types.HistoryEventTypeExecutionTimedOut:
			default:
				t.Fatalf("closed as %s, but the last event is %s", v.Status, last)
			}
		}
	})
}
