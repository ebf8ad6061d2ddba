package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/replay"
	"github.com/stepdeck/stepdeck/ui/components/graph"
	"github.com/stepdeck/stepdeck/ui/pages"
)

const varsInput = `{"order":{"id":7,"by":"ada","lines":[{"sku":"a","n":2},{"sku":"b","n":1}]}}`

// TestFlowExportReplays exports a finished execution, checks the file is what
// `stepdeck replay --history` reads and replays to no divergence, and that a second
// export asks before overwriting.
func TestFlowExportReplays(t *testing.T) {
	api := localAPI(t)
	createMachine(t, api, "vars", varsDef)
	arn := start(t, api, "vars", "vars-1", varsInput)
	waitStatus(t, api, arn, types.ExecutionStatusSucceeded)
	dir := t.TempDir()
	t.Chdir(dir)

	a := openExec(t, api, arn, 120, 40)
	keys(a, "e")
	mustContain(t, ansi.Strip(a.Render()), "Export history to: vars-1.history.json")
	keys(a, "q") // typed into the file name, not quitting
	keys(a, "backspace", "enter")
	path := filepath.Join(dir, "vars-1.history.json")
	mustContain(t, ansi.Strip(a.Render()), "Exported 8 events to "+path)

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	events, err := graph.ParseHistory(data) // what stepdeck replay reads
	if err != nil {
		t.Fatalf("the export does not read back: %v", err)
	}
	if len(events) != 8 || events[7].Type != types.HistoryEventTypeExecutionSucceeded {
		t.Fatalf("read back %d events", len(events))
	}
	def, err := asl.Parse([]byte(varsDef))
	if err != nil {
		t.Fatal(err)
	}
	res, err := replay.Run(context.Background(), def, events)
	if err != nil {
		t.Fatalf("the export does not replay: %v", err)
	}
	if !res.Same() {
		t.Fatalf("the export does not replay cleanly:\n%s", res.Report())
	}

	// Again: the file exists, so it asks; n keeps the file and goes back to the name.
	if err := os.WriteFile(path, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	keys(a, "e", "enter")
	mustContain(t, ansi.Strip(a.Render()), "vars-1.history.json exists. Overwrite it? y/n")
	keys(a, "n")
	mustContain(t, ansi.Strip(a.Render()), "Export history to: vars-1.history.json")
	keys(a, "esc")
	if got, _ := os.ReadFile(path); string(got) != "keep me" {
		t.Fatalf("the file changed without a yes: %q", got)
	}
	if !strings.Contains(ansi.Strip(a.Render()), "Execution vars-1") {
		t.Fatal("esc in the prompt left the page")
	}
	keys(a, "e", "enter", "y")
	if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
		t.Fatalf("overwrite wrote %d bytes, want the %d of the first export", len(got), len(data))
	}
}

// TestFlowRedriveFollowsTheNewRun redrives a failed execution and sees the redrive's
// events arrive.
func TestFlowRedriveFollowsTheNewRun(t *testing.T) {
	api := localAPI(t)
	if _, ok := api.(client.RedriveAPI); !ok {
		t.Skip("the local API has no RedriveExecution")
	}
	createMachine(t, api, "breaks", failDef)
	arn := start(t, api, "breaks", "broken-1", `{}`)
	waitStatus(t, api, arn, types.ExecutionStatusFailed)

	a := openExec(t, api, arn, 120, 40)
	// The footer cuts what does not fit; the help lists every key.
	keys(a, "?")
	mustContain(t, ansi.Strip(a.Render()), "redrive")
	keys(a, "?")
	keys(a, "R")
	mustContain(t, ansi.Strip(a.Render()), "Redrive this execution? y/n")
	keys(a, "n")
	if strings.Contains(ansi.Strip(a.Render()), "ExecutionRedriven") {
		t.Fatal("n redrove")
	}
	keys(a, "R", "y")
	screen := ansi.Strip(a.Render())
	mustContain(t, screen, "ExecutionRedriven", "Redriven: following the new run")
	out, err := api.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	if err != nil || aws.ToInt32(out.RedriveCount) != 1 {
		t.Fatalf("redrive count %d, %v", aws.ToInt32(out.RedriveCount), err)
	}
}

// noRedrive is an API without RedriveExecution (as a narrower backend would be).
type noRedrive struct{ client.API }

func TestRedriveHiddenWhenItCannotApply(t *testing.T) {
	api := localAPI(t)
	createMachine(t, api, "breaks", failDef)
	arn := start(t, api, "breaks", "broken-1", `{}`)
	waitStatus(t, api, arn, types.ExecutionStatusFailed)
	hello := start(t, api, "hello", "hello-1", `{}`)
	waitStatus(t, api, hello, types.ExecutionStatusSucceeded)

	cases := []struct {
		name string
		api  client.API
		arn  string
		ro   bool
	}{
		{"read-only", api, arn, true},
		{"no redrive in the API", noRedrive{api}, arn, false},
		{"succeeded", api, hello, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := fixedCommon(tc.api, 160, 40)
			c.ReadOnly = tc.ro
			a := New(c, "local")
			drain(a, a.Init())
			_, cmd := a.Update(pages.OpenMsg{Page: pages.NewExecution(a.c, tc.arn)})
			drain(a, cmd)
			keys(a, "R")
			screen := ansi.Strip(a.Render())
			if strings.Contains(screen, "redrive") || strings.Contains(screen, "Redrive this") {
				t.Fatalf("redrive offered:\n%s", screen)
			}
		})
	}
}

// TestFlowTimeTravel drives the scrubber in a running program: back to the start, a
// step at a time, and watches the variables change.
func TestFlowTimeTravel(t *testing.T) {
	api := localAPI(t)
	createMachine(t, api, "vars", varsDef)
	arn := start(t, api, "vars", "vars-1", varsInput)
	waitStatus(t, api, arn, types.ExecutionStatusSucceeded)
	c := fixedCommon(api, 140, 60)
	// Built before the program runs: from then on only its goroutine touches c.
	page := pages.NewExecution(c, arn)
	tm := teatest.NewTestModel(t, New(c, "local"), teatest.WithInitialTermSize(140, 60))
	waitScreen(t, tm, "State machines")
	tm.Send(pages.OpenMsg{Page: page})
	waitScreen(t, tm, "ExecutionSucceeded")
	typeKey(tm, 't', "t")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyHome})
	waitScreen(t, tm, "time travel")
	typeKey(tm, ']', "]")
	typeKey(tm, ']', "]")
	// The order fills the pane; folded, the variables show under it.
	tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	typeKey(tm, 'z', "z")
	typeKey(tm, 'q', "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(flowWait))
	// The renderer redraws only changed cells, so the last screen is read from the model.
	screen := ansi.Strip(tm.FinalModel(t).(*App).Render())
	mustContain(t, screen, "as of event 3/8", "State First · succeeded", `"order": {…} 3 keys`, `"who": "ada"`, "┃ ✓ First ┃")
	if strings.Contains(screen, "✓ Price") {
		t.Fatalf("Price shows done as of event 3:\n%s", screen)
	}
}

// TestFlowFoldTheDetail folds the selected event's input from the keyboard.
func TestFlowFoldTheDetail(t *testing.T) {
	api := localAPI(t)
	createMachine(t, api, "vars", varsDef)
	arn := start(t, api, "vars", "vars-1", varsInput)
	waitStatus(t, api, arn, types.ExecutionStatusSucceeded)
	a := openExec(t, api, arn, 120, 50)
	keys(a, "home", "tab") // ExecutionStarted: its input
	keys(a, "down", "down", "down", "enter")
	screen := ansi.Strip(a.Render())
	mustContain(t, screen, `"order": {…} 3 keys`)
	keys(a, "space")
	mustContain(t, ansi.Strip(a.Render()), `"by": "ada"`)
	keys(a, "z")
	mustContain(t, ansi.Strip(a.Render()), `"order": {…} 3 keys`)
	keys(a, "Z")
	if strings.Contains(ansi.Strip(a.Render()), "…} ") {
		t.Fatal("Z left a fold")
	}
}
