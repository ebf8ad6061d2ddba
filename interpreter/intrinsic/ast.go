package intrinsic

import (
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Call is a parsed intrinsic function call. It is immutable and safe for concurrent use.
type Call struct {
	fn   *function
	args []arg
	pos  int    // offset of the call in the source, for messages
	src  string // the whole expression as written, which causes quote
	// format holds the pieces of a States.Format template written as a literal, split
	// once at parse time because only the source tells an escaped brace from a
	// placeholder.
	format []string
}

// Name returns the function name, such as "States.Format".
func (c *Call) Name() string { return c.fn.name }

type argKind uint8

const (
	argLiteral argKind = iota // a number, true, false or null
	argString                 // a quoted string
	argPath                   // $..., $$..., $name...
	argCall                   // a nested call
)

type arg struct {
	kind argKind
	lit  value.Value // argLiteral, argString (the decoded text)
	raw  string      // argString: the text between the quotes, escapes kept
	path *jsonpath.Path
	call *Call
	pos  int
}
