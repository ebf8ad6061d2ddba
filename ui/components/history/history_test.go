package history

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	hist "github.com/stepdeck/stepdeck/interpreter/history"
	"github.com/stepdeck/stepdeck/ui/common"
)

func sample() []hist.Event {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return []hist.Event{
		{ID: 1, Timestamp: t0, Type: types.HistoryEventTypeExecutionStarted,
			Details: &types.ExecutionStartedEventDetails{Input: aws.String(`{"n":1}`)}},
		{ID: 2, Timestamp: t0.Add(time.Second), Type: types.HistoryEventTypePassStateEntered,
			Details: hist.Entered("Greet", `{"n":1}`)},
		{ID: 3, Timestamp: t0.Add(2 * time.Second), Type: types.HistoryEventTypePassStateExited,
			Details: hist.Exited("Greet", "{\"msg\":\"\x1b[31mhi\"}", nil)},
		{ID: 4, Timestamp: t0.Add(3 * time.Second), Type: types.HistoryEventTypeExecutionFailed,
			Details: &types.ExecutionFailedEventDetails{Error: aws.String("Boom"), Cause: aws.String("bad\x1b]0;t\x07")}},
	}
}

func TestRowsAndStates(t *testing.T) {
	evs := sample()
	st := States(evs)
	if st[1] != "Greet" || st[2] != "Greet" || st[0] != "" {
		t.Fatalf("states = %q", st)
	}
	cols := Columns(100)
	if len(cols) != 5 {
		t.Fatalf("want a summary column at width 100, got %d columns", len(cols))
	}
	rows := Rows(evs, st, cols, common.Duration)
	if rows[3][3] != "3.0s" {
		t.Errorf("elapsed = %q", rows[3][3])
	}
	if !strings.HasPrefix(rows[3][4], "Boom bad") {
		t.Errorf("summary = %q", rows[3][4])
	}
	for _, r := range rows {
		for _, c := range r {
			if strings.ContainsAny(c, "\x1b\x07") {
				t.Errorf("escape in cell %q", c)
			}
		}
	}
	if len(Columns(50)) != 3 {
		t.Error("narrow table should drop the summary")
	}
}

func TestDetailShowsPrettyAndSanitized(t *testing.T) {
	evs := sample()
	d := Detail(&evs[2], "Greet", 60)
	if !strings.Contains(d, "Output:") || !strings.Contains(d, `"msg"`) {
		t.Errorf("detail = %q", d)
	}
	d = Detail(&evs[3], "", 60)
	if strings.ContainsAny(d, "\x1b\x07") || !strings.Contains(d, "Cause:") {
		t.Errorf("detail = %q", d)
	}
}

func TestAppendMatchesWhole(t *testing.T) {
	evs := sample()
	whole := States(evs)
	part := AppendStates(nil, evs[:2], 0)
	part = AppendStates(part, evs, 2)
	if strings.Join(part, "|") != strings.Join(whole, "|") {
		t.Fatalf("in two steps %q, at once %q", part, whole)
	}
	cols := Columns(100)
	rows := AppendRows(nil, evs[:2], whole[:2], 0, cols, common.Duration)
	rows = AppendRows(rows, evs, whole, 2, cols, common.Duration)
	all := Rows(evs, whole, cols, common.Duration)
	for i := range all {
		if strings.Join(rows[i], "|") != strings.Join(all[i], "|") {
			t.Fatalf("row %d: %q vs %q", i, rows[i], all[i])
		}
	}
}

func TestStateColumnGrowsOnAWideScreen(t *testing.T) {
	state := func(w int) int {
		for _, c := range Columns(w) {
			if c.Title == "State" {
				return c.Width
			}
		}
		return 0
	}
	if state(80) != 14 || state(120) <= 14 || state(200) <= state(120) || state(400) != 32 {
		t.Errorf("State widths at 80, 120, 200, 400: %d %d %d %d", state(80), state(120), state(200), state(400))
	}
}
