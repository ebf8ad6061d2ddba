// Package examples bundles the example state machines into the binary, so that the
// terminal UI can load them into a fresh local engine.
package examples

import (
	"embed"
	"io/fs"
	"strings"
)

//go:embed *.asl.json *.input.json mocks.json
var files embed.FS

// DefaultTestCase is the mock test case the bundled examples run with when an execution
// names none; see mocks.json.
const DefaultTestCase = "Default"

// Mocks returns the mock config (Step Functions Local's format) that answers the bundled
// examples' tasks, so they run on a local engine without AWS.
func Mocks() []byte {
	b, _ := files.ReadFile("mocks.json") // embedded: cannot fail
	return b
}

// Example is one bundled state machine.
type Example struct {
	Name       string // the file name without .asl.json, usable as a state machine name
	Definition string
}

// All returns the bundled examples in file name order.
func All() ([]Example, error) {
	names, err := fs.Glob(files, "*.asl.json")
	if err != nil {
		return nil, err
	}
	out := make([]Example, 0, len(names))
	for _, n := range names {
		b, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, Example{Name: strings.TrimSuffix(n, ".asl.json"), Definition: string(b)})
	}
	return out, nil
}

// SampleInput returns the sample input of a bundled example (its <name>.input.json), for
// an editor to start from.
func SampleInput(name string) (string, bool) {
	b, err := files.ReadFile(name + ".input.json")
	if err != nil {
		return "", false
	}
	return string(b), true
}
