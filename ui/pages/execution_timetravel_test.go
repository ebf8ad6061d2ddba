package pages

import (
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/charmbracelet/x/ansi"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/interpreter/asl"
	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/components/graph"
)

// taskDef prices an order with a Task whose result is reshaped, after a Pass that
// assigns a variable the Task's Parameters read.
const taskDef = `{"StartAt":"Start","States":{
 "Start":{"Type":"Pass","Assign":{"rate":2},"Next":"Price"},
 "Price":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","InputPath":"$.order",
  "Parameters":{"id.$":"$.id","rate.$":"$rate"},"ResultSelector":{"total.$":"$.Payload.total"},
  "ResultPath":"$.priced","Assign":{"rate":3},"End":true}}}`

// history builds events from (type, details) pairs, ids from 1, previous ids chained
// as given by prev (0: the event before).
type evSpec struct {
	typ     types.HistoryEventType
	details any
	prev    int64
}

func buildHistory(specs []evSpec) []types.HistoryEvent {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]types.HistoryEvent, len(specs))
	for i, s := range specs {
		id := int64(i + 1)
		prev := s.prev
		if prev == 0 {
			prev = id - 1
		}
		e := hist.Event{ID: id, PreviousEventID: prev, Timestamp: t0.Add(time.Duration(i) * time.Second), Type: s.typ, Details: s.details}
		out[i] = e.ToSDK()
	}
	return out
}

func taskHistory() []types.HistoryEvent {
	return buildHistory([]evSpec{
		{typ: types.HistoryEventTypeExecutionStarted, details: &types.ExecutionStartedEventDetails{Input: aws.String(`{"order":{"id":7}}`), RoleArn: aws.String("arn:aws:iam::123456789012:role/r")}},
		{typ: types.HistoryEventTypePassStateEntered, details: hist.Entered("Start", `{"order":{"id":7}}`)},
		{typ: types.HistoryEventTypePassStateExited, details: hist.Exited("Start", `{"order":{"id":7}}`, map[string]string{"rate": "2"})},
		{typ: types.HistoryEventTypeTaskStateEntered, details: hist.Entered("Price", `{"order":{"id":7}}`)},
		{typ: types.HistoryEventTypeTaskScheduled, details: &types.TaskScheduledEventDetails{Resource: aws.String("invoke"), ResourceType: aws.String("lambda"), Parameters: aws.String(`{"id":7,"rate":2}`), Region: aws.String("us-east-1")}},
		{typ: types.HistoryEventTypeTaskStarted, details: &types.TaskStartedEventDetails{Resource: aws.String("invoke"), ResourceType: aws.String("lambda")}},
		{typ: types.HistoryEventTypeTaskSucceeded, details: &types.TaskSucceededEventDetails{Resource: aws.String("invoke"), ResourceType: aws.String("lambda"), Output: aws.String(`{"Payload":{"total":14}}`)}},
		{typ: types.HistoryEventTypeTaskStateExited, details: hist.Exited("Price", `{"order":{"id":7},"priced":{"total":14}}`, map[string]string{"rate": "3"})},
		{typ: types.HistoryEventTypeExecutionSucceeded, details: &types.ExecutionSucceededEventDetails{Output: aws.String(`{"order":{"id":7},"priced":{"total":14}}`)}},
	})
}

func newPage(t testing.TB, def string, w, h int) *Execution {
	t.Helper()
	d, err := asl.Parse([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	c := common.New(nil, false)
	c.Styles = common.DefaultStyles(true)
	c.Width, c.Height = w, h
	c.Span = func(d time.Duration) string { return d.String() }
	x := NewExecution(c, "arn:aws:states:us-east-1:123456789012:execution:m:run-1")
	x.def = d
	x.desc = &sfn.DescribeExecutionOutput{Status: types.ExecutionStatusSucceeded, Name: aws.String("run-1"),
		StateMachineArn: aws.String("arn:aws:states:us-east-1:123456789012:stateMachine:m"), Input: aws.String(`{"order":{"id":7}}`)}
	return x
}

func feed(x *Execution, evs []types.HistoryEvent) {
	x.Update(polledMsg{owner: x, gen: x.followerGen, polled: client.Polled{Events: evs, Wait: time.Second}})
}

func send(x *Execution, keys ...string) {
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "home":
			msg = tea.KeyPressMsg{Code: tea.KeyHome}
		case "end":
			msg = tea.KeyPressMsg{Code: tea.KeyEnd}
		case "up":
			msg = tea.KeyPressMsg{Code: tea.KeyUp}
		case "down":
			msg = tea.KeyPressMsg{Code: tea.KeyDown}
		case "tab":
			msg = tea.KeyPressMsg{Code: tea.KeyTab}
		default:
			msg = tea.KeyPressMsg{Code: []rune(k)[0], Text: k}
		}
		x.Update(msg)
	}
}

func screen(x *Execution) string { return ansi.Strip(x.View()) }

func mustShow(t *testing.T, s string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			t.Fatalf("screen lacks %q:\n%s", p, s)
		}
	}
}

func TestScrubberPaintsAsOfEventN(t *testing.T) {
	x := newPage(t, taskDef, 140, 44)
	evs := taskHistory()
	feed(x, evs)
	send(x, "t")
	if x.asOf != len(evs) {
		t.Fatalf("time travel starts at %d, want the selected (last) event %d", x.asOf, len(evs))
	}
	send(x, "home")
	mustShow(t, screen(x), "as of event 1/9 · 0s")
	if got := x.painting.States["Start"]; got != graph.NotStarted {
		t.Fatalf("Start is %v as of event 1", got)
	}
	send(x, "]")
	if got := x.painting.States["Start"]; got != graph.Running {
		t.Fatalf("Start is %v as of event 2", got)
	}
	send(x, "}")
	mustShow(t, screen(x), "as of event 9/9 · 8s")
	if x.painting.States["Price"] != graph.Succeeded {
		t.Fatalf("Price is %v at the end", x.painting.States["Price"])
	}
	send(x, "{", "[")
	if x.asOf != 1 {
		t.Fatalf("{ then [ from 9 went to %d, want 1 (clamped)", x.asOf)
	}
	// The whole painting matches Paint over the first N events, at every N.
	for n := 1; n <= len(evs); n++ {
		x.asOf = n
		x.scrub(0)
		want := graph.Paint(x.def, x.events[:n]).States
		for name, s := range want {
			if x.painting.States[name] != s {
				t.Fatalf("as of %d, %s is %v, want %v", n, name, x.painting.States[name], s)
			}
		}
	}
}

func TestStateInputOutputAndVariablesAsOfN(t *testing.T) {
	x := newPage(t, taskDef, 140, 60)
	feed(x, taskHistory())
	x.selected = "Price"
	x.focus = graphPane // the selection stays on Price while scrubbing
	send(x, "t", "home", "]", "]")
	s := screen(x)
	mustShow(t, s, "State Price · not started", `"rate": 2`)
	if strings.Contains(s, "Input (event") {
		t.Fatalf("Price shows an input before it was entered:\n%s", s)
	}
	send(x, "]", "]") // event 5: entered, not left
	mustShow(t, screen(x), "State Price · running", "Input (event 4)")
	if strings.Contains(screen(x), "Output (event") {
		t.Fatal("Price shows an output before it left")
	}
	send(x, "end")
	s = screen(x)
	mustShow(t, s, "State Price · succeeded", "Output (event 8)", `"total": 14`, `"rate": 3`)
}

func TestDataFlowRecomputedFromTheHistory(t *testing.T) {
	x := newPage(t, taskDef, 140, 140)
	feed(x, taskHistory())
	x.selected = "Price"
	x.focus = graphPane
	send(x, "d")
	s := screen(x)
	mustShow(t, s, "Data flow of Price (JSONPath Task), entered at event 4", "result from event 7 (TaskSucceeded)",
		"1. InputPath  $.order", "2. Parameters", `"rate": 2`, "3. Result", "4. ResultSelector", `"total": 14`,
		"5. ResultPath  $.priced", "6. Assign", `"rate": 3`, "7. OutputPath  (not set")
	// As of event 6 the task has not answered: the flow stops before the result.
	send(x, "t", "home", "}")
	x.scrub(-5) // event 6
	s = screen(x)
	mustShow(t, s, "no result yet as of this event", "2. Parameters")
	if strings.Contains(s, "3. Result") {
		t.Fatalf("a result shown before the task answered:\n%s", s)
	}
	send(x, "d")
	if strings.Contains(screen(x), "Data flow of") {
		t.Fatal("d did not close the data flow")
	}
}

func TestDataFlowOfAParallelBranchTask(t *testing.T) {
	def := `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
	 {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
	 {"StartAt":"B","States":{"B":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}]}}}`
	ok := func(out string) *types.TaskSucceededEventDetails {
		return &types.TaskSucceededEventDetails{Resource: aws.String("invoke"), ResourceType: aws.String("lambda"), Output: aws.String(out)}
	}
	// The branches interleave: B's result comes between A's events, linked by
	// previousEventId, as AWS records them.
	evs := buildHistory([]evSpec{
		{typ: types.HistoryEventTypeExecutionStarted, details: &types.ExecutionStartedEventDetails{Input: aws.String(`{}`)}},
		{typ: types.HistoryEventTypeParallelStateEntered, details: hist.Entered("P", `{}`)},
		{typ: types.HistoryEventTypeParallelStateStarted, details: nil},
		{typ: types.HistoryEventTypeTaskStateEntered, details: hist.Entered("A", `{}`), prev: 3},
		{typ: types.HistoryEventTypeTaskStateEntered, details: hist.Entered("B", `{}`), prev: 3},
		{typ: types.HistoryEventTypeTaskSucceeded, details: ok(`"from B"`), prev: 5},
		{typ: types.HistoryEventTypeTaskSucceeded, details: ok(`"from A"`), prev: 4},
		{typ: types.HistoryEventTypeTaskStateExited, details: hist.Exited("A", `"from A"`, nil), prev: 7},
		{typ: types.HistoryEventTypeTaskStateExited, details: hist.Exited("B", `"from B"`, nil), prev: 6},
		{typ: types.HistoryEventTypeParallelStateSucceeded, details: nil, prev: 9},
		{typ: types.HistoryEventTypeParallelStateExited, details: hist.Exited("P", `["from A","from B"]`, nil)},
	})
	x := newPage(t, def, 140, 60)
	feed(x, evs)
	x.focus = graphPane
	x.selected = "A"
	send(x, "d")
	mustShow(t, screen(x), "result from event 7 (TaskSucceeded)", `"from A"`)
	x.selected = "P"
	s := screen(x)
	mustShow(t, s, "result from event 11 (ParallelStateExited)", "from B")
}

func TestRunningExecutionKeepsTheScrubber(t *testing.T) {
	x := newPage(t, taskDef, 140, 44)
	evs := taskHistory()
	feed(x, evs[:5])
	send(x, "t", "[", "[")
	feed(x, evs[5:7])
	if x.asOf != 3 {
		t.Fatalf("new events moved the scrubber to %d; it was at 3", x.asOf)
	}
	mustShow(t, screen(x), "as of event 3/7")
	send(x, "end")
	feed(x, evs[7:])
	if x.asOf != 9 {
		t.Fatalf("at the end the scrubber stays at the end: %d", x.asOf)
	}
	mustShow(t, screen(x), "as of event 9/9")
}

func TestTabCyclesGraphHistoryDetail(t *testing.T) {
	x := newPage(t, taskDef, 140, 44)
	feed(x, taskHistory())
	want := []pane{detailPane, graphPane, historyPane}
	for i, p := range want {
		send(x, "tab")
		if x.focus != p {
			t.Fatalf("tab %d: focus %d, want %d", i+1, x.focus, p)
		}
	}
	// Folding in the detail pane: the event detail of the last event has an object.
	send(x, "up", "tab", "z")
	if s := screen(x); !strings.Contains(s, "{…}") {
		t.Fatalf("z in the detail folded nothing:\n%s", s)
	}
}

func TestVarsAreFoldedInOrder(t *testing.T) {
	x := newPage(t, taskDef, 100, 30)
	feed(x, taskHistory())
	if got := varsObject(x.varsAt(3)); got != `{"rate":2}` {
		t.Fatalf("as of 3: %s", got)
	}
	if got := varsObject(x.varsAt(8)); got != `{"rate":3}` {
		t.Fatalf("as of 8: %s", got)
	}
	if got := varsObject(x.varsAt(1)); got != `{}` {
		t.Fatalf("as of 1: %s", got)
	}
}

func TestGraphSelectionUnderTimeTravelKeepsAsOf(t *testing.T) {
	x := newPage(t, taskDef, 140, 44)
	feed(x, taskHistory())
	send(x, "t", "home", "]", "]") // as of 3: Start has left, Price not entered
	send(x, "tab", "tab")          // history → detail → graph
	x.selected = "Start"
	send(x, "down") // to Price
	if x.selected != "Price" {
		t.Fatalf("graph selection %q, want Price", x.selected)
	}
	if x.asOf != 3 {
		t.Fatalf("walking the graph moved as of to %d", x.asOf)
	}
	if c := x.table.Cursor(); c >= 3 {
		t.Fatalf("the cursor went to event %d, after as of", c+1)
	}
	// home and end in the detail pane scroll it rather than the scrubber.
	send(x, "tab", "tab", "end")
	if x.asOf != 3 {
		t.Fatalf("end in the detail pane moved as of to %d", x.asOf)
	}
}

// TestVarsAtMatchesAPlainFold checks the marks varsAt keeps against folding every
// assignment from the start, across many marks and in any order of questions.
func TestVarsAtMatchesAPlainFold(t *testing.T) {
	specs := []evSpec{{typ: types.HistoryEventTypeExecutionStarted, details: &types.ExecutionStartedEventDetails{Input: aws.String(`{}`)}}}
	for i := 0; i < 3*varsEvery+7; i++ {
		name := "S" + strconv.Itoa(i%5)
		specs = append(specs,
			evSpec{typ: types.HistoryEventTypePassStateEntered, details: hist.Entered(name, `{}`)},
			evSpec{typ: types.HistoryEventTypePassStateExited, details: hist.Exited(name, `{}`,
				map[string]string{"v" + strconv.Itoa(i%7): strconv.Itoa(i), "last": `"` + name + `"`})})
	}
	x := newPage(t, taskDef, 100, 30)
	feed(x, buildHistory(specs))
	plain := func(n int) string {
		vars := map[string]string{}
		for i := 0; i < n; i++ {
			if d, ok := x.events[i].Details.(*types.StateExitedEventDetails); ok {
				for k, v := range d.AssignedVariables {
					vars[k] = v
				}
			}
		}
		return varsObject(vars)
	}
	for _, n := range []int{len(x.events), 1, 2*varsEvery + 1, 2 * varsEvery, 2*varsEvery + 2, 777, 3, len(x.events) - 1, 4 * varsEvery} {
		if got, want := varsObject(x.varsAt(n)), plain(n); got != want {
			t.Fatalf("as of %d: %s, want %s", n, got, want)
		}
	}
	if len(x.index.marks) != 3 {
		t.Fatalf("%d marks for %d assignments", len(x.index.marks), len(x.index.assigned))
	}
}
