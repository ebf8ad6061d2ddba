package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/stepdeck/stepdeck/interpreter/source"
)

// watchDebounce gathers the several events one save makes (an editor may write a
// temporary file, rename it over the old one and touch it) into one redraw.
const watchDebounce = 150 * time.Millisecond

// watchPaths runs render now and again after every change to the sources, until ctx
// ends or the process is interrupted. It watches the folders that hold the paths and
// the files their machines were read from (a DefinitionUri file, a nested stack's
// template), since editors often save by replacing a file rather than writing it.
func watchPaths(ctx context.Context, paths []string, out io.Writer, render func(io.Writer)) error {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watching: %w", err)
	}
	defer w.Close()

	clear := isTerminal(out)
	watched := map[string]bool{}
	relevant := map[string]bool{}
	var dirs []string // folders given as paths: any JSON or YAML file below them counts
	refresh := func() {
		for _, p := range paths {
			abs, _ := filepath.Abs(p)
			if st, err := os.Stat(p); err == nil && st.IsDir() {
				dirs = appendOnce(dirs, abs)
				filepath.WalkDir(abs, func(d string, e os.DirEntry, err error) error {
					if err != nil || !e.IsDir() {
						return nil
					}
					if d != abs && (strings.HasPrefix(e.Name(), ".") || e.Name() == "node_modules") {
						return filepath.SkipDir
					}
					addWatch(w, watched, d)
					return nil
				})
				continue
			}
			relevant[abs] = true
			addWatch(w, watched, filepath.Dir(abs))
			ms, _ := source.Load(p)
			for _, m := range ms {
				for _, f := range m.Files() {
					if fa, err := filepath.Abs(f); err == nil {
						relevant[fa] = true
						addWatch(w, watched, filepath.Dir(fa))
					}
				}
			}
		}
	}
	draw := func() {
		if clear {
			fmt.Fprint(out, "\x1b[H\x1b[2J")
		}
		render(out)
	}
	refresh()
	draw()
	var timer <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ev.Op == fsnotify.Chmod || !counts(ev.Name, relevant, dirs) {
				continue
			}
			timer = time.After(watchDebounce)
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			fmt.Fprintln(out, "stepdeck: watching:", err)
		case <-timer:
			timer = nil
			refresh()
			if !clear {
				fmt.Fprintf(out, "--- %s: changed, again ---\n", time.Now().Format("15:04:05"))
			}
			draw()
		}
	}
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func addWatch(w *fsnotify.Watcher, watched map[string]bool, dir string) {
	if watched[dir] {
		return
	}
	if err := w.Add(dir); err == nil {
		watched[dir] = true
	}
}

// counts tells whether a changed file is one of the sources: a file a machine came
// from, or a JSON or YAML file inside a folder that was given.
func counts(name string, relevant map[string]bool, dirs []string) bool {
	abs, err := filepath.Abs(name)
	if err != nil {
		return false
	}
	if relevant[abs] {
		return true
	}
	lower := strings.ToLower(abs)
	if !strings.HasSuffix(lower, ".json") && !strings.HasSuffix(lower, ".yaml") && !strings.HasSuffix(lower, ".yml") {
		return false
	}
	for _, d := range dirs {
		if strings.HasPrefix(abs, d+string(filepath.Separator)) {
			return true
		}
	}
	return false
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
