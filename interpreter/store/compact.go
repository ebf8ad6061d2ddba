package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// Compact rewrites the store file at path without its free pages: deleting executions
// frees pages that later writes reuse, but the file never shrinks by itself. It needs
// the file to itself (stop `stepdeck serve` first) and returns the file's size before
// and after. The copy is written beside the file and renamed over it only when whole,
// so a crash leaves either file intact.
func Compact(path string) (before, after int64, err error) {
	src, err := Open(path, Options{})
	if err != nil {
		return 0, 0, err
	}
	defer func() {
		if cerr := src.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	if st, err := os.Stat(path); err == nil {
		before = st.Size()
	}
	tmp := path + ".compact"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return before, 0, fmt.Errorf("store: compact %s: %w", path, err)
	}
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{FreelistType: bolt.FreelistMapType, PageSize: pageSize})
	if err != nil {
		return before, 0, fmt.Errorf("store: compact %s: %w", path, err)
	}
	if err := bolt.Compact(dst, src.db, 64<<20); err != nil {
		dst.Close()
		os.Remove(tmp)
		return before, 0, fmt.Errorf("store: compact %s: %w", path, err)
	}
	if err := dst.Close(); err != nil {
		os.Remove(tmp)
		return before, 0, fmt.Errorf("store: compact %s: %w", path, err)
	}
	// Renamed while the old file is still open and locked, so no other process can
	// open the old file in between.
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return before, 0, fmt.Errorf("store: compact %s: %w", path, err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync() // the rename itself is durable
		d.Close()
	}
	st, err := os.Stat(path)
	if err != nil {
		return before, 0, fmt.Errorf("store: compact %s: %w", path, err)
	}
	return before, st.Size(), nil
}
