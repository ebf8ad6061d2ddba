package conformance

import (
	"os"
	"path/filepath"
	"testing"
)

// CorpusDir returns the folder of recorded executions (../shared/conformance/asl beside
// the repository), found from the working directory of the test by walking up to the
// repository's go.mod. When the folder is absent, as in a plain clone, the test is
// skipped with a message saying where the data was looked for.
func CorpusDir(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Skipf("conformance corpus: cannot tell the working directory: %v", err)
	}
	root := wd
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			t.Skipf("conformance corpus: no go.mod above %s, so no repository to find ../shared/conformance from", wd)
		}
		root = parent
	}
	dir := filepath.Join(root, "..", "shared", "conformance", "asl")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("conformance corpus not found at %s (it sits beside the repository and is not part of a clone): %v", dir, err)
	}
	return dir
}
