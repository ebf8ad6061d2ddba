package engine

import (
	"context"
	"testing"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// FuzzExecute runs arbitrary definitions on arbitrary inputs: whatever they hold, the
// engine must close the execution (the history quota ends endless loops) without
// panicking, and keep its event ids gap-free.
func FuzzExecute(f *testing.F) {
	f.Add(loopDefinition, `{"i":0,"n":3}`)
	f.Add(`{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.a","MaxConcurrencyPath":"$.m","ToleratedFailureCount":1,"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Fail","Error":"E"}}},"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.e","Next":"D"}],"Next":"D"},"D":{"Type":"Succeed"}}}`, `{"a":[1,2,3],"m":2}`)
	f.Add(`{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","End":true}}},{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":2}],"End":true}}}],"ResultSelector":{"x.$":"$[0]"},"End":true}}}`, `{"s":5}`)
	f.Add(`{"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$.e","CausePath":"States.JsonToString($)"}}}`, `{"e":"x"}`)
	// The echoing handler below answers a read with its parameters: the Body is the file.
	f.Add(`{"StartAt":"M","States":{"M":{"Type":"Map","ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","MaxItemsPath":"$.n"},"Parameters":{"Body.$":"$.csv"}},"ItemBatcher":{"MaxItemsPerBatch":2},"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"b"}},"ToleratedFailureCount":1,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"Catch":[{"ErrorEquals":["States.ALL"],"Next":"D"}],"End":true},"D":{"Type":"Succeed"}}}`, `{"csv":"a,b\n1,2\n3","n":2}`)
	f.Fuzz(func(t *testing.T, def, input string) {
		d, err := asl.Parse([]byte(def))
		if err != nil {
			return
		}
		in, err := value.ParseString(input)
		if err != nil {
			return
		}
		x := New(d, Meta{Name: "f", StateMachineName: "f", StartTime: epoch, Input: input}, in,
			Options{RecordHistory: true, HistoryLimit: 300, TimeScale: 1})
		reg := &Registry{}
		reg.Handle("*", func(ctx context.Context, c *TaskCall) (value.Value, error) {
			if value.KindOf(c.Input) == value.KindString {
				return nil, failure.New("Handler.Error", "strings fail")
			}
			return c.Input, nil
		})
		if err := (&Runner{Clock: NewVirtualClock(epoch), Handlers: reg}).Run(context.Background(), x); err != nil {
			t.Fatalf("run: %v", err)
		}
		if !x.Done() {
			t.Fatal("the execution did not close")
		}
		for i, ev := range x.History {
			if ev.ID != int64(i+1) || ev.PreviousEventID >= ev.ID {
				t.Fatalf("event %d has id %d and previous %d", i, ev.ID, ev.PreviousEventID)
			}
		}
	})
}
