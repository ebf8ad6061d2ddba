package main

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
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
