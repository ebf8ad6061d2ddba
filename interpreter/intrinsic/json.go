package intrinsic

import (
	"errors"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

func evalStringToJSON(c *Call, env *jsonpath.Env) (value.Value, error) {
	s, err := c.str(env, 0)
	if err != nil {
		return nil, err
	}
	// AWS turns blank text into null rather than failing.
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	v, err := value.ParseString(s)
	if err != nil {
		return nil, c.fail("the string is not valid JSON (%s): %s", err, describe(s))
	}
	return v, nil
}

func checkJSONToString(c *Call) (int, error) {
	if a := &c.args[0]; a.kind != argPath {
		return a.pos, errors.New("the argument of States.JsonToString must be a path")
	}
	return 0, nil
}

func evalJSONToString(c *Call, env *jsonpath.Env) (value.Value, error) {
	v, err := c.arg(env, 0)
	if err != nil {
		return nil, err
	}
	return value.String(v), nil
}

func evalJSONMerge(c *Call, env *jsonpath.Env) (value.Value, error) {
	a, err := c.object(env, 0)
	if err != nil {
		return nil, err
	}
	b, err := c.object(env, 1)
	if err != nil {
		return nil, err
	}
	deep, err := c.boolean(env, 2)
	if err != nil {
		return nil, err
	}
	if deep {
		return nil, c.fail("deep merging is not supported: the third argument must be false")
	}
	// A key of b already in a keeps a's position and takes b's value, as Java's
	// LinkedHashMap.putAll does.
	out := a.Clone()
	for i := 0; i < b.Len(); i++ {
		k, v := b.At(i)
		out.Set(k, v)
	}
	return out, nil
}
