package picture

import "fmt"

// Error is a picture or input failure. Code is the JSONata reference's error code (for
// example D3080), which JSONata programs and the conformance suite match on.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}
