package timeline

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/charmbracelet/x/ansi"

	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/ui/components/history"
)

// fuzzTypes are the event types the layout treats apart, and a few it does not.
var fuzzTypes = []types.HistoryEventType{
	types.HistoryEventTypeExecutionStarted, types.HistoryEventTypeExecutionSucceeded, types.HistoryEventTypeExecutionFailed,
	types.HistoryEventTypePassStateEntered, types.HistoryEventTypePassStateExited,
	types.HistoryEventTypeTaskStateEntered, types.HistoryEventTypeTaskStateExited, types.HistoryEventTypeTaskStateAborted,
	types.HistoryEventTypeWaitStateEntered, types.HistoryEventTypeWaitStateExited,
	types.HistoryEventTypeParallelStateEntered, types.HistoryEventTypeParallelStateStarted, types.HistoryEventTypeParallelStateSucceeded,
	types.HistoryEventTypeParallelStateFailed, types.HistoryEventTypeParallelStateExited,
	types.HistoryEventTypeMapStateEntered, types.HistoryEventTypeMapStateStarted, types.HistoryEventTypeMapStateSucceeded,
	types.HistoryEventTypeMapStateExited, types.HistoryEventTypeMapIterationStarted, types.HistoryEventTypeMapIterationSucceeded,
	types.HistoryEventTypeMapIterationFailed, types.HistoryEventTypeTaskScheduled, types.HistoryEventTypeTaskStarted,
	types.HistoryEventTypeTaskSubmitted, types.HistoryEventTypeTaskSucceeded, types.HistoryEventTypeTaskFailed,
	types.HistoryEventTypeActivityScheduled, types.HistoryEventTypeActivityStarted, types.HistoryEventTypeEvaluationFailed,
	types.HistoryEventTypeMapRunStarted,
}

// decode turns fuzz bytes into a history: three bytes an event (its type, how far back
// its previous event is, a name), times that may go backwards.
func decode(data []byte) []hist.Event {
	names := []string{"A", "B", "Long name " + strings.Repeat("x", 30), "日本"}
	var evs []hist.Event
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i+2 < len(data) && len(evs) < 400; i += 3 {
		typ := fuzzTypes[int(data[i])%len(fuzzTypes)]
		id := int64(len(evs) + 1)
		prev := id - int64(data[i+1]%8)
		if data[i+1]%8 == 0 || prev < 0 {
			prev = 0
		}
		name := names[int(data[i+2])%len(names)]
		var d any
		switch {
		case hist.IsEntered(typ):
			d = hist.Entered(name, "{}")
		case hist.IsExited(typ):
			d = hist.Exited(name, "{}", nil)
		case strings.HasPrefix(string(typ), "MapIteration"):
			d = &types.MapIterationEventDetails{Name: aws.String(name), Index: int32(data[i+2] % 5)}
		case typ == types.HistoryEventTypeTaskScheduled:
			d = &types.TaskScheduledEventDetails{Resource: aws.String("x.waitForTaskToken"), ResourceType: aws.String("sqs"), Region: aws.String("r"), Parameters: aws.String("{}")}
		case typ == types.HistoryEventTypeTaskFailed:
			d = &types.TaskFailedEventDetails{Error: aws.String("E"), Cause: aws.String("c"), Resource: aws.String("x"), ResourceType: aws.String("y")}
		case typ == types.HistoryEventTypeEvaluationFailed:
			d = &types.EvaluationFailedEventDetails{Error: aws.String("E"), State: aws.String(name)}
		}
		at := t0.Add(time.Duration(int(data[i+2])-40) * time.Second * time.Duration(len(evs)%3))
		evs = append(evs, hist.Event{ID: id, PreviousEventID: prev, Timestamp: at, Type: typ, Details: d})
	}
	return evs
}

// FuzzTimeline lays out and draws arbitrary histories (links to anywhere before, blocks
// that never start or end, times out of order): no panic, no line wider than asked,
// every visit drawn once, and the same chart whether the events come at once or in two.
func FuzzTimeline(f *testing.F) {
	f.Add([]byte{0, 0, 0, 10, 1, 0, 11, 1, 0, 5, 1, 1, 5, 2, 2, 26, 1, 1, 6, 1, 1, 12, 2, 0, 14, 1, 0, 1, 1, 0})
	f.Add([]byte{0, 0, 0, 15, 1, 0, 16, 1, 0, 19, 1, 3, 3, 1, 3, 4, 1, 3, 20, 1, 3, 19, 2, 4, 17, 3, 0, 2, 1, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		evs := decode(data)
		if len(evs) == 0 {
			return
		}
		states := history.States(evs)
		tl := Build(evs, states)
		for _, w := range []int{1, 20, 57, 120} {
			rows := tl.Rows()
			out := tl.Render(rows, Options{Width: w, Selected: 1, Cursor: 3})
			for _, l := range strings.Split(out, "\n") {
				if ansi.StringWidth(l) > w {
					t.Fatalf("a line %d wide at %d: %q", ansi.StringWidth(l), w, l)
				}
			}
		}
		seen := make([]int, len(tl.Visits))
		for _, r := range tl.AllRows() {
			if r.Visit >= 0 {
				seen[r.Visit]++
			}
		}
		for v, n := range seen {
			if n != 1 {
				t.Fatalf("visit %d (%s) in %d rows", v, tl.Visits[v].State, n)
			}
		}
		half := New()
		half.Add(evs[:len(evs)/2], states[:len(evs)/2])
		half.Add(evs, states)
		o := Options{Width: 100, Selected: -1, Cursor: -1}
		if a, b := tl.Render(tl.Rows(), o), half.Render(half.Rows(), o); a != b {
			t.Fatalf("in two steps:\n%s\nat once:\n%s", b, a)
		}
	})
}
