// Package corpus finds the conformance data for tests. It imports nothing of the
// project, so that any package's tests can use it without an import cycle (the
// conformance package itself imports interpreter/history, whose tests read the data).
package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// The conformance data (AWS recordings and the JSONata reference suite) is kept by the
// project beside the repository, in ../shared/conformance, and its README asks that it
// not be copied into the repository. Every test that reads it finds it through Dir,
// so there is one rule for where it is and what happens when it is missing.
//
// Environment:
//   - STEPDECK_CONFORMANCE: the conformance folder, when it is not ../shared/conformance
//     beside the repository.
//   - STEPDECK_CONFORMANCE_REQUIRED=1: a missing folder fails the test instead of
//     skipping it. .ci/run sets it, so CI can never pass with the conformance tests
//     silently skipped.
const (
	envDir      = "STEPDECK_CONFORMANCE"
	envRequired = "STEPDECK_CONFORMANCE_REQUIRED"
)

// Dir returns a folder of the conformance data, parts joined under its root (for
// example Dir(t, "asl", "self_contained") or Dir(t, "jsonata")). When it is
// absent, as in a plain clone, the test is skipped saying where it looked, or fails
// when STEPDECK_CONFORMANCE_REQUIRED=1.
func Dir(t testing.TB, parts ...string) string {
	t.Helper()
	root, err := dataRoot()
	if err == nil {
		dir := filepath.Join(append([]string{root}, parts...)...)
		if _, err = os.Stat(dir); err == nil {
			return dir
		}
	}
	if os.Getenv(envRequired) == "1" {
		t.Fatalf("conformance data required (%s=1) but not found: %v", envRequired, err)
	}
	t.Skipf("conformance data not found (it sits beside the repository in ../shared/conformance, or set %s): %v", envDir, err)
	return ""
}

// dataRoot is STEPDECK_CONFORMANCE, or ../shared/conformance beside the repository
// root (the folder holding go.mod above the working directory).
func dataRoot() (string, error) {
	if dir := os.Getenv(envDir); dir != "" {
		return dir, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	root := wd
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			return filepath.Join(root, "..", "shared", "conformance"), nil
		}
		parent := filepath.Dir(root)
		if parent == root {
			return "", &os.PathError{Op: "find repository root", Path: wd, Err: os.ErrNotExist}
		}
		root = parent
	}
}
