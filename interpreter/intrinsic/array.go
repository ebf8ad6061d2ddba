package intrinsic

import (
	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// maxRange is the most items States.ArrayRange may produce.
const maxRange = 1000

func evalArray(c *Call, env *jsonpath.Env) (value.Value, error) {
	out := make([]any, len(c.args))
	for i := range c.args {
		v, err := c.arg(env, i)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func evalArrayPartition(c *Call, env *jsonpath.Env) (value.Value, error) {
	a, err := c.array(env, 0)
	if err != nil {
		return nil, err
	}
	n, err := c.integer(env, 1)
	if err != nil {
		return nil, err
	}
	if n <= 0 {
		return nil, c.fail("the chunk size must be greater than 0, not %d", n)
	}
	out := make([]any, 0, (int64(len(a))+n-1)/n)
	for start := 0; start < len(a); {
		end := len(a)
		if int64(end-start) > n {
			end = start + int(n)
		}
		out = append(out, a[start:end:end])
		start = end
	}
	return out, nil
}

func evalArrayContains(c *Call, env *jsonpath.Env) (value.Value, error) {
	a, err := c.array(env, 0)
	if err != nil {
		return nil, err
	}
	v, err := c.arg(env, 1)
	if err != nil {
		return nil, err
	}
	for _, e := range a {
		if value.Equal(e, v) {
			return true, nil
		}
	}
	return false, nil
}

func evalArrayRange(c *Call, env *jsonpath.Env) (value.Value, error) {
	start, err := c.integer(env, 0)
	if err != nil {
		return nil, err
	}
	end, err := c.integer(env, 1)
	if err != nil {
		return nil, err
	}
	step, err := c.integer(env, 2)
	if err != nil {
		return nil, err
	}
	if step == 0 {
		return nil, c.fail("the step must not be 0")
	}
	// Count in floating point so that extreme bounds cannot overflow.
	count := int64(0)
	if (step > 0 && start <= end) || (step < 0 && start >= end) {
		span := (float64(end) - float64(start)) / float64(step)
		if span >= maxRange {
			return nil, c.fail("the range would hold more than %d items", maxRange)
		}
		count = int64(span) + 1
	}
	if count > maxRange {
		return nil, c.fail("the range would hold more than %d items", maxRange)
	}
	out := make([]any, count)
	for i := range out {
		out[i] = start + int64(i)*step
	}
	return out, nil
}

func evalArrayGetItem(c *Call, env *jsonpath.Env) (value.Value, error) {
	a, err := c.array(env, 0)
	if err != nil {
		return nil, err
	}
	i, err := c.integer(env, 1)
	if err != nil {
		return nil, err
	}
	if i < 0 || i >= int64(len(a)) {
		return nil, c.fail("the index %d is out of bounds for an array of %d item(s)", i, len(a))
	}
	return a[i], nil
}

func evalArrayLength(c *Call, env *jsonpath.Env) (value.Value, error) {
	a, err := c.array(env, 0)
	if err != nil {
		return nil, err
	}
	return int64(len(a)), nil
}

func evalArrayUnique(c *Call, env *jsonpath.Env) (value.Value, error) {
	a, err := c.array(env, 0)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(a))
	seen := make(map[string]struct{}, len(a))
	var key []byte
	for _, e := range a {
		key = appendKey(key[:0], e)
		if _, dup := seen[string(key)]; dup {
			continue
		}
		seen[string(key)] = struct{}{}
		out = append(out, e)
	}
	return out, nil
}
