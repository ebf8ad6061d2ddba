package pages

import (
	"strconv"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/ui/common"
)

const loopDef = `{"StartAt":"Count","States":{
 "Count":{"Type":"Pass","Next":"Enough?"},
 "Enough?":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThan":3,"Next":"Count"}],"Default":"Done"},
 "Done":{"Type":"Succeed"}}}`

// loopEvents is a long execution of loopDef: n events of Count and Enough? entered and
// left in turn, with a small payload each.
func loopEvents(n int) []types.HistoryEvent {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	evs := make([]types.HistoryEvent, 0, n)
	add := func(typ types.HistoryEventType, set func(*types.HistoryEvent)) {
		ts := t0.Add(time.Duration(len(evs)) * time.Millisecond)
		e := types.HistoryEvent{Id: int64(len(evs) + 1), Type: typ, Timestamp: &ts}
		if set != nil {
			set(&e)
		}
		evs = append(evs, e)
	}
	add(types.HistoryEventTypeExecutionStarted, func(e *types.HistoryEvent) {
		e.ExecutionStartedEventDetails = &types.ExecutionStartedEventDetails{Input: aws.String(`{"n":0}`)}
	})
	names := []string{"Count", "Enough?"}
	kinds := [][2]types.HistoryEventType{
		{types.HistoryEventTypePassStateEntered, types.HistoryEventTypePassStateExited},
		{types.HistoryEventTypeChoiceStateEntered, types.HistoryEventTypeChoiceStateExited}}
	for i := 0; len(evs) < n-1; i++ {
		k := i % 2
		add(kinds[k][0], func(e *types.HistoryEvent) {
			e.StateEnteredEventDetails = &types.StateEnteredEventDetails{Name: aws.String(names[k]), Input: aws.String(`{"n":1,"note":"a payload of a few words"}`)}
		})
		add(kinds[k][1], func(e *types.HistoryEvent) {
			e.StateExitedEventDetails = &types.StateExitedEventDetails{Name: aws.String(names[k]), Output: aws.String(`{"n":2,"note":"a payload of a few words"}`)}
		})
	}
	return evs
}

func benchPage(b testing.TB) (*Execution, []types.HistoryEvent) {
	def, err := asl.Parse([]byte(loopDef))
	if err != nil {
		b.Fatal(err)
	}
	c := common.New(nil, false)
	c.Width, c.Height = 160, 48
	x := NewExecution(c, "arn:aws:states:us-east-1:123456789012:execution:loop:big")
	x.def = def
	return x, loopEvents(25000)
}

// BenchmarkOpen25k: from the 25,000 events in hand to the first frame (table rows, graph
// painting, detail). The download itself is the client's and not counted.
func BenchmarkOpen25k(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		x, evs := benchPage(b)
		b.StartTimer()
		x.Update(polledMsg{owner: x, gen: x.followerGen, polled: client.Polled{Events: evs, Wait: time.Second}})
		_ = x.View()
	}
}

// BenchmarkFollow25k: the same events arriving as the follower delivers them, in pages
// of 1,000, with a frame after each.
func BenchmarkFollow25k(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		x, evs := benchPage(b)
		b.StartTimer()
		for i := 0; i < len(evs); i += 1000 {
			x.Update(polledMsg{owner: x, gen: x.followerGen, polled: client.Polled{Events: evs[i:min(i+1000, len(evs))], Wait: time.Second}})
			_ = x.View()
		}
	}
}

// alternateKeys presses a and b in turn on a page holding evs, rendering a frame after
// each: the cost of one key to the next frame.
func alternateKeys(b *testing.B, x *Execution, evs []types.HistoryEvent, setup []string, a, z tea.KeyPressMsg) {
	x.Update(polledMsg{owner: x, gen: x.followerGen, polled: client.Polled{Events: evs, Wait: time.Second}})
	for _, k := range setup {
		x.Update(tea.KeyPressMsg{Code: rune(k[0]), Text: k})
	}
	_ = x.View()
	i := 0
	for b.Loop() {
		k := a
		if i%2 == 1 {
			k = z
		}
		i++
		x.Update(k)
		_ = x.View()
	}
}

var (
	keyBack = tea.KeyPressMsg{Code: '[', Text: "["}
	keyFwd  = tea.KeyPressMsg{Code: ']', Text: "]"}
)

// BenchmarkKey25k: one arrow key in the history of a 25,000-event execution to the next
// frame.
func BenchmarkKey25k(b *testing.B) {
	x, evs := benchPage(b)
	alternateKeys(b, x, evs, nil, tea.KeyPressMsg{Code: tea.KeyUp}, tea.KeyPressMsg{Code: tea.KeyDown})
}

// BenchmarkScrub25k: time travel on a 25,000-event execution, the scrubber moved one
// event back or forward, to the next frame: the graph repainted as of that event, the
// selected state's input, output and variables as of it. The target is under 16 ms.
func BenchmarkScrub25k(b *testing.B) {
	x, evs := benchPage(b)
	alternateKeys(b, x, evs, []string{"t"}, keyBack, keyFwd)
}

// BenchmarkScrubDataFlow25k is BenchmarkScrub25k with the data-flow pane open.
func BenchmarkScrubDataFlow25k(b *testing.B) {
	x, evs := benchPage(b)
	alternateKeys(b, x, evs, []string{"t", "d"}, keyBack, keyFwd)
}

// BenchmarkScrubVars25k is BenchmarkScrub25k where every state assigns variables, so
// each step folds some 12,500 assignments for the detail pane.
func BenchmarkScrubVars25k(b *testing.B) {
	x, evs := benchPage(b)
	for i := range evs {
		if d := evs[i].StateExitedEventDetails; d != nil {
			d.AssignedVariables = map[string]string{"n": strconv.Itoa(i), "last": `"` + aws.ToString(d.Name) + `"`}
		}
	}
	alternateKeys(b, x, evs, []string{"t"}, keyBack, keyFwd)
}

// BenchmarkKeyViews25k: one key to the next frame in each view of a 25,000-event
// execution (12,500 state visits): the list moved one row down and back up. The target
// is under 16 ms.
func BenchmarkKeyViews25k(b *testing.B) {
	down, up := tea.KeyPressMsg{Code: tea.KeyDown}, tea.KeyPressMsg{Code: tea.KeyUp}
	for _, v := range []struct {
		name  string
		setup []string
	}{
		{"graph-full", []string{"z"}},
		{"table", []string{"v"}},
		{"events", []string{"v", "v"}},
		{"timeline", []string{"v", "v", "v"}},
	} {
		b.Run(v.name, func(b *testing.B) {
			x, evs := benchPage(b)
			alternateKeys(b, x, evs, v.setup, down, up)
		})
	}
}

// BenchmarkTimelineZoom25k: zooming the timeline of a 25,000-event execution in and
// out, a frame after each.
func BenchmarkTimelineZoom25k(b *testing.B) {
	x, evs := benchPage(b)
	alternateKeys(b, x, evs, []string{"v", "v", "v"}, tea.KeyPressMsg{Code: '+', Text: "+"}, tea.KeyPressMsg{Code: '-', Text: "-"})
}

// BenchmarkFirstTimeline25k: the first switch to the timeline on a 25,000-event
// execution, which lays all of it out (visits, lanes, rows), to the frame.
func BenchmarkFirstTimeline25k(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		x, evs := benchPage(b)
		x.Update(polledMsg{owner: x, gen: x.followerGen, polled: client.Polled{Events: evs, Wait: time.Second}})
		_ = x.View()
		b.StartTimer()
		x.Update(tea.KeyPressMsg{Code: 'v', Text: "v"})
		x.Update(tea.KeyPressMsg{Code: 'v', Text: "v"})
		x.Update(tea.KeyPressMsg{Code: 'v', Text: "v"})
		_ = x.View()
	}
}
