package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A store whose meta pages were overwritten (a disk error, a stray write) is refused with
// the path and the remedy, not a panic.
func TestOpenDamagedMetaPages(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	update(t, s, func(tx *Tx) error { return tx.AppendEvents("e", 1, evs(1, 2, 3)) })
	pageSize := s.db.Info().PageSize
	s.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, off := range []int{16, pageSize + 16} { // inside each of the two meta pages
		copy(data[off:], "scribbled over the page header and checksum")
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Open(path, Options{})
	if err == nil {
		t.Fatal("Open of a file with both meta pages damaged succeeded")
	}
	if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, "move it aside") {
		t.Errorf("error does not name the path and the remedy: %v", err)
	}
}
