// Package common holds what every page and component of the terminal UI shares: the
// size of the screen, styles, key bindings, the API and the clock. Pages get a pointer
// to one Common so that a resize or a read-only switch reaches all of them at once.
package common

import (
	"time"

	"github.com/stepdeck/stepdeck/client"
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
	// Local says the API is the in-process engine (shown in the header).
	Local bool
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
