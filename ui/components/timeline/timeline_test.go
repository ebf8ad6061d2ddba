package timeline

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/charmbracelet/x/ansi"

	"github.com/stepdeck/stepdeck/interpreter/conformance"
	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/ui/components/history"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// recordings are the AWS histories of the conformance data with their links intact.
// The normalization replaced their times, so each event is given one second after the
// one before: the order AWS recorded, on a made-up clock.
func recordings(t testing.TB) map[string][]hist.Event {
	root := conformance.DataDir(t, "asl")
	out := map[string][]hist.Event{}
	for _, area := range []string{"self_contained", "external"} {
		cases, err := conformance.Load(filepath.Join(root, area))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range conformance.Executions(cases) {
			if len(c.Expected.Events) == 0 {
				continue
			}
			evs, err := conformance.HistoryEvents(c.Expected.Events)
			if errors.Is(err, conformance.ErrMaskedIDs) {
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", c.ID, err)
			}
			for i := range evs {
				evs[i].Timestamp = t0.Add(time.Duration(i) * time.Second)
			}
			out[c.ID] = evs
		}
	}
	return out
}

// checkChart checks a chart drawn at width w: no line wider than w; every visit drawn,
// in a row of its own with a bar, or counted in one group; and in each lane, the bars
// start in the order of the visits' starts.
func checkChart(t *testing.T, name string, tl *Timeline, w int) {
	t.Helper()
	rows := tl.Rows()
	o := Options{Width: w, Selected: -1, Cursor: -1}
	out := tl.Render(rows, o)
	l := tl.Layout(rows, o)
	lines := strings.Split(out, "\n")
	if len(lines) != len(rows)+1 {
		t.Fatalf("%s at %d: %d lines for %d rows", name, w, len(lines), len(rows))
	}
	seen := make([]int, len(tl.Visits))
	lastStart := map[int]int{} // lane → the first bar cell of its last visit
	for i, line := range lines {
		if cw := ansi.StringWidth(line); cw > w {
			t.Fatalf("%s at %d: line %d is %d wide: %q", name, w, i, cw, line)
		}
		if i == 0 {
			continue
		}
		r := rows[i-1]
		bar := []rune(ansi.Cut(line, l.LabelW+1, w))
		first := -1
		for c, ch := range bar {
			if ch != ' ' && ch != '┆' {
				first = c
				break
			}
		}
		switch {
		case r.Visit >= 0:
			seen[r.Visit]++
			if first < 0 {
				t.Errorf("%s at %d: visit %d (%s) has no bar: %q", name, w, r.Visit, tl.Visits[r.Visit].State, line)
			}
			lane := tl.Visits[r.Visit].Lane
			if prev, ok := lastStart[lane]; ok && first < prev {
				t.Errorf("%s at %d: %s starts at cell %d, before the visit above it in its lane (%d)", name, w, tl.Visits[r.Visit].State, first, prev)
			}
			lastStart[lane] = first
		case r.Group != nil && r.Group.State != "":
			for _, v := range r.Group.Visits {
				seen[v]++
			}
			if first < 0 {
				t.Errorf("%s at %d: group %s has no bar", name, w, r.Group.State)
			}
		}
	}
	for v, n := range seen {
		if n != 1 {
			t.Errorf("%s at %d: visit %d (%s) drawn %d times", name, w, v, tl.Visits[v].State, n)
		}
	}
}

// TestWidthSweepOverAWSRecordings draws every linked AWS recording at widths from 40 to
// 200: every width when it has Parallel or Map lanes, every ninth otherwise.
func TestWidthSweepOverAWSRecordings(t *testing.T) {
	histories, visits, lanes := 0, 0, 0
	for name, evs := range recordings(t) {
		tl := Build(evs, history.States(evs))
		step := 1 // every width for the histories with lanes, every ninth for the others
		if len(tl.Lanes) == 1 {
			step = 9
		}
		for w := 40; w <= 200; w += step {
			checkChart(t, name, tl, w)
		}
		histories++
		visits += len(tl.Visits)
		lanes += len(tl.Lanes) - 1
	}
	if histories < 400 || lanes < 50 {
		t.Fatalf("too little drawn: %d histories, %d lanes", histories, lanes)
	}
	t.Logf("%d histories, %d state visits, %d branch and iteration lanes, drawn at widths 40 to 200", histories, visits, lanes)
}

// TestWidthSweepOfABigMap: 2,000 iterations, grouped.
func TestWidthSweepOfABigMap(t *testing.T) {
	evs := bigHistory(25000)
	tl := Build(evs, history.States(evs))
	for w := 40; w <= 200; w += 8 {
		checkChart(t, "big map", tl, w)
	}
	rows := tl.Rows()
	if len(rows) > 20 {
		t.Errorf("%d rows: the iterations should be grouped", len(rows))
	}
}

// TestAWSMapRetryIsDrawnApart: a recorded Map whose iterations a retrier starts again,
// and a Parallel whose branch waited for a callback: the pieces the chart tells apart.
func TestKindsOfWaiting(t *testing.T) {
	evs := bigHistory(200)
	tl := Build(evs, history.States(evs))
	kinds := map[Kind]int{}
	for _, v := range tl.Visits {
		for _, s := range v.Segments {
			kinds[s.Kind]++
		}
	}
	for _, k := range []Kind{Work, Retrying, Waiting, Callback, FailedTry} {
		if kinds[k] == 0 {
			t.Errorf("no stretch of kind %d in %v", k, kinds)
		}
	}
	out := Print(evs, history.States(evs), Options{Width: 100})
	for _, g := range []string{"█", "░", "▒", "x", "·", "*"} {
		if !strings.Contains(strings.SplitN(out, "\n█ ran", 2)[0], g) {
			t.Errorf("no %q in the chart:\n%s", g, out)
		}
	}
}

// TestCriticalPathOfAParallel: the branch that finished last is on the critical path,
// the other is not.
func TestCriticalPathOfAParallel(t *testing.T) {
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	ev := func(id, prev int64, s int, typ types.HistoryEventType, d any) hist.Event {
		return hist.Event{ID: id, PreviousEventID: prev, Timestamp: at(s), Type: typ, Details: d}
	}
	evs := []hist.Event{
		ev(1, 0, 0, types.HistoryEventTypeExecutionStarted, nil),
		ev(2, 1, 0, types.HistoryEventTypeParallelStateEntered, hist.Entered("Sign", "{}")),
		ev(3, 2, 0, types.HistoryEventTypeParallelStateStarted, nil),
		ev(4, 3, 1, types.HistoryEventTypeTaskStateEntered, hist.Entered("Alice", "{}")),
		ev(5, 3, 1, types.HistoryEventTypeTaskStateEntered, hist.Entered("Bob", "{}")),
		ev(6, 4, 2, types.HistoryEventTypeTaskStateExited, hist.Exited("Alice", "{}", nil)),
		ev(7, 5, 9, types.HistoryEventTypeTaskStateExited, hist.Exited("Bob", "{}", nil)),
		ev(8, 7, 9, types.HistoryEventTypeParallelStateSucceeded, nil),
		ev(9, 8, 9, types.HistoryEventTypeParallelStateExited, hist.Exited("Sign", "[]", nil)),
		ev(10, 9, 9, types.HistoryEventTypeExecutionSucceeded, nil),
	}
	tl := Build(evs, history.States(evs))
	crit := map[string]bool{}
	for _, v := range tl.Visits {
		crit[v.State] = v.Critical
	}
	if !crit["Sign"] || !crit["Bob"] || crit["Alice"] {
		t.Errorf("critical: %v; want Sign and Bob, not Alice", crit)
	}
	if got := len(tl.Lanes); got != 3 {
		t.Errorf("%d lanes, want the top and two branches", got)
	}
}

// TestFollowingMatchesWhole: events added in pieces give the chart they give at once.
func TestFollowingMatchesWhole(t *testing.T) {
	evs := bigHistory(3000)
	states := history.States(evs)
	whole := Print(evs, states, Options{Width: 120})
	tl := New()
	for i := 0; i < len(evs); i += 97 {
		n := min(i+97, len(evs))
		tl.Add(evs[:n], states[:n])
	}
	if got := tl.Render(tl.Rows(), Options{Width: 120, Selected: -1, Cursor: -1}); !strings.Contains(whole, got) {
		t.Errorf("in pieces:\n%s\nat once:\n%s", got, whole)
	}
}

// bigHistory is an execution of about n events: a Parallel of a short branch and a
// Map whose iterations run a task (every fifth waits for a callback, every seventh fails
// once and is retried) and a Wait state.
func bigHistory(n int) []hist.Event {
	var evs []hist.Event
	clock := t0
	add := func(prev int64, typ types.HistoryEventType, d any) int64 {
		clock = clock.Add(10 * time.Millisecond)
		id := int64(len(evs) + 1)
		evs = append(evs, hist.Event{ID: id, PreviousEventID: prev, Timestamp: clock, Type: typ, Details: d})
		return id
	}
	p := add(0, types.HistoryEventTypeExecutionStarted, nil)
	p = add(p, types.HistoryEventTypeParallelStateEntered, hist.Entered("Both", "{}"))
	par := add(p, types.HistoryEventTypeParallelStateStarted, nil)
	side := add(par, types.HistoryEventTypePassStateEntered, hist.Entered("Note", "{}"))
	side = add(side, types.HistoryEventTypePassStateExited, hist.Exited("Note", "{}", nil))
	p = add(par, types.HistoryEventTypeMapStateEntered, hist.Entered("Items", "{}"))
	m := add(p, types.HistoryEventTypeMapStateStarted, nil)
	p = m
	for k := 0; len(evs) < n-8; k++ {
		p = add(p, types.HistoryEventTypeMapIterationStarted, &types.MapIterationEventDetails{Name: aws.String("Items"), Index: int32(k)})
		p = add(p, types.HistoryEventTypeTaskStateEntered, hist.Entered("Work", "{}"))
		res := "lambda:invoke"
		if k%5 == 0 {
			res = "sqs:sendMessage.waitForTaskToken"
		}
		sched := func(p int64) int64 {
			return add(p, types.HistoryEventTypeTaskScheduled, &types.TaskScheduledEventDetails{Resource: aws.String(res), ResourceType: aws.String("x"), Region: aws.String("us-east-1"), Parameters: aws.String("{}")})
		}
		p = sched(p)
		p = add(p, types.HistoryEventTypeTaskStarted, &types.TaskStartedEventDetails{Resource: aws.String(res), ResourceType: aws.String("x")})
		if k%7 == 0 {
			p = add(p, types.HistoryEventTypeTaskFailed, &types.TaskFailedEventDetails{Error: aws.String("Boom"), Cause: aws.String("try again"), Resource: aws.String(res), ResourceType: aws.String("x")})
			clock = clock.Add(time.Second)
			p = sched(p)
			p = add(p, types.HistoryEventTypeTaskStarted, &types.TaskStartedEventDetails{Resource: aws.String(res), ResourceType: aws.String("x")})
		}
		if k%5 == 0 {
			p = add(p, types.HistoryEventTypeTaskSubmitted, &types.TaskSubmittedEventDetails{Resource: aws.String(res), ResourceType: aws.String("x")})
			clock = clock.Add(2 * time.Second)
		}
		p = add(p, types.HistoryEventTypeTaskSucceeded, &types.TaskSucceededEventDetails{Output: aws.String(fmt.Sprint(k)), Resource: aws.String(res), ResourceType: aws.String("x")})
		p = add(p, types.HistoryEventTypeTaskStateExited, hist.Exited("Work", "{}", nil))
		p = add(p, types.HistoryEventTypeWaitStateEntered, hist.Entered("Pause", "{}"))
		clock = clock.Add(time.Second)
		p = add(p, types.HistoryEventTypeWaitStateExited, hist.Exited("Pause", "{}", nil))
		add(p, types.HistoryEventTypeMapIterationSucceeded, &types.MapIterationEventDetails{Name: aws.String("Items"), Index: int32(k)})
	}
	p = add(p, types.HistoryEventTypeMapStateSucceeded, nil)
	p = add(p, types.HistoryEventTypeMapStateExited, hist.Exited("Items", "[]", nil))
	_ = side
	p = add(p, types.HistoryEventTypeParallelStateSucceeded, nil)
	p = add(p, types.HistoryEventTypeParallelStateExited, hist.Exited("Both", "[]", nil))
	add(p, types.HistoryEventTypeExecutionSucceeded, nil)
	return evs
}

// BenchmarkPrint25k is `stepdeck timeline` on a 25,000-event history after reading it:
// attribution, layout and drawing at 120 columns. The target is under 50 ms.
func BenchmarkPrint25k(b *testing.B) {
	evs := bigHistory(25000)
	for b.Loop() {
		_ = Print(evs, history.States(evs), Options{Width: 120})
	}
}

// BenchmarkFrame25k is one frame of the execution screen's timeline on a 25,000-event
// execution already laid out: rows and a 40-row window drawn.
func BenchmarkFrame25k(b *testing.B) {
	evs := bigHistory(25000)
	tl := Build(evs, history.States(evs))
	for b.Loop() {
		_ = tl.Render(tl.Rows(), Options{Width: 200, Height: 40, Selected: 3, Cursor: 50})
	}
}

// TestCriticalPathWhileRunning: while Alice's branch still waits and Bob's is done, the
// path marked is the one to Alice's open visit.
func TestCriticalPathWhileRunning(t *testing.T) {
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	ev := func(id, prev int64, s int, typ types.HistoryEventType, d any) hist.Event {
		return hist.Event{ID: id, PreviousEventID: prev, Timestamp: at(s), Type: typ, Details: d}
	}
	evs := []hist.Event{
		ev(1, 0, 0, types.HistoryEventTypeExecutionStarted, nil),
		ev(2, 1, 0, types.HistoryEventTypeParallelStateEntered, hist.Entered("Sign", "{}")),
		ev(3, 2, 0, types.HistoryEventTypeParallelStateStarted, nil),
		ev(4, 3, 1, types.HistoryEventTypeTaskStateEntered, hist.Entered("Alice", "{}")),
		ev(5, 3, 1, types.HistoryEventTypeTaskStateEntered, hist.Entered("Bob", "{}")),
		ev(6, 5, 2, types.HistoryEventTypeTaskStateExited, hist.Exited("Bob", "{}", nil)),
	}
	tl := Build(evs, history.States(evs))
	crit := map[string]bool{}
	for _, v := range tl.Visits {
		crit[v.State] = v.Critical
	}
	if !crit["Sign"] || !crit["Alice"] || crit["Bob"] {
		t.Errorf("critical while running: %v; want Sign and Alice, not Bob", crit)
	}
}
