package conformance

import (
	"testing"

	corpusdata "github.com/stepdeck/stepdeck/interpreter/conformance/corpus"
)

// DataDir returns a folder of the conformance data (see package corpus for where it is
// looked for, and what happens when it is missing).
func DataDir(t testing.TB, parts ...string) string {
	t.Helper()
	return corpusdata.Dir(t, parts...)
}

// CorpusDir returns the folder of recorded executions (asl/ under the conformance data).
func CorpusDir(t testing.TB) string {
	t.Helper()
	return corpusdata.Dir(t, "asl")
}
