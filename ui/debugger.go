package ui

import (
	"github.com/stepdeck/stepdeck/ui/common"
	"github.com/stepdeck/stepdeck/ui/pages"
)

// NewOn returns the UI with first as its bottom screen instead of the state machines
// (the debugger opens this way).
func NewOn(c *common.Common, backend string, first pages.Page) *App {
	a := New(c, backend)
	a.stack = []pages.Page{first}
	return a
}
