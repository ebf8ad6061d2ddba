package pages

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/stepdeck/stepdeck/interpreter/debug"
	"github.com/stepdeck/stepdeck/ui/components/graph"
)

// Stepping back: the debugger keeps what the session looked like at each stop (its
// view and how far its history had come; history is never rewritten, so a length is
// enough), and [ and ] walk back and forth through those stops, showing the graph, the
// data flow, the input and the variables as of each. Looking back changes nothing: the
// execution stays where it is, its controls wait until ] comes back to now, and R
// restarts from a top-level state when the point is to run from there again.

var (
	keyStepBack    = key.NewBinding(key.WithKeys("["), key.WithHelp("[", "step back"))
	keyStepForward = key.NewBinding(key.WithKeys("]"), key.WithHelp("]", "step forward"))
)

// maxStops bounds the stops kept (each is a few maps: a long run keeps its last ones).
const maxStops = 2000

type debugStop struct {
	view   debug.View
	events int
}

// recordStop keeps the session's state after a refresh when it is a new stop.
func (d *Debugger) recordStop(v debug.View) {
	if len(v.Held) == 0 {
		return
	}
	if n := len(d.stops); n > 0 && d.stops[n-1].events == v.EventCount && sameHeld(d.stops[n-1].view, v) {
		return
	}
	d.stops = append(d.stops, debugStop{view: v, events: v.EventCount})
	if len(d.stops) > maxStops {
		d.stops = d.stops[len(d.stops)-maxStops:]
	}
}

func sameHeld(a, b debug.View) bool {
	if len(a.Held) != len(b.Held) {
		return false
	}
	for i := range a.Held {
		if a.Held[i].Frame != b.Held[i].Frame || a.Held[i].State != b.Held[i].State {
			return false
		}
	}
	return true
}

// lookingBack says a past stop is shown.
func (d *Debugger) lookingBack() bool { return d.back > 0 }

// stepBack moves the view by delta stops (negative: back), from now at 0.
func (d *Debugger) stepBack(delta int) tea.Cmd {
	if len(d.stops) == 0 {
		return info("no stop to go back to yet")
	}
	d.back = max(min(d.back-delta, d.stopsBehind()), 0)
	d.show()
	if d.back == 0 {
		return info("back to now")
	}
	return nil
}

// show puts the stop looked at (or now) on screen.
func (d *Debugger) show() {
	if d.back == 0 {
		d.view, d.events = d.liveView, d.liveEvents
	} else {
		st := d.stops[d.stopsBehind()-d.back] // back 1 is the newest stop behind now
		d.view, d.events = st.view, d.liveEvents[:min(st.events, len(d.liveEvents))]
	}
	d.painting = graph.Paint(d.s.Definition(), d.events)
	if d.cur >= len(d.view.Held) {
		d.cur = 0
	}
	if h := d.current(); h != nil {
		d.selected = h.State
	}
	d.flowKey = ""
}

// stopsBehind is how many kept stops lie behind now: all of them while the execution
// runs, all but the newest while it is stopped (the newest is now).
func (d *Debugger) stopsBehind() int {
	if n := len(d.stops); n > 0 && len(d.liveView.Held) > 0 && d.stops[n-1].events == d.liveView.EventCount {
		return n - 1
	}
	return len(d.stops)
}

// backLine is the title's note while looking back.
func (d *Debugger) backLine() string {
	if !d.lookingBack() {
		return ""
	}
	return fmt.Sprintf(" · looking back: stop %d of %d (] forward)", d.stopsBehind()-d.back+1, len(d.stops))
}

// refusesWhileBack turns away the keys that act on the execution while a past stop
// is shown.
func (d *Debugger) refusesWhileBack(k tea.KeyPressMsg) (tea.Cmd, bool) {
	if !d.lookingBack() {
		return nil, false
	}
	for _, b := range []key.Binding{keyStep, keyStepOver, keyContinue, keyRunTo, keyPause, keyEditInput, keySkip,
		keyAnswerTask, keyFailTask, keyStopExec, keySetVar} {
		if key.Matches(k, b) {
			return info("looking back at an earlier stop: ] goes forward to now, where the execution is"), true
		}
	}
	return nil, false
}
