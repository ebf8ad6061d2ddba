package intrinsic

import (
	"math"
	"math/rand/v2"

	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// javaRound rounds half toward positive infinity, as Java's Math.round does and as AWS
// records for MathAdd: 2.5 → 3, -2.5 → -2.
func javaRound(f float64) int64 {
	return int64(math.Floor(f + 0.5))
}

func (c *Call) roundedInt(env *jsonpath.Env, i int) (int64, error) {
	v, err := c.arg(env, i)
	if err != nil {
		return 0, err
	}
	switch n := v.(type) {
	case int64:
		return n, nil
	case float64:
		if math.IsNaN(n) || n >= math.MaxInt64 || n < math.MinInt64 {
			return 0, c.fail("the %s argument %s is out of range", ordinal(i), describe(v))
		}
		return javaRound(n), nil
	}
	return 0, c.wrongType(i, "a number", v)
}

func evalMathAdd(c *Call, env *jsonpath.Env) (value.Value, error) {
	a, err := c.roundedInt(env, 0)
	if err != nil {
		return nil, err
	}
	b, err := c.roundedInt(env, 1)
	if err != nil {
		return nil, err
	}
	return a + b, nil
}

func evalMathRandom(c *Call, env *jsonpath.Env) (value.Value, error) {
	lo, err := c.integer(env, 0)
	if err != nil {
		return nil, err
	}
	hi, err := c.integer(env, 1)
	if err != nil {
		return nil, err
	}
	if lo > hi {
		return nil, c.fail("the start %d is greater than the end %d", lo, hi)
	}
	span := uint64(hi - lo)
	if len(c.args) == 3 {
		seed, err := c.integer(env, 2)
		if err != nil {
			return nil, err
		}
		// A seed gives the same number every time, as Java's Random(seed) would.
		r := newJavaRandom(seed)
		return lo + r.int63n(int64(span)+1), nil
	}
	if span == math.MaxUint64 {
		return int64(rand.Uint64()), nil
	}
	return lo + int64(rand.Uint64N(span+1)), nil
}
