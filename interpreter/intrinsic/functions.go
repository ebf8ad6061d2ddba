package intrinsic

import (
	"fmt"
	"sort"

	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// function describes one States.* function.
type function struct {
	name     string
	min, max int // argument counts; max < 0 means no upper bound
	eval     func(c *Call, env *jsonpath.Env) (value.Value, error)
	// check runs at parse time for rules the source alone decides; it returns the
	// offset to point at.
	check func(c *Call) (int, error)
}

// functions lists every intrinsic by name. It is filled in init because the functions
// evaluate nested calls, which refer back to this table through Parse's results.
var functions map[string]*function

func init() {
	list := []*function{
		{name: "States.Format", min: 1, max: -1, eval: evalFormat, check: checkFormat},
		{name: "States.StringToJson", min: 1, max: 1, eval: evalStringToJSON},
		{name: "States.JsonToString", min: 1, max: 1, eval: evalJSONToString, check: checkJSONToString},
		{name: "States.Array", min: 0, max: -1, eval: evalArray},
		{name: "States.ArrayPartition", min: 2, max: 2, eval: evalArrayPartition},
		{name: "States.ArrayContains", min: 2, max: 2, eval: evalArrayContains},
		{name: "States.ArrayRange", min: 3, max: 3, eval: evalArrayRange},
		{name: "States.ArrayGetItem", min: 2, max: 2, eval: evalArrayGetItem},
		{name: "States.ArrayLength", min: 1, max: 1, eval: evalArrayLength},
		{name: "States.ArrayUnique", min: 1, max: 1, eval: evalArrayUnique},
		{name: "States.Base64Encode", min: 1, max: 1, eval: evalBase64Encode},
		{name: "States.Base64Decode", min: 1, max: 1, eval: evalBase64Decode},
		{name: "States.Hash", min: 2, max: 2, eval: evalHash},
		{name: "States.JsonMerge", min: 3, max: 3, eval: evalJSONMerge},
		{name: "States.MathRandom", min: 2, max: 3, eval: evalMathRandom},
		{name: "States.MathAdd", min: 2, max: 2, eval: evalMathAdd},
		{name: "States.StringSplit", min: 2, max: 2, eval: evalStringSplit},
		{name: "States.UUID", min: 0, max: 0, eval: evalUUID},
	}
	functions = make(map[string]*function, len(list))
	for _, f := range list {
		functions[f.name] = f
	}
}

// Names returns the names of all intrinsic functions, sorted.
func Names() []string {
	out := make([]string, 0, len(functions))
	for n := range functions {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (f *function) checkArity(c *Call) error {
	n := len(c.args)
	if n >= f.min && (f.max < 0 || n <= f.max) {
		return nil
	}
	var want string
	switch {
	case f.max < 0:
		want = fmt.Sprintf("at least %d", f.min)
	case f.min == f.max:
		want = fmt.Sprintf("%d", f.min)
	default:
		want = fmt.Sprintf("%d to %d", f.min, f.max)
	}
	plural := "s"
	if want == "1" || want == "at least 1" {
		plural = ""
	}
	return fmt.Errorf("%s takes %s argument%s, not %d", f.name, want, plural, n)
}
