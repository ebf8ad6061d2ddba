package conformance

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// A known failure whose case id matches no case is reported, so it cannot linger.
func TestKnownFailuresNamingNoCase(t *testing.T) {
	known, err := ParseKnownFailures([]byte(`"a/x" events # why
"gone/y" result # renamed since
`), "known.txt")
	if err != nil {
		t.Fatal(err)
	}
	got := known.unknownIDs(map[string]bool{"a/x": true, "b/z": true})
	if want := []string{`"gone/y" result`}; !reflect.DeepEqual(got, want) {
		t.Fatalf("unknownIDs = %q, want %q", got, want)
	}
}

func TestKnownCases(t *testing.T) {
	path := filepath.Join(t.TempDir(), "known.txt")
	if err := os.WriteFile(path, []byte("# header\n\"g/case001\" # fails for a reason\n\"g/gone\" # a removed case\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	k := ReadKnownCases(t, path)
	if r, ok := k.Listed("g/case001"); !ok || r != "fails for a reason" {
		t.Fatalf("Listed = %q, %v", r, ok)
	}
	k.Check(t, "g/case001", "differs") // listed and failing: fine
	k.Check(t, "g/case002", "")        // not listed and passing: fine
	if got, want := k.unchecked(), []string{"g/gone"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("unchecked = %q, want %q", got, want)
	}
}

func TestKnownCasesRejectsMalformedLines(t *testing.T) {
	for _, text := range []string{
		"g/case001 # unquoted\n",
		"\"g/case001\"\n",                // no reason
		"\"g/case001\" events # level\n", // a level where none belongs
		"\"g/a\" # one\n\"g/a\" # twice\n",
	} {
		path := filepath.Join(t.TempDir(), "known.txt")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		ft := &fatalRecorder{TB: t}
		func() {
			defer func() { _ = recover() }()
			ReadKnownCases(ft, path)
		}()
		if !ft.failed {
			t.Errorf("%q was accepted", text)
		}
	}
}

// fatalRecorder notes a Fatalf instead of ending the test, by panicking out of the
// reader (recovered by the caller).
type fatalRecorder struct {
	testing.TB
	failed bool
}

func (f *fatalRecorder) Helper() {}
func (f *fatalRecorder) Fatalf(string, ...any) {
	f.failed = true
	panic("fatal")
}
func (f *fatalRecorder) Fatal(...any) {
	f.failed = true
	panic("fatal")
}
