package source

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func expectSignal(t *testing.T, w *Watcher, want bool, what string) {
	t.Helper()
	select {
	case <-w.Changes():
		if !want {
			t.Errorf("%s: a signal", what)
		}
	case <-time.After(Debounce + 700*time.Millisecond):
		if want {
			t.Errorf("%s: no signal", what)
		}
	}
}

// A save of a source file signals once; other files do not; a file a template reads
// counts wherever it is; Close ends Changes.
func TestWatcher(t *testing.T) {
	dir := t.TempDir()
	other := t.TempDir()
	asl := write(t, other, "flow.asl.json", `{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`)
	tpl := write(t, dir, "template.yaml", "Resources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties: {DefinitionUri: "+asl+"}\n")
	ms, err := Load(tpl)
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWatcher()
	if err != nil {
		t.Fatal(err)
	}
	w.Add(tpl, ms)

	write(t, dir, "notes.txt", "not a source")
	write(t, dir, "other.yaml", "a: 1") // not in a folder given as a source
	expectSignal(t, w, false, "unrelated files")

	// Three quick writes are one save.
	for range 3 {
		if err := os.WriteFile(tpl, []byte("Resources: {}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	expectSignal(t, w, true, "the template")
	expectSignal(t, w, false, "after the one signal")

	// An editor's save: a new file renamed over the old one.
	tmp := filepath.Join(other, ".flow.asl.json.swp")
	write(t, other, ".flow.asl.json.swp", `{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}`)
	if err := os.Rename(tmp, asl); err != nil {
		t.Fatal(err)
	}
	expectSignal(t, w, true, "the DefinitionUri file, renamed over")

	w.Close()
	if _, ok := <-w.Changes(); ok {
		t.Error("Changes is open after Close")
	}
}
