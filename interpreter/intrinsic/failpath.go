package intrinsic

// failPathFunctions are the functions a Fail state's ErrorPath and CausePath may call;
// AWS refuses the others there.
var failPathFunctions = map[string]bool{
	"States.Format":       true,
	"States.JsonToString": true,
	"States.ArrayGetItem": true,
	"States.Base64Encode": true,
	"States.Base64Decode": true,
	"States.Hash":         true,
	"States.UUID":         true,
}

// AllowedInFailPath reports whether the call may be the value of a Fail state's
// ErrorPath or CausePath.
func (c *Call) AllowedInFailPath() bool {
	return c != nil && c.fn != nil && failPathFunctions[c.fn.name]
}
