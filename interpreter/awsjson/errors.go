package awsjson

import "strings"

// Error is a value that could not be encoded or decoded, with the member path that holds
// it (e.g. "events[3].stateEnteredEventDetails.input") so the sender can find it.
type Error struct {
	Path string
	Msg  string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return "awsjson: " + e.Msg
	}
	return "awsjson: " + e.Path + ": " + e.Msg
}

// wrap prefixes the path of err with one step, as errors bubble up from the failing
// member; building paths only on failure keeps the happy path free of allocations.
func wrap(err error, step string) error {
	e, ok := err.(*Error)
	if !ok {
		return err
	}
	switch {
	case e.Path == "":
		e.Path = step
	case strings.HasPrefix(e.Path, "["):
		e.Path = step + e.Path
	default:
		e.Path = step + "." + e.Path
	}
	return e
}
