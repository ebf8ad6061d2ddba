package graph

import "testing"

func TestMove(t *testing.T) {
	poller := exampleDef(t, "batch-job-poller.asl.json")
	signoff := exampleDef(t, "document-sign-off.asl.json")
	tests := []struct {
		name string
		def  string
		from string
		d    Direction
		want string
	}{
		{"down follows Next", "poller", "Submit Job", Down, "Wait 30 Seconds"},
		{"down follows the first rule", "poller", "Job Complete?", Down, "Notify Failure"},
		{"up goes to the state before", "poller", "Get Job Status", Up, "Wait 30 Seconds"},
		{"up prefers the state above to a loop from below", "poller", "Wait 30 Seconds", Up, "Submit Job"},
		{"up from the start stays", "poller", "Submit Job", Up, "Submit Job"},
		{"down from a terminal state stays", "poller", "Job Failed", Down, "Job Failed"},
		{"unknown selection goes to the start", "poller", "nope", Left, "Submit Job"},
		{"right moves along a row", "poller", "Notify Failure", Right, "Get Final Job Status"},
		{"left moves back", "poller", "Get Final Job Status", Left, "Notify Failure"},
		{"left at the edge stays", "poller", "Notify Failure", Left, "Notify Failure"},
		{"down enters the first branch", "signoff", "Collect Sign-offs", Down, "Ask Legal"},
		{"right crosses to the next branch", "signoff", "Ask Legal", Right, "Check Budget"},
		{"up leaves a branch", "signoff", "Ask Legal", Up, "Collect Sign-offs"},
		{"down leaves a finished branch", "signoff", "Check Budget", Down, "Publish Document"},
	}
	for _, tc := range tests {
		def := poller
		if tc.def == "signoff" {
			def = signoff
		}
		if got := Move(def, tc.from, tc.d, Options{}); got != tc.want {
			t.Errorf("%s: Move(%q, %d) = %q, want %q", tc.name, tc.from, tc.d, got, tc.want)
		}
	}
}

// TestViewportFollowsSelection: in a view smaller than the graph, the selected box is
// always inside it, and the view does not move while the selection stays in view.
func TestViewportFollowsSelection(t *testing.T) {
	def := exampleDef(t, "batch-job-poller.asl.json")
	opts := Options{Width: 40, Height: 12, Mode: Pan}
	full := placedBoxes(def, Options{Width: 40, Mode: Pan})
	for _, b := range full {
		opts.Selected = b.name
		x, y := Viewport(def, nil, opts)
		if b.x < x || b.x+min(b.w, opts.Width) > x+opts.Width || b.y < y || b.y+b.h > y+opts.Height {
			t.Errorf("%s at %d,%d (%dx%d) is outside the view at %d,%d", b.name, b.x, b.y, b.w, b.h, x, y)
		}
		out := Render(def, nil, opts)
		if p := checkWidth(out, opts.Width, opts.Height); p != "" {
			t.Errorf("%s selected: %s", b.name, p)
		}
		opts.ScrollX, opts.ScrollY = x, y
		x2, y2 := Viewport(def, nil, opts)
		if x2 != x || y2 != y {
			t.Errorf("%s: the view moved from %d,%d to %d,%d with nothing changed", b.name, x, y, x2, y2)
		}
	}
}
