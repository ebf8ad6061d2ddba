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

// order is the machine the recordings below come from: an Assign, a Task with a retry,
// a Choice, a Parallel with a Task in one branch and a Map in the other.
const order = `{"StartAt":"Discount","States":{
	"Discount":{"Type":"Pass","Assign":{"discount":0.1},"Next":"Charge"},
	"Charge":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"Parameters":{"FunctionName":"submit","Payload":{"sku.$":"$.sku","rate.$":"$discount"}},
		"ResultSelector":{"price.$":"$.Payload.price"},"ResultPath":"$.quote",
		"Retry":[{"ErrorEquals":["Busy"],"IntervalSeconds":1}],"Next":"Decide"},
	"Decide":{"Type":"Choice","Choices":[
		{"Variable":"$.quote.price","NumericGreaterThan":1000,"Next":"Manual"},
		{"Variable":"$.quote.price","NumericGreaterThan":100,"Next":"Fan Out"}],"Default":"Cheap"},
	"Manual":{"Type":"Pass","End":true},
	"Cheap":{"Type":"Pass","End":true},
	"Fan Out":{"Type":"Parallel","ResultPath":"$.signed","Next":"Audit","Branches":[
		{"StartAt":"Sign A","States":{"Sign A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"sign-a"},"End":true}}},
		{"StartAt":"Prepare","States":{
			"Prepare":{"Type":"Pass","Next":"Each"},
			"Each":{"Type":"Map","ItemsPath":"$.lines","MaxConcurrency":1,"End":true,
				"ItemProcessor":{"StartAt":"Check","States":{"Check":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
					"Parameters":{"FunctionName":"check","line.$":"$"},"Retry":[{"ErrorEquals":["Busy"]}],"End":true}}}}}}]},
	"Audit":{"Type":"Pass","End":true}}}`

// record runs a definition with handlers that stand for the real tasks, and returns its
// history, as a recorded execution would be. Charge fails once with Busy and is retried,
// and so does the Check of line 2.
func record(t testing.TB, def string) []history.Event {
	t.Helper()
	d, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	input := `{"sku":"A-1","lines":[1,2,3]}`
	x := engine.New(d, engine.Meta{Name: "rec", StateMachineName: "m", Type: types.StateMachineTypeStandard, StartTime: start, Input: input},
		value.MustParse(input), engine.Options{RecordHistory: true, TimeScale: 1})
	charged, checked2 := 0, 0
	reg := &engine.Registry{}
	reg.Handle("*", func(ctx context.Context, c *engine.TaskCall) (value.Value, error) {
		switch c.StateName {
		case "Charge":
			if charged++; charged == 1 {
				return nil, failure.New("Busy", "try again")
			}
			return value.MustParse(`{"Payload":{"price":120}}`), nil
		case "Sign A":
			return value.MustParse(`{"signed":"a"}`), nil
		case "Check":
			if line, _ := c.Input.(*value.Object).Get("line"); value.Equal(line, int64(2)) {
				if checked2++; checked2 == 1 {
					return nil, failure.New("Busy", "try again")
				}
			}
		}
		return value.ObjectOf("checked", c.Input), nil
	})
	if err := (&engine.Runner{Clock: engine.NewVirtualClock(start), Handlers: reg}).Run(context.Background(), x); err != nil {
		t.Fatal(err)
	}
	if x.Status != types.ExecutionStatusSucceeded {
		t.Fatalf("the recorded execution ended %s: %s %s", x.Status, x.Error, x.Cause)
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

// change edits the definition, failing when the text to replace is not there.
func change(t *testing.T, def string, pairs ...string) string {
	t.Helper()
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(def, pairs[i]) {
			t.Fatalf("the definition has no %s", pairs[i])
		}
		def = strings.Replace(def, pairs[i], pairs[i+1], 1)
	}
	return def
}

func TestReplayOfItsOwnDefinitionMatches(t *testing.T) {
	events := record(t, order)
	res := replay(t, order, events)
	if !res.Same() {
		t.Fatalf("a replay on the recorded definition differs:\n%s", res.Report())
	}
	if res.Execution.Status != types.ExecutionStatusSucceeded {
		t.Errorf("status %s", res.Execution.Status)
	}
}

// Each case changes the definition in one way; the report expected is what the change
// means, worked out by hand from the machine and the recorded task results.
func TestReplayReportsEachKindOfChange(t *testing.T) {
	events := record(t, order)
	cases := []struct {
		name    string
		changes []string
		want    string
	}{{
		name:    "parameters",
		changes: []string{`"FunctionName":"submit"`, `"FunctionName":"submit-v2"`},
		want: `"Charge" (visit 1): what it sends differs
    $.FunctionName: "submit" → "submit-v2"`,
	}, {
		name: "resource",
		changes: []string{`"Resource":"arn:aws:states:::lambda:invoke",
		"Parameters":{"FunctionName":"submit"`, `"Resource":"arn:aws:states:::sqs:sendMessage",
		"Parameters":{"FunctionName":"submit"`},
		// Both attempts (the recorded Busy failure and its retry) call the new resource.
		want: `"Charge" (visit 1): the resource differs: lambda:invoke → sqs:sendMessage
"Charge" (visit 1): the resource differs at attempt 2: lambda:invoke → sqs:sendMessage`,
	}, {
		// The discount is assigned, then sent by Charge: both are reported.
		name:    "assign",
		changes: []string{`"Assign":{"discount":0.1}`, `"Assign":{"discount":0.2}`},
		want: `"Discount" (visit 1): the variables it assigns differ
    $discount: 0.1 → 0.2
"Charge" (visit 1): what it sends differs
    $.Payload.rate: 0.1 → 0.2`,
	}, {
		// The recorded price 120 no longer passes the second rule: Default goes to Cheap,
		// which ends the execution without the Parallel's $.signed.
		name:    "choice to Default",
		changes: []string{`"NumericGreaterThan":100,`, `"NumericGreaterThan":200,`},
		want: `"Decide" (visit 1): the Choice now takes Default → "Cheap"; the recording went to "Fan Out"
the execution ends SUCCEEDED with another output
    $.signed: [{"signed":"a"},[{"checked":{"FunctionName":"check","line":1}},{"checked":{"FunctionName":"check","line":2}},{"checked":{"FunctionName":"check","line":3}}]] → (absent)`,
	}, {
		name:    "choice to another rule",
		changes: []string{`"NumericGreaterThan":1000,`, `"NumericGreaterThan":110,`},
		want: `"Decide" (visit 1): the Choice now takes Choices[0] → "Manual"; the recording went to "Fan Out"
the execution ends SUCCEEDED with another output
    $.signed: [{"signed":"a"},[{"checked":{"FunctionName":"check","line":1}},{"checked":{"FunctionName":"check","line":2}},{"checked":{"FunctionName":"check","line":3}}]] → (absent)`,
	}, {
		// Every iteration sends the new name; each is reported at its iteration, inside
		// the branch, and not at the Map or the Parallel around it.
		name:    "inside a Map iteration",
		changes: []string{`"FunctionName":"check"`, `"FunctionName":"check-v2"`},
		want: `"Check" (visit 1, in "Fan Out" branch 1 › "Each" iteration 0): what it sends differs
    $.FunctionName: "check" → "check-v2"
"Check" (visit 1, in "Fan Out" branch 1 › "Each" iteration 1): what it sends differs
    $.FunctionName: "check" → "check-v2"
"Check" (visit 1, in "Fan Out" branch 1 › "Each" iteration 2): what it sends differs
    $.FunctionName: "check" → "check-v2"`,
	}, {
		// An ItemSelector changes what one iteration's first state gets.
		name:    "iteration input",
		changes: []string{`"ItemsPath":"$.lines",`, `"ItemsPath":"$.lines","ItemSelector":{"line.$":"$$.Map.Item.Value","sku.$":"$.sku"},`},
		want: `"Check" (visit 1, in "Fan Out" branch 1 › "Each" iteration 0): the input differs
    $: 1 → {"line":1,"sku":"A-1"}
"Check" (visit 1, in "Fan Out" branch 1 › "Each" iteration 0): what it sends differs
    $.line: 1 → {"line":1,"sku":"A-1"}
"Check" (visit 1, in "Fan Out" branch 1 › "Each" iteration 1): the input differs
    $: 2 → {"line":2,"sku":"A-1"}
"Check" (visit 1, in "Fan Out" branch 1 › "Each" iteration 1): what it sends differs
    $.line: 2 → {"line":2,"sku":"A-1"}
"Check" (visit 1, in "Fan Out" branch 1 › "Each" iteration 2): the input differs
    $: 3 → {"line":3,"sku":"A-1"}
"Check" (visit 1, in "Fan Out" branch 1 › "Each" iteration 2): what it sends differs
    $.line: 3 → {"line":3,"sku":"A-1"}`,
	}, {
		name:    "inside a Parallel branch",
		changes: []string{`"FunctionName":"sign-a"`, `"FunctionName":"sign-a2"`},
		want: `"Sign A" (visit 1, in "Fan Out" branch 0): what it sends differs
    $.FunctionName: "sign-a" → "sign-a2"`,
	}, {
		// Prepare's new field rides along into Each's input, and is reported once.
		name:    "output inside a Parallel branch",
		changes: []string{`"Prepare":{"Type":"Pass",`, `"Prepare":{"Type":"Pass","Result":true,"ResultPath":"$.prepared",`},
		want: `"Prepare" (visit 1, in "Fan Out" branch 1): the output differs
    $.prepared: (absent) → true`,
	}, {
		name:    "renamed",
		changes: []string{`"Next":"Audit"`, `"Next":"Audit Trail"`, `"Audit":{`, `"Audit Trail":{`},
		want:    `"Audit" (visit 1): renamed "Audit Trail"`,
	}, {
		// The branch's first state is renamed: the branch is still found, and the Task
		// is answered with the renamed state's recorded result.
		name:    "renamed inside a Parallel branch",
		changes: []string{`{"StartAt":"Sign A","States":{"Sign A":`, `{"StartAt":"Sign B","States":{"Sign B":`},
		want:    `"Sign A" (visit 1, in "Fan Out" branch 0): renamed "Sign B"`,
	}, {
		name: "removed",
		changes: []string{`"Next":"Audit"`, `"End":true`, `,
	"Audit":{"Type":"Pass","End":true}`, ``},
		want: `"Audit" (visit 1): removed from the definition; the recording ran it`,
	}, {
		name: "removed inside a Parallel branch",
		changes: []string{`{"StartAt":"Prepare","States":{
			"Prepare":{"Type":"Pass","Next":"Each"},`, `{"StartAt":"Each","States":{`},
		want: `"Prepare" (visit 1, in "Fan Out" branch 1): removed from the definition; the recording ran it`,
	}, {
		// The Busy failure is no longer retried: Charge fails, and so does the execution.
		name:    "retry removed",
		changes: []string{`"Retry":[{"ErrorEquals":["Busy"],"IntervalSeconds":1}],`, ``},
		want: `"Charge" (visit 1): tried once; the recording tried it 2 times
"Charge" (visit 1): the replay does not leave the state; the recording left it
the execution ends FAILED (Busy); the recording ended SUCCEEDED`,
	}, {
		// Line 2's Busy failure is no longer retried: its iteration fails, the Map stops
		// before line 3, and the Parallel and the execution fail. Only the iteration is
		// reported, not the Map and Parallel around it.
		name:    "retry removed inside a Map iteration",
		changes: []string{`,"Retry":[{"ErrorEquals":["Busy"]}]`, ``},
		want: `"Check" (visit 1, in "Fan Out" branch 1 › "Each" iteration 1): tried once; the recording tried it 2 times
"Check" (visit 1, in "Fan Out" branch 1 › "Each" iteration 1): the replay does not leave the state; the recording left it
the execution ends FAILED (Busy); the recording ended SUCCEEDED`,
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := replay(t, change(t, order, c.changes...), events)
			if got := res.Report(); got != c.want {
				t.Errorf("report:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

func TestReplayReportsAStateTheRecordingNeverRan(t *testing.T) {
	events := record(t, order)
	changed := change(t, order, `"Audit":{"Type":"Pass","End":true}`, `"Audit":{"Type":"Pass","Next":"Extra"},"Extra":{"Type":"Pass","End":true}`)
	// Extra is reached only because Audit now goes there: that is the one difference.
	want := `"Audit" (visit 1): goes next to "Extra"; the recording went to nothing (the path ends there)`
	if got := replay(t, changed, events).Report(); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}
}

// A new first state is reported as never recorded; the old first state still runs, next.
func TestReplayReportsANewStart(t *testing.T) {
	events := record(t, order)
	changed := change(t, order, `{"StartAt":"Discount","States":{`, `{"StartAt":"Hello","States":{"Hello":{"Type":"Pass","Next":"Discount"},`)
	want := `"Hello" (visit 1): the replay enters it; the recording never did`
	if got := replay(t, changed, events).Report(); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}
}

func TestReplayNeedsAnExecutionStart(t *testing.T) {
	d, _ := asl.Parse([]byte(order))
	if _, err := Run(context.Background(), d, nil); err == nil {
		t.Error("an empty history replayed")
	}
}
