package intrinsic

import (
	"errors"
	"fmt"

	"github.com/stepdeck/stepdeck/interpreter/failure"
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Eval evaluates the call. Errors are *failure.Error values: States.IntrinsicFailure when
// an argument is unfit for its function, States.Runtime when a path argument selects
// nothing. Like AWS, the cause quotes the whole expression and then says what went wrong:
//
//	The function 'States.Format('{}', $.a)' had the following error: The JsonPath
//	argument for the field '$.a' could not be found in the input '{}'
//
// A nil env counts as an empty one.
func (c *Call) Eval(env *jsonpath.Env) (value.Value, error) {
	if c == nil || c.fn == nil {
		return nil, failure.New(failure.IntrinsicFailure, "the intrinsic function call was not built by Parse")
	}
	if env == nil {
		env = &jsonpath.Env{}
	}
	v, err := c.eval(env)
	if err != nil {
		return nil, c.publicError(err)
	}
	return v, nil
}

func (c *Call) eval(env *jsonpath.Env) (value.Value, error) { return c.fn.eval(c, env) }

// publicError frames an error from anywhere in the call tree with the source of the
// outermost call, which is the expression the author wrote.
func (c *Call) publicError(err error) error {
	name, detail := failure.IntrinsicFailure, err.Error()
	var fe *failure.Error
	if errors.As(err, &fe) {
		name, detail = fe.Name, fe.Cause
	}
	return failure.New(name, "The function '"+c.src+"' had the following error: "+detail)
}

// arg evaluates argument i.
func (c *Call) arg(env *jsonpath.Env, i int) (value.Value, error) {
	a := &c.args[i]
	switch a.kind {
	case argPath:
		v, err := a.path.Eval(env)
		if err != nil {
			return nil, c.pathError(a, env, err)
		}
		return v, nil
	case argCall:
		return a.call.eval(env)
	}
	return a.lit, nil
}

func (c *Call) pathError(a *arg, env *jsonpath.Env, err error) error {
	var nf *jsonpath.NotFoundError
	if !errors.As(err, &nf) {
		// Other path errors (an unset variable, an index into a non-array) keep the
		// path package's words, as AWS passes on its JSONPath library's.
		var fe *failure.Error
		if errors.As(err, &fe) {
			return fe
		}
		return failure.New(failure.Runtime, err.Error())
	}
	doc := env.Input
	switch a.path.Root() {
	case jsonpath.RootContext:
		doc = env.Context
	case jsonpath.RootVariable:
		doc = nil
		if env.Vars != nil {
			doc, _ = env.Vars.Get(a.path.Variable())
		}
	}
	return failure.Newf(failure.Runtime, "The JsonPath argument for the field '%s' could not be found in the input '%s'", a.path.String(), value.String(doc))
}

// fail returns the States.IntrinsicFailure that a bad argument value raises.
func (c *Call) fail(format string, args ...any) error {
	return failure.New(failure.IntrinsicFailure, fmt.Sprintf("Invalid arguments in %s: ", c.fn.name)+fmt.Sprintf(format, args...))
}

// describe shows a value in a message, shortened so that a large document does not
// flood the cause.
func describe(v value.Value) string {
	s := value.String(v)
	const limit = 100
	if len(s) > limit {
		cut := limit
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "..."
	}
	return value.KindOf(v).String() + " " + s
}

func ordinal(i int) string {
	return [...]string{"first", "second", "third", "fourth", "fifth"}[min(i, 4)]
}

func (c *Call) wrongType(i int, want string, got value.Value) error {
	if i >= 4 {
		return c.fail("argument %d must be %s, not %s", i+1, want, describe(got))
	}
	return c.fail("the %s argument must be %s, not %s", ordinal(i), want, describe(got))
}

func (c *Call) str(env *jsonpath.Env, i int) (string, error) {
	v, err := c.arg(env, i)
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", c.wrongType(i, "a string", v)
	}
	return s, nil
}

func (c *Call) array(env *jsonpath.Env, i int) ([]any, error) {
	v, err := c.arg(env, i)
	if err != nil {
		return nil, err
	}
	a, ok := v.([]any)
	if !ok {
		return nil, c.wrongType(i, "an array", v)
	}
	return a, nil
}

func (c *Call) object(env *jsonpath.Env, i int) (*value.Object, error) {
	v, err := c.arg(env, i)
	if err != nil {
		return nil, err
	}
	o, ok := v.(*value.Object)
	if !ok {
		return nil, c.wrongType(i, "an object", v)
	}
	return o, nil
}

func (c *Call) number(env *jsonpath.Env, i int) (float64, error) {
	v, err := c.arg(env, i)
	if err != nil {
		return 0, err
	}
	f, ok := value.ToFloat(v)
	if !ok {
		return 0, c.wrongType(i, "a number", v)
	}
	return f, nil
}

// integer accepts 3 and 3.0 alike; 3.5 is refused.
func (c *Call) integer(env *jsonpath.Env, i int) (int64, error) {
	v, err := c.arg(env, i)
	if err != nil {
		return 0, err
	}
	n, ok := value.ToInt(v)
	if !ok {
		return 0, c.wrongType(i, "an integer", v)
	}
	return n, nil
}

func (c *Call) boolean(env *jsonpath.Env, i int) (bool, error) {
	v, err := c.arg(env, i)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, c.wrongType(i, "a boolean", v)
	}
	return b, nil
}
