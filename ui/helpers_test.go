package ui

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/pages"
)

// approvalDef waits for a person: a callback task with nothing to serve it waits for
// its token in the local engine.
const approvalDef = `{"StartAt":"Ask","States":{"Ask":{"Type":"Task",
 "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
 "Parameters":{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/q","MessageBody":{"token.$":"$$.Task.Token"}},
 "Next":"Done"},"Done":{"Type":"Succeed"}}}`

// localAPI is a local engine in a temp dir that passes waits at once, with the bundled
// examples and the approval machine.
func localAPI(t *testing.T) client.API {
	t.Helper()
	ctx := context.Background()
	api, closeFn, err := client.NewLocal(ctx, client.LocalOptions{DataDir: t.TempDir(), TimeScale: 0})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeFn() })
	if n, err := SeedExamples(ctx, api); err != nil || n == 0 {
		t.Fatalf("seeding examples: %d, %v", n, err)
	}
	if n, err := SeedExamples(ctx, api); err != nil || n != 0 {
		t.Fatalf("second seed created %d (%v); it must create nothing", n, err)
	}
	createApproval(t, api)
	return api
}

// createApproval creates the machine "approval" that waits for a callback.
func createApproval(t *testing.T, api client.API) {
	t.Helper()
	if _, err := api.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{Name: aws.String("approval"),
		Definition: aws.String(approvalDef), RoleArn: aws.String(exampleRole)}); err != nil {
		t.Fatal(err)
	}
}

func machineArn(t *testing.T, api client.API, name string) string {
	t.Helper()
	out, err := api.ListStateMachines(context.Background(), &sfn.ListStateMachinesInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sm := range out.StateMachines {
		if aws.ToString(sm.Name) == name {
			return aws.ToString(sm.StateMachineArn)
		}
	}
	t.Fatalf("no state machine %q", name)
	return ""
}

func start(t *testing.T, api client.API, machine, name, input string) string {
	t.Helper()
	out, err := api.StartExecution(context.Background(), &sfn.StartExecutionInput{
		StateMachineArn: aws.String(machineArn(t, api, machine)), Name: aws.String(name), Input: aws.String(input)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.ExecutionArn)
}

// waitStatus polls until the execution leaves RUNNING or has waiting callbacks; it
// bounds the number of polls, not a time.
func waitStatus(t *testing.T, api client.API, arn string, want types.ExecutionStatus) {
	t.Helper()
	for range 500 {
		d, err := api.DescribeExecution(context.Background(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status == want {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("execution %s never reached %s", arn, want)
}

func waitCallback(t *testing.T, api client.API, arn string) {
	t.Helper()
	for range 500 {
		cbs, err := client.ExecutionCallbacks(context.Background(), api, arn)
		if err != nil {
			t.Fatal(err)
		}
		if len(cbs) > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no pending callback appeared")
}

// fixedCommon prints every time and duration as a placeholder and uses no colour, so
// that golden files depend on neither the clock nor the terminal.
func fixedCommon(api client.API, w, h int) *common.Common {
	c := common.New(api, false)
	c.Styles = common.DefaultStyles(true)
	c.Width, c.Height = w, h
	c.Stamp = func(time.Time) string { return "<time>" }
	c.Span = func(time.Duration) string { return "<dur>" }
	c.Now = func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }
	return c
}

// drain runs cmd and feeds its messages to the app until nothing is left. A command
// still running after settle is background work (a refresh tick, a cursor blink, a
// follower waiting for events) and is dropped: what it would deliver later is not part
// of the screen under test.
func drain(a *App, cmd tea.Cmd) {
	const settle = 300 * time.Millisecond
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		ch := make(chan tea.Msg, 1)
		go func() { ch <- c() }()
		var msg tea.Msg
		select {
		case msg = <-ch:
		case <-time.After(settle):
			continue
		}
		switch m := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, m...)
		default:
			if seq, ok := sequence(msg); ok {
				// tea.Sequence: its commands run next, in order (one at a time, as here).
				queue = append(seq, queue...)
				continue
			}
			_, next := a.Update(m)
			queue = append(queue, next)
		}
	}
}

// sequence takes apart the message of a tea.Sequence, whose type bubbletea keeps
// unexported: a slice of commands that is not a BatchMsg.
func sequence(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeFor[tea.Cmd]() {
		return nil, false
	}
	cmds := make([]tea.Cmd, v.Len())
	for i := range cmds {
		cmds[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return cmds, true
}

func press(a *App, keys ...string) {
	for _, k := range keys {
		var msg tea.KeyPressMsg
		switch k {
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "esc":
			msg = tea.KeyPressMsg{Code: tea.KeyEscape}
		case "tab":
			msg = tea.KeyPressMsg{Code: tea.KeyTab}
		case "down":
			msg = tea.KeyPressMsg{Code: tea.KeyDown}
		case "up":
			msg = tea.KeyPressMsg{Code: tea.KeyUp}
		case "ctrl+s":
			msg = tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
		case "ctrl+u":
			msg = tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
		case "backspace":
			msg = tea.KeyPressMsg{Code: tea.KeyBackspace}
		case "space":
			msg = tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
		default:
			r := []rune(k)[0]
			msg = tea.KeyPressMsg{Code: r, Text: k}
		}
		_, cmd := a.Update(msg)
		drain(a, cmd)
	}
}

func mustContain(t *testing.T, screen string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(screen, p) {
			t.Fatalf("screen lacks %q:\n%s", p, screen)
		}
	}
}

func pagesErr(s string) tea.Msg { return pages.ErrMsg{Err: errors.New(s)} }

// typeText types each character of text as a key press.
func typeText(a *App, text string) {
	for _, r := range text {
		if r == ' ' {
			press(a, "space")
			continue
		}
		press(a, string(r))
	}
}

// send delivers one message (a mouse event) and what it leads to.
func send(a *App, msg tea.Msg) {
	_, cmd := a.Update(msg)
	drain(a, cmd)
}

// statusLine is the line above the footer.
func statusLine(a *App) string {
	lines := strings.Split(a.Render(), "\n")
	return lines[len(lines)-2]
}

// runTmux runs a tmux command, failing the test when tmux does.
func runTmux(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("tmux", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// paneShows waits, for a bounded number of captures 50 ms apart, until a tmux pane
// shows every part, and returns what it showed.
func paneShows(t *testing.T, session string, tries int, parts ...string) string {
	t.Helper()
	var last string
	for range tries {
		last = runTmux(t, "capture-pane", "-p", "-t", session)
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(last, p)
		}
		if ok {
			return last
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the pane never showed %q:\n%s", parts, last)
	return ""
}

// isolateAWSEnv keeps the profile, credentials and endpoint of the machine running the
// test out of it, and the SDK from probing for credentials off this machine.
func isolateAWSEnv(t *testing.T) {
	t.Helper()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for _, v := range []string{"AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SFN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
		t.Setenv(v, "")
	}
}
