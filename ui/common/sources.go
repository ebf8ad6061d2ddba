package common

import "context"

// Sources is what the UI knows of the state machines loaded from files (stepdeck PATH,
// :load): where each came from, whether its latest edit is valid, and what changed
// when a file was saved. Common.Sources is nil when nothing was loaded from files.
type Sources interface {
	// Origin names the file (and logical id) a machine came from, and the first
	// problem of its latest edit, placed at a line and column; ok is false for a
	// machine that did not come from a file.
	Origin(name string) (origin, problem string, ok bool)
	// Load reads a path's machines into the backend and watches it.
	Load(ctx context.Context, path string) (summary string, err error)
	// Changes delivers what each save did.
	Changes() <-chan SourceChange
	// Count is how many machines came from files.
	Count() int
}

// SourceChange is what a save did, for the status line.
type SourceChange struct {
	Text string
	Err  bool
}
