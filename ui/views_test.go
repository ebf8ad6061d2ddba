package ui

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/examples"
	"github.com/stepdeck/stepdeck/ui/pages"
)

// TestHelpIsModal: with the help open, s does not reach the machines list (it would
// open the start form), / searches the keys, and ? closes it.
func TestHelpIsModal(t *testing.T) {
	api := localAPI(t)
	a := New(fixedCommon(api, 100, 30), "local")
	drain(a, a.Init())
	press(a, "?", "s")
	if _, ok := a.top().(*pages.Machines); !ok || !a.help {
		t.Fatalf("s reached the screen behind the help (top %T, help %v)", a.top(), a.help)
	}
	press(a, "/")
	typeText(a, "quit")
	lines := strings.Split(ansi.Strip(a.Render()), "\n")
	s := strings.Join(lines[1:len(lines)-2], "\n") // the body, not the footer
	mustContain(t, s, "quit", "Search keys: /quit")
	if strings.Contains(s, "start execution") {
		t.Errorf("the search keeps keys that do not match:\n%s", s)
	}
	keys(a, "esc") // ends the search and clears it
	press(a, "?")
	if a.help {
		t.Fatal("? does not close the help")
	}
}

// TestHelpListsEveryKeyOfTheExecutionScreen: keys the footer leaves out are in the help.
func TestHelpListsEveryKeyOfTheExecutionScreen(t *testing.T) {
	api := localAPI(t)
	createMachine(t, api, "breaks", failDef)
	arn := start(t, api, "breaks", "broken-1", `{}`)
	waitStatus(t, api, arn, types.ExecutionStatusFailed)
	a := openExec(t, api, arn, 120, 60)
	press(a, "?")
	mustContain(t, ansi.Strip(a.Render()), "tab / shift+tab", "pgup/pgdn", "home/end", "v/V", "graph full screen",
		"failures only", "zoom in/out/all", "read in full", "sort: tree/start/duration", "first failure")
}

// TestHeaderAndFooterAt80Columns: the execution's name and status stay in the header,
// ? and q in the footer.
func TestHeaderAndFooterAt80Columns(t *testing.T) {
	api := localAPI(t)
	createMachine(t, api, "a-state-machine-with-a-rather-long-name", failDef)
	arn := start(t, api, "a-state-machine-with-a-rather-long-name", "an-execution-with-a-long-name-too-0123456789", `{}`)
	waitStatus(t, api, arn, types.ExecutionStatusFailed)
	for _, w := range []int{60, 80, 120} {
		a := New(fixedCommon(api, w, 24), "aws my-profile · eu-west-1 · 123456789012")
		drain(a, a.Init())
		press(a, "enter") // the first machine's executions
		_, cmd := a.Update(pages.OpenMsg{Page: pages.NewExecution(a.c, arn)})
		drain(a, cmd)
		lines := strings.Split(ansi.Strip(a.Render()), "\n")
		head, foot := lines[0], lines[len(lines)-1]
		if ansi.StringWidth(head) > w || ansi.StringWidth(foot) > w {
			t.Errorf("at %d: header %d wide, footer %d", w, ansi.StringWidth(head), ansi.StringWidth(foot))
		}
		if !strings.Contains(head, "FAILED") || !strings.Contains(head, "an-ex") || !strings.Contains(head, "a-stat") {
			t.Errorf("at %d the header lost the execution or its status: %q", w, head)
		}
		if !strings.HasSuffix(strings.TrimSpace(foot), "? help · q quit") {
			t.Errorf("at %d the footer lost ? or q: %q", w, foot)
		}
	}
}

// TestStatusClearedOnTheNextScreen: a message of one screen is gone on the next.
func TestStatusClearedOnTheNextScreen(t *testing.T) {
	api := localAPI(t)
	a := New(fixedCommon(api, 100, 30), "local")
	drain(a, a.Init())
	send(a, pages.InfoMsg("Stop requested"))
	press(a, "c")
	if strings.Contains(ansi.Strip(a.Render()), "Stop requested") {
		t.Error("the last screen's message is still shown")
	}
}

// TestGoldenViewsOfBundledExamples draws the table and events views of the bundled
// examples run on the local engine at three sizes (their times are the placeholder
// <dur>, so the files do not depend on the clock; the timeline, which is drawn to
// scale, has goldens of its own on recorded histories).
func TestGoldenViewsOfBundledExamples(t *testing.T) {
	api := localAPI(t)
	for _, ex := range []string{"hello", "order-lines", "jsonata-shipping-quote"} {
		arn := start(t, api, ex, ex+"-1", sampleInput(t, ex))
		waitDone(t, api, arn)
		for _, view := range []struct {
			name string
			keys []string
		}{{"table", []string{"v"}}, {"events", []string{"v", "v"}}} {
			for _, sz := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
				t.Run(ex+"-"+view.name+"_"+itoa(sz[0])+"x"+itoa(sz[1]), func(t *testing.T) {
					a := openExec(t, api, arn, sz[0], sz[1])
					a.c.ExecView = 0
					keys(a, view.keys...)
					golden.RequireEqual(t, []byte(a.Render()))
				})
			}
		}
	}
}

func sampleInput(t *testing.T, name string) string {
	t.Helper()
	in, ok := examples.SampleInput(name)
	if !ok {
		t.Fatalf("no sample input for %s", name)
	}
	return in
}

// waitDone polls until the execution has left RUNNING.
func waitDone(t *testing.T, api client.API, arn string) {
	t.Helper()
	for range 500 {
		d, err := api.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != types.ExecutionStatusRunning {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("execution %s never ended", arn)
}

func itoa(n int) string { return strconv.Itoa(n) }
