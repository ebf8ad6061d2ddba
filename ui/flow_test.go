package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// flowWait bounds how long a flow waits for a screen; a slow machine passes, a broken
// flow fails instead of hanging.
const flowWait = 20 * time.Second

func waitScreen(t *testing.T, tm *teatest.TestModel, parts ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		// The renderer redraws only what changed, so look at the text of all frames.
		text := ansi.Strip(string(b))
		for _, p := range parts {
			if !strings.Contains(text, p) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(flowWait), teatest.WithCheckInterval(20*time.Millisecond))
}

func typeKey(tm *teatest.TestModel, code rune, text string) {
	tm.Send(tea.KeyPressMsg{Code: code, Text: text})
}

// TestFlowStartAndFollow opens the machines, starts hello with its sample input in the
// editor, lands on the new execution and sees it finish.
func TestFlowStartAndFollow(t *testing.T) {
	api := localAPI(t)
	c := fixedCommon(api, 120, 40)
	tm := teatest.NewTestModel(t, New(c, "local"), teatest.WithInitialTermSize(120, 40))
	waitScreen(t, tm, "hello", "document-sign-off")
	for range 3 { // approval, batch-job-poller, document-sign-off, hello
		tm.Send(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	typeKey(tm, 's', "s")
	// The editor starts from the bundled example's sample input.
	waitScreen(t, tm, "Start an execution of hello", `"name": "you"`)
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	waitScreen(t, tm, "SUCCEEDED", "ExecutionSucceeded", "Hello, you!")
	typeKey(tm, 'q', "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(flowWait))
	screen := tm.FinalModel(t).(*App).Render()
	mustContain(t, screen, "Execution ", "SUCCEEDED")
}

// TestFlowStartRejectsBadJSON checks that nothing is sent while the input is not JSON.
func TestFlowStartRejectsBadJSON(t *testing.T) {
	api := localAPI(t)
	a := New(fixedCommon(api, 100, 30), "local")
	drain(a, a.Init())
	press(a, "s")
	_, cmd := a.Update(tea.KeyPressMsg{Code: tea.KeyBackspace})
	drain(a, cmd)
	press(a, "ctrl+s")
	mustContain(t, a.Render(), "The input is not JSON", "Start an execution")
}

// TestFlowApproveCallback answers a waiting task from the callbacks screen and sees
// the execution succeed.
func TestFlowApproveCallback(t *testing.T) {
	api := localAPI(t)
	arn := start(t, api, "approval", "wait-1", `{}`)
	waitCallback(t, api, arn)
	tm := teatest.NewTestModel(t, New(fixedCommon(api, 120, 40), "local"), teatest.WithInitialTermSize(120, 40))
	waitScreen(t, tm, "approval")
	typeKey(tm, 'c', "c")
	waitScreen(t, tm, "wait-1", "Ask")
	typeKey(tm, 'a', "a")
	waitScreen(t, tm, "Approve Ask of wait-1")
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	waitScreen(t, tm, "SendTaskSuccess with output", "Send it? y/n")
	typeKey(tm, 'y', "y")
	waitScreen(t, tm, "approve Ask: sent")
	waitStatus(t, api, arn, types.ExecutionStatusSucceeded)
	// The answered task leaves the list; the execution is reached from its machine.
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitScreen(t, tm, "Executions of approval", "wait-1")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitScreen(t, tm, "ExecutionSucceeded", `"approved": true`)
	typeKey(tm, 'q', "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(flowWait))
}

// TestReadOnlyHidesActions: no start, stop or answer key is offered or obeyed.
func TestReadOnlyHidesActions(t *testing.T) {
	api := localAPI(t)
	arn := start(t, api, "approval", "wait-1", `{}`)
	waitCallback(t, api, arn)
	c := fixedCommon(api, 120, 40)
	c.ReadOnly = true
	a := New(c, "local")
	drain(a, a.Init())
	press(a, "s")
	screen := a.Render()
	if strings.Contains(screen, "start execution") || strings.Contains(screen, "Start an execution") {
		t.Fatalf("read-only offers a start:\n%s", screen)
	}
	mustContain(t, screen, "read-only")
	press(a, "c", "a")
	screen = a.Render()
	if strings.Contains(screen, "approve") || strings.Contains(screen, "Approve Ask") {
		t.Fatalf("read-only offers an approval:\n%s", screen)
	}
}

// TestResizeAndSanitizedStatus: a resize relays out the screen and an error with
// escapes shows in the status line without them.
func TestResizeAndSanitizedStatus(t *testing.T) {
	api := localAPI(t)
	a := New(fixedCommon(api, 80, 24), "local")
	drain(a, a.Init())
	a.Update(tea.WindowSizeMsg{Width: 50, Height: 10})
	lines := strings.Split(a.Render(), "\n")
	if len(lines) != 10 {
		t.Fatalf("%d lines after resize to 10", len(lines))
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > 50 {
			t.Fatalf("line %q is %d wide", l, w)
		}
	}
	a.Update(pagesErr("bad \x1b]0;pwned\x07 title"))
	if s := a.Render(); bytes.Contains([]byte(s), []byte("\x1b]0;")) {
		t.Fatal("escape sequence from an error reached the screen")
	}
}

// TestStartFormClosesAfterStart: after a start the editor is gone, so going back shows
// the list again (the form's end must not depend on a message reaching a hidden page).
func TestStartFormClosesAfterStart(t *testing.T) {
	api := localAPI(t)
	a := New(fixedCommon(api, 100, 30), "local")
	drain(a, a.Init())
	press(a, "s", "ctrl+s")
	mustContain(t, a.Render(), "Execution ")
	press(a, "esc")
	screen := a.Render()
	if strings.Contains(screen, "Start an execution") {
		t.Fatalf("the editor outlived its execution:\n%s", screen)
	}
	mustContain(t, screen, "Last status", "approval")
}

// TestFlowEditorFillsTheInput: ctrl+e hands the input to $EDITOR and takes back what it
// saved (here a script that writes the file).
func TestFlowEditorFillsTheInput(t *testing.T) {
	script := writeScript(t, t.TempDir(), "ed.sh", `printf '{"name":"Ed"}' > "$1"`)
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", script)
	tm := editHelloInput(t)
	waitScreen(t, tm, `"Ed"}`)
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	waitScreen(t, tm, "Hello, Ed!")
	typeKey(tm, 'q', "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(flowWait))
}

// TestFlowEditorArguments: $EDITOR may carry arguments ("code -w"); they come before
// the file.
func TestFlowEditorArguments(t *testing.T) {
	script := writeScript(t, t.TempDir(), "ed.sh", `printf '{"name":"%s"}' "$1" > "$2"`)
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", script+" Argued")
	tm := editHelloInput(t)
	waitScreen(t, tm, `"Argued"}`)
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	waitScreen(t, tm, "Hello, Argued!")
	typeKey(tm, 'q', "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(flowWait))
}

// TestFlowEditorVisualFirst: $VISUAL, when set, is the editor, before $EDITOR (as git and
// less have it).
func TestFlowEditorVisualFirst(t *testing.T) {
	dir := t.TempDir()
	visual := writeScript(t, dir, "visual.sh", `printf '{"name":"Visual"}' > "$1"`)
	plain := writeScript(t, dir, "plain.sh", `printf '{"name":"Plain"}' > "$1"`)
	t.Setenv("VISUAL", visual)
	t.Setenv("EDITOR", plain)
	tm := editHelloInput(t)
	waitScreen(t, tm, `"Visual"}`)
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	waitScreen(t, tm, "Hello, Visual!")
	typeKey(tm, 'q', "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(flowWait))
}

// TestFlowEditorFallback: with no $EDITOR, ctrl+e opens the fallback editor (nano)
// instead of failing. $PATH holds only a fake nano that writes a name no other editor
// would, so the input changes only if the fallback ran.
func TestFlowEditorFallback(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fallback on Windows is notepad, and the fake editor is a shell script")
	}
	bin := t.TempDir()
	writeScript(t, bin, "nano", `printf '{"name":"Nano"}' > "$1"`)
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", "")
	t.Setenv("PATH", bin)
	tm := editHelloInput(t)
	waitScreen(t, tm, `"Nano"}`)
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	waitScreen(t, tm, "Hello, Nano!")
	typeKey(tm, 'q', "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(flowWait))
}

// TestFlowEditorFallbackMissing: with no $EDITOR and no fallback editor installed, the
// form says what to set and keeps its input.
func TestFlowEditorFallbackMissing(t *testing.T) {
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", "")
	t.Setenv("PATH", t.TempDir())
	tm := editHelloInput(t)
	waitScreen(t, tm, "$EDITOR is not set and the fallback editor")
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	waitScreen(t, tm, "Hello, you!")
	typeKey(tm, 'q', "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(flowWait))
}

// editHelloInput opens the start form of the hello example and presses ctrl+e. The
// editor runs while the UI waits; wait for what it wrote before sending (only the
// changed cells are redrawn, so the text before the first change is not in the output
// again).
func editHelloInput(t *testing.T) *teatest.TestModel {
	t.Helper()
	api := localAPI(t)
	tm := teatest.NewTestModel(t, New(fixedCommon(api, 120, 40), "local"), teatest.WithInitialTermSize(120, 40))
	waitScreen(t, tm, "hello", "document-sign-off")
	for range 3 {
		tm.Send(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	typeKey(tm, 's', "s")
	waitScreen(t, tm, "Start an execution of hello")
	tm.Send(tea.KeyPressMsg{Code: 'e', Mod: tea.ModCtrl})
	return tm
}

// writeScript writes an executable shell script into dir and returns its path.
func writeScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}
