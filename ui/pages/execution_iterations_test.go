package pages

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/charmbracelet/x/ansi"

	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/engine"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// mapDef checks three items; the second fails, which the Map tolerates.
const mapDef = `{"StartAt":"Each","States":{"Each":{"Type":"Map","ToleratedFailureCount":1,"End":true,
	"ItemProcessor":{"StartAt":"Check","States":{
		"Check":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"Bad"}],"Default":"Good"},
		"Good":{"Type":"Pass","End":true},"Bad":{"Type":"Fail","Error":"Two"}}}}}}`

func mapHistory(t *testing.T) []types.HistoryEvent {
	t.Helper()
	def, err := asl.Parse([]byte(mapDef))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	x := engine.New(def, engine.Meta{ExecutionArn: "arn:aws:states:us-east-1:123456789012:execution:m:run-1", Name: "run-1",
		StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:m", StateMachineName: "m", Region: "us-east-1",
		Type: types.StateMachineTypeStandard, StartTime: start, Input: "[1,2,3]"}, value.MustParse(`[1,2,3]`), engine.Options{RecordHistory: true})
	if err := (&engine.Runner{Clock: engine.NewVirtualClock(start)}).Run(context.Background(), x); err != nil {
		t.Fatal(err)
	}
	out := make([]types.HistoryEvent, len(x.History))
	for i, ev := range x.History {
		out[i] = ev.ToSDK()
	}
	return out
}

func TestMapIterationPicker(t *testing.T) {
	x := newPage(t, mapDef, 120, 40)
	feed(x, mapHistory(t))
	x.setFocus(graphPane)
	x.selected = "Each"
	screen := ansi.Strip(x.View())
	// Before any pick the failed iteration is painted.
	if !strings.Contains(screen, "×3 #1") {
		t.Fatalf("the Map does not show its failed iteration first:\n%s", screen)
	}
	x.Update(tea.KeyPressMsg{Code: '>', Text: ">"})
	if got := x.iterations["Each"]; got != 2 {
		t.Errorf("after >: iteration %d, want 2", got)
	}
	screen = ansi.Strip(x.View())
	if !strings.Contains(screen, "×3 #2") || !strings.Contains(screen, "✓ Good") {
		t.Errorf("iteration 2 not painted:\n%s", screen)
	}
	// Inside the Map the picker acts on it too, and wraps around.
	x.selected = "Good"
	x.Update(tea.KeyPressMsg{Code: '>', Text: ">"})
	x.Update(tea.KeyPressMsg{Code: '>', Text: ">"})
	if got := x.iterations["Each"]; got != 1 {
		t.Errorf("after two more >: iteration %d, want 1", got)
	}
	if screen = ansi.Strip(x.View()); !strings.Contains(screen, "✗ Bad") {
		t.Errorf("iteration 1 (failed) not painted:\n%s", screen)
	}
	x.selected = ""
	if msg := x.pickIteration(1); !strings.Contains(msg, "select a Map state") {
		t.Errorf("without a Map selected: %q", msg)
	}
}

// TestIterationPickMovesTheHistory: < and > move the history's cursor to the picked
// iteration, on the selected state's event in it.
func TestIterationPickMovesTheHistory(t *testing.T) {
	x := newPage(t, mapDef, 120, 40)
	feed(x, mapHistory(t))
	x.setFocus(graphPane)
	x.selected = "Check"
	tl := x.views().tl
	for _, k := range []string{">", ">", "<"} {
		x.Update(tea.KeyPressMsg{Code: []rune(k)[0], Text: k})
		want := x.iterations["Each"]
		i := x.table.Cursor()
		v := tl.VisitOf(i)
		if v < 0 || tl.Visits[v].State != "Check" || tl.Lanes[tl.Visits[v].Lane].Index != want {
			t.Fatalf("after %s: the history is on event %d (%s), not on Check in iteration %d", k, x.events[i].ID, x.events[i].Type, want)
		}
		if x.follow {
			t.Error("the history still follows the newest event")
		}
	}
}
