package source

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watcher tells when the files of loaded sources change. It watches folders, not
// files: editors often save by writing a new file and renaming it over the old one,
// which a watch on the file itself would miss. The events of one save (a write, a
// rename, a chmod) are gathered into one signal.
type Watcher struct {
	w       *fsnotify.Watcher
	changes chan struct{}
	errs    chan error
	done    chan struct{}

	mu      sync.Mutex
	watched map[string]bool // folders
	files   map[string]bool // files that count, wherever they are
	trees   []string        // folders given as sources: any JSON or YAML file below counts
}

// Debounce is how long a Watcher waits for a save's events to stop before it signals.
const Debounce = 150 * time.Millisecond

// NewWatcher starts a watcher with nothing to watch yet.
func NewWatcher() (*Watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &Watcher{w: fw, changes: make(chan struct{}, 1), errs: make(chan error, 8), done: make(chan struct{}),
		watched: map[string]bool{}, files: map[string]bool{}}
	go w.run()
	return w, nil
}

// Changes receives a value after each save (or burst of saves) to a watched source.
func (w *Watcher) Changes() <-chan struct{} { return w.changes }

// Errors receives what the operating system's watch reports (a queue overflow).
func (w *Watcher) Errors() <-chan error { return w.errs }

// Close stops watching; Changes is closed.
func (w *Watcher) Close() error {
	err := w.w.Close()
	<-w.done
	return err
}

// Add watches a source path (as given to Load) and the files its machines were read
// from (a DefinitionUri file, a nested stack's template). It may be called again after
// each load, as the files a source reads can change.
func (w *Watcher) Add(path string, ms []*Machine) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if st, err := os.Stat(abs); err == nil && st.IsDir() {
		if !containsKey(w.trees, abs) {
			w.trees = append(w.trees, abs)
		}
		filepath.WalkDir(abs, func(d string, e os.DirEntry, err error) error {
			if err != nil || !e.IsDir() {
				return nil
			}
			if d != abs && (strings.HasPrefix(e.Name(), ".") || skipDirs[e.Name()]) {
				return filepath.SkipDir
			}
			w.watchDir(d)
			return nil
		})
	} else {
		w.files[abs] = true
		w.watchDir(filepath.Dir(abs))
	}
	for _, m := range ms {
		for _, f := range m.Files() {
			if fa, err := filepath.Abs(f); err == nil {
				w.files[fa] = true
				w.watchDir(filepath.Dir(fa))
			}
		}
	}
}

func (w *Watcher) watchDir(dir string) {
	if !w.watched[dir] && w.w.Add(dir) == nil {
		w.watched[dir] = true
	}
}

// counts tells whether a changed file is one of the sources: a file a machine came
// from, or a JSON or YAML file inside a folder that was given.
func (w *Watcher) counts(name string) bool {
	abs, err := filepath.Abs(name)
	if err != nil {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.files[abs] {
		return true
	}
	lower := strings.ToLower(abs)
	if !strings.HasSuffix(lower, ".json") && !strings.HasSuffix(lower, ".yaml") && !strings.HasSuffix(lower, ".yml") {
		return false
	}
	for _, d := range w.trees {
		if strings.HasPrefix(abs, d+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

func (w *Watcher) run() {
	defer close(w.done)
	defer close(w.changes)
	var timer <-chan time.Time
	for {
		select {
		case ev, ok := <-w.w.Events:
			if !ok {
				return
			}
			if ev.Op == fsnotify.Chmod || !w.counts(ev.Name) {
				continue
			}
			timer = time.After(Debounce)
		case err, ok := <-w.w.Errors:
			if !ok {
				return
			}
			select {
			case w.errs <- err:
			default:
			}
		case <-timer:
			timer = nil
			select {
			case w.changes <- struct{}{}:
			default: // a signal is pending already
			}
		}
	}
}
