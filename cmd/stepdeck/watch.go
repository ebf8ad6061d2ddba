package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/source"
)

// watchPaths runs render now and again after every save to the sources, until ctx ends
// or the process is interrupted. After each round the sources are read again to learn
// which files they read now (a new DefinitionUri file, a nested template).
func watchPaths(ctx context.Context, paths []string, out io.Writer, render func(io.Writer)) error {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	w, err := source.NewWatcher()
	if err != nil {
		return fmt.Errorf("watching: %w", err)
	}
	defer w.Close()
	refresh := func() {
		for _, p := range paths {
			ms, _ := source.Load(p)
			w.Add(p, ms)
		}
	}
	clear := isTerminal(out)
	draw := func() {
		if clear {
			fmt.Fprint(out, "\x1b[H\x1b[2J")
		}
		render(out)
	}
	refresh()
	draw()
	for {
		select {
		case <-ctx.Done():
			return nil
		case _, ok := <-w.Changes():
			if !ok {
				return nil
			}
			refresh()
			if !clear {
				fmt.Fprintf(out, "--- %s: changed, again ---\n", time.Now().Format("15:04:05"))
			}
			draw()
		case err := <-w.Errors():
			fmt.Fprintln(out, "stepdeck: watching:", err)
		}
	}
}

// isTerminal tells whether w is a terminal, where a redraw clears the screen first.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
