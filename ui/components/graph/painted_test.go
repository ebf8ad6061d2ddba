package graph

import "testing"

// TestGoldenPainted draws executions in flight: the poller on its second lap, and the
// sign-off waiting for legal's callback while finance is done, with the waiting state
// selected. Without colour the markers carry the statuses; the colour golden pins the
// ANSI styles.
func TestGoldenPainted(t *testing.T) {
	poller := exampleDef(t, "batch-job-poller.asl.json")
	pollerRun := paintOf(t, mustSource(t, "batch-job-poller.asl.json"),
		"1 0 ExecutionStarted",
		"2 0 TaskStateEntered Submit Job",
		"3 2 TaskScheduled submitJob",
		"4 3 TaskStarted",
		"5 4 TaskSucceeded",
		"6 5 TaskStateExited Submit Job",
		"7 6 WaitStateEntered Wait 30 Seconds",
		"8 7 WaitStateExited Wait 30 Seconds",
		"9 8 TaskStateEntered Get Job Status",
		"10 9 TaskScheduled describeJobs",
		"11 10 TaskStarted",
		"12 11 TaskSucceeded",
		"13 12 TaskStateExited Get Job Status",
		"14 13 ChoiceStateEntered Job Complete?",
		"15 14 ChoiceStateExited Job Complete?",
		"16 15 WaitStateEntered Wait 30 Seconds",
		"17 16 WaitStateExited Wait 30 Seconds",
		"18 17 TaskStateEntered Get Job Status",
		"19 18 TaskScheduled describeJobs")
	golden(t, "batch-job-poller-painted", Render(poller, pollerRun.States, Options{}))

	signoff := exampleDef(t, "document-sign-off.asl.json")
	signoffRun := paintOf(t, mustSource(t, "document-sign-off.asl.json"),
		"1 0 ExecutionStarted",
		"2 0 PassStateEntered Prepare Document",
		"3 2 PassStateExited Prepare Document",
		"4 3 ParallelStateEntered Collect Sign-offs",
		"5 4 ParallelStateStarted",
		"6 5 TaskStateEntered Ask Legal",
		"7 5 TaskStateEntered Check Budget",
		"8 6 TaskScheduled sendMessage.waitForTaskToken",
		"9 7 TaskScheduled invoke",
		"10 8 TaskStarted",
		"11 9 TaskStarted",
		"12 10 TaskSubmitted",
		"13 11 TaskSucceeded",
		"14 13 TaskStateExited Check Budget")
	opts := Options{Selected: "Ask Legal", Painting: signoffRun}
	out := Render(signoff, nil, opts)
	golden(t, "document-sign-off-waiting", out)
	if p := checkGraph(signoff, out, 0); len(p) > 0 {
		t.Errorf("checker:\n%s", joinLines(p))
	}
	opts.Color = true
	golden(t, "document-sign-off-waiting-color", Render(signoff, nil, opts))
	golden(t, "document-sign-off-waiting-outline", Outline(signoff, nil, Options{Selected: "Ask Legal", Painting: signoffRun}))
}

// TestGoldenPan: a 40×14 view of the poller with the Choice selected.
func TestGoldenPan(t *testing.T) {
	def := exampleDef(t, "batch-job-poller.asl.json")
	opts := Options{Width: 40, Height: 14, Mode: Pan, Selected: "Job Complete?"}
	out := Render(def, nil, opts)
	if p := checkWidth(out, 40, 14); p != "" {
		t.Error(p)
	}
	golden(t, "batch-job-poller-pan", out)
}
