package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/stepdeck/stepdeck/examples"
	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/debug"
	"github.com/stepdeck/stepdeck/interpreter/mock"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func TestDebugRejectsBadInput(t *testing.T) {
	def := writeFile(t, "flow.asl.json", passDef)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"debug", def + ".missing"}, "no such file"},
		{[]string{"debug", writeFile(t, "bad.json", `{"States":{}}`)}, "not a valid definition"},
		{[]string{"debug", def, "--input", "{nope"}, "not valid JSON"},
		{[]string{"debug", def, "--break", "Nowhere"}, "no such state"},
		{[]string{"debug", def, "--time-scale", "-1"}, "must not be negative"},
		{[]string{"debug", def, "--test-case", "X"}, "needs a mock config"},
	} {
		if _, code, err := execute(t, c.args...); code != 2 || err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: exit %d, %v (want %q)", c.args[2:], code, err, c.want)
		}
	}
}

// The session the command builds runs mocked tasks on their mocks and stops at the
// breakpoints it was given.
func TestDebugSessionUsesMocksAndBreakpoints(t *testing.T) {
	def := writeFile(t, "OrderFlow.asl.json", taskDef)
	mocks := writeFile(t, "mocks.json", `{"StateMachines":{"OrderFlow":{"TestCases":{"Happy":{"Charge":"ChargeOk"}}}},
	"MockedResponses":{"ChargeOk":{"0":{"Return":{"StatusCode":200,"Payload":{"ok":true}}}}}}`)
	s, err := newDebugSession(def, debugOptions{run: runOptions{input: "{}", mockConfig: mocks, testCase: "Happy", timeScale: 0},
		breakpoints: []string{"Charge"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	v := s.View()
	if len(v.Held) != 1 || v.Held[0].State != "Charge" || v.Held[0].Reason != "breakpoint" {
		t.Fatalf("at start: %+v", v.Held)
	}
	s.Continue()
	deadline := time.Now().Add(10 * time.Second)
	for v = s.View(); v.Status == types.ExecutionStatusRunning; v = s.View() {
		if time.Now().After(deadline) {
			t.Fatalf("still running: %+v", v)
		}
		select {
		case <-s.Changed():
		case <-time.After(20 * time.Millisecond):
		}
	}
	if v.Status != types.ExecutionStatusSucceeded {
		t.Errorf("status %s %s %s", v.Status, v.Error, v.Cause)
	}
}

// From the TUI, a bundled example is debugged on its bundled mocks: its mocked tasks
// run, the others wait for an answer by hand.
func TestLocalDebugStarterUsesTheBundledMocks(t *testing.T) {
	mocks, err := mock.Parse(examples.Mocks())
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "document-sign-off.asl.json"))
	if err != nil {
		t.Fatal(err)
	}
	def, err := asl.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	input, _ := examples.SampleInput("document-sign-off")
	s, err := localDebugStarter(mocks, examples.DefaultTestCase, 0)(def, "document-sign-off", value.MustParse(input))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Continue()
	deadline := time.Now().Add(10 * time.Second)
	for {
		v := s.View()
		// The legal review is a callback nothing mocks; the budget check is mocked.
		if len(v.Tasks) == 1 && v.Tasks[0].State == "Ask Legal" && strings.Contains(eventTypes(s), "TaskSucceeded") {
			break
		}
		if time.Now().After(deadline) || v.Status != types.ExecutionStatusRunning {
			t.Fatalf("the session: %+v, events %s", v, eventTypes(s))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func eventTypes(s *debug.Session) string {
	var b strings.Builder
	for _, ev := range s.History() {
		b.WriteString(string(ev.Type) + " ")
	}
	return b.String()
}
