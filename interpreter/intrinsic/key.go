package intrinsic

import (
	"math"
	"sort"
	"strconv"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// appendKey writes a text that two values share exactly when value.Equal holds for them:
// numbers by value (1 and 1.0 alike) and objects with their keys sorted. It lets
// ArrayUnique find duplicates with a map instead of comparing every pair.
func appendKey(buf []byte, v value.Value) []byte {
	switch x := v.(type) {
	case nil:
		return append(buf, 'n')
	case bool:
		if x {
			return append(buf, 't')
		}
		return append(buf, 'f')
	case int64:
		return strconv.AppendInt(append(buf, 'i'), x, 10)
	case float64:
		if x == math.Trunc(x) && x >= math.MinInt64 && x < math.MaxInt64 {
			return strconv.AppendInt(append(buf, 'i'), int64(x), 10)
		}
		return strconv.AppendFloat(append(buf, 'd'), x, 'g', -1, 64)
	case string:
		return value.AppendString(buf, x)
	case []any:
		buf = append(buf, '[')
		for _, e := range x {
			buf = appendKey(buf, e)
			buf = append(buf, ',')
		}
		return append(buf, ']')
	case *value.Object:
		keys := append([]string(nil), x.Keys()...) // Keys must not be reordered in place
		sort.Strings(keys)
		buf = append(buf, '{')
		for _, k := range keys {
			e, _ := x.Get(k)
			buf = value.AppendString(buf, k)
			buf = append(buf, ':')
			buf = appendKey(buf, e)
			buf = append(buf, ',')
		}
		return append(buf, '}')
	}
	return append(buf, 'n')
}
