// Package common holds what every page and component of the terminal UI shares: the
// size of the screen, styles, key bindings, the API and the clock. Pages get a pointer
// to one Common so that a resize or a read-only switch reaches all of them at once.
package common

import (
	"time"

	"github.com/stepdeck/stepdeck/client"
	"github.com/stepdeck/stepdeck/interpreter/asl"
	"github.com/stepdeck/stepdeck/interpreter/debug"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Common is the shared context of the UI.
type Common struct {
	Width, Height int
	Styles        Styles
	Keys          Keys
	API           client.API
	// ReadOnly hides every action that changes anything.
	ReadOnly bool
	// Now is the clock; tests fix it so that durations in golden files do not move.
	Now func() time.Time
	// Stamp and Span print times and durations; tests replace them so that golden
	// files do not depend on when they run.
	Stamp func(time.Time) string
	Span  func(time.Duration) string
	// Refresh comes from the configuration file.
	Refresh Refresh
	// Local says the API is the in-process engine (shown in the header).
	Local bool
	// Debug starts a debugger session on a state machine, its tasks served as the
	// local engine serves them (mocks, handlers); nil when the backend is not local.
	Debug func(def *asl.Definition, machine string, input value.Value) (*debug.Session, error)
	// Sources knows the machines loaded from files; nil when none were.
	Sources Sources
	// ExecView is the view of an execution last chosen (graph, table, events, timeline),
	// so the next execution opens in it.
	ExecView int
}

// Refresh bounds how often the lists refresh (zero: the screens' own defaults).
type Refresh struct {
	ExecutionsMin, ExecutionsMax time.Duration
	CallbacksMin, CallbacksMax   time.Duration
}

// New returns a Common with default styles (honouring NO_COLOR) and keys.
func New(api client.API, readOnly bool) *Common {
	return &Common{
		Styles:   DefaultStyles(NoColor()),
		Keys:     DefaultKeys(),
		API:      api,
		ReadOnly: readOnly,
		Now:      time.Now,
	}
}

// Clock returns Now, falling back to time.Now for a zero Common.
func (c *Common) Clock() time.Time {
	if c == nil || c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// Time prints a moment for a table cell.
func (c *Common) Time(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	if c != nil && c.Stamp != nil {
		return c.Stamp(t)
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

// Dur prints a duration for a table cell.
func (c *Common) Dur(d time.Duration) string {
	if c != nil && c.Span != nil {
		return c.Span(d)
	}
	return Duration(d)
}

// BodyHeight is the height left to a page under the header and above the status line
// and the footer.
func (c *Common) BodyHeight() int { return max(c.Height-3, 1) }
