package jsonata

import (
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

var decimalNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$`)

func numFn(f func(float64) (any, error)) fnImpl {
	return func(c callCtx, a []any) (any, error) {
		x, ok := toNumber(arg(a, 0))
		if !ok {
			return undefined, nil
		}
		r, err := f(x)
		if e, ok := err.(*Error); ok && e.Position == 0 {
			e.Position = c.pos
		}
		return r, err
	}
}

func defineNumericFunctions() {
	def("number", "<(nsb)-:n>", func(c callCtx, a []any) (any, error) {
		switch x := arg(a, 0).(type) {
		case undefinedType:
			return undefined, nil
		case float64, int64:
			return x, nil
		case bool:
			if x {
				return 1.0, nil
			}
			return 0.0, nil
		case string:
			if decimalNumber.MatchString(x) {
				if f, err := strconv.ParseFloat(x, 64); err == nil && !math.IsInf(f, 0) {
					return f, nil
				}
			}
			if len(x) > 2 && x[0] == '0' {
				base := 0
				switch x[1] {
				case 'x', 'X':
					base = 16
				case 'o', 'O':
					base = 8
				case 'b', 'B':
					base = 2
				}
				if base != 0 {
					if n, err := strconv.ParseUint(x[2:], base, 64); err == nil {
						return float64(n), nil
					}
				}
			}
		}
		return nil, newError("D3030", c.pos, "", arg(a, 0))
	})
	def("abs", "<n-:n>", numFn(func(x float64) (any, error) { return math.Abs(x), nil }))
	def("floor", "<n-:n>", numFn(func(x float64) (any, error) { return math.Floor(x), nil }))
	def("ceil", "<n-:n>", numFn(func(x float64) (any, error) { return math.Ceil(x), nil }))
	def("sqrt", "<n-:n>", numFn(func(x float64) (any, error) {
		if x < 0 {
			return nil, newError("D3060", 0, "", x)
		}
		return math.Sqrt(x), nil
	}))
	def("round", "<n-n?:n>", func(c callCtx, a []any) (any, error) {
		x, ok := toNumber(arg(a, 0))
		if !ok {
			return undefined, nil
		}
		p, _ := toNumber(arg(a, 1))
		return roundHalfEven(x, int(p)), nil
	})
	def("power", "<n-n:n>", func(c callCtx, a []any) (any, error) {
		x, ok := toNumber(arg(a, 0))
		if !ok {
			return undefined, nil
		}
		y, ok := toNumber(arg(a, 1))
		if !ok {
			return undefined, nil
		}
		r := math.Pow(x, y)
		if math.IsInf(r, 0) || math.IsNaN(r) {
			e := newError("D3061", c.pos, "", x)
			e.Value2 = y
			e.Message = e.render()
			return nil, e
		}
		return r, nil
	})
	def("random", "<:n>", func(c callCtx, a []any) (any, error) { return c.ev.random(), nil })
	def("formatBase", "<n-n?:s>", func(c callCtx, a []any) (any, error) {
		x, ok := toNumber(arg(a, 0))
		if !ok {
			return undefined, nil
		}
		x = roundHalfEven(x, 0)
		radix := 10.0
		if r, ok := toNumber(arg(a, 1)); ok {
			radix = r
		}
		if radix < 2 || radix > 36 {
			return nil, newError("D3100", c.pos, "", radix)
		}
		return formatRadix(x, int(radix)), nil
	})
	def("formatNumber", "<n-so?:s>", func(c callCtx, a []any) (any, error) {
		x, ok := toNumber(arg(a, 0))
		if !ok {
			return undefined, nil
		}
		pic, _ := arg(a, 1).(string)
		var opts map[string]string
		if o, ok := arg(a, 2).(*value.Object); ok {
			opts = map[string]string{}
			for i := 0; i < o.Len(); i++ {
				k, v := o.At(i)
				if s, ok := v.(string); ok {
					opts[k] = s
				}
			}
		}
		return pictureResult(formatNumberPicture(x, pic, opts))
	})
	def("formatInteger", "<n-s:s>", func(c callCtx, a []any) (any, error) {
		x, ok := toNumber(arg(a, 0))
		if !ok {
			return undefined, nil
		}
		pic, _ := arg(a, 1).(string)
		return pictureResult(formatIntegerPicture(x, pic))
	})
	def("parseInteger", "<s-s:n>", func(c callCtx, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return undefined, nil
		}
		pic, _ := arg(a, 1).(string)
		f, err := parseIntegerPicture(s, pic)
		if noMatch(err) {
			return undefined, nil
		}
		if err != nil {
			return nil, pictureError(err)
		}
		return f, nil
	})
}

func (ev *evaluator) random() float64 {
	if ev.rand != nil {
		return ev.rand()
	}
	return rand.Float64()
}

// roundHalfEven is $round: half-way values go to the even neighbour. The decimal shift
// is done on the decimal text, as the reference does, so 2.675 stays 2.675 and not
// 2.67499999.
func roundHalfEven(x float64, precision int) float64 {
	if precision != 0 {
		x = shiftDecimal(x, precision)
	}
	r := math.Floor(x + 0.5)
	if math.Abs(r-x) == 0.5 && math.Mod(math.Abs(r), 2) == 1 {
		r--
	}
	if precision != 0 {
		r = shiftDecimal(r, -precision)
	}
	if r == 0 {
		return 0
	}
	return r
}

func shiftDecimal(x float64, by int) float64 {
	s := formatNumber(x)
	mant, exp, found := strings.Cut(s, "e")
	e := 0
	if found {
		e, _ = strconv.Atoi(exp)
	}
	f, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(e+by), 64)
	if err != nil {
		return x * math.Pow(10, float64(by))
	}
	return f
}

func formatRadix(x float64, radix int) string {
	neg := x < 0
	if neg {
		x = -x
	}
	var s string
	if x < 1<<63 {
		s = strconv.FormatUint(uint64(x), radix)
	} else {
		s = strconv.FormatFloat(x, 'f', 0, 64)
	}
	if neg && s != "0" {
		return "-" + s
	}
	return s
}

func pictureResult(s string, err error) (any, error) {
	if err != nil {
		return nil, pictureError(err)
	}
	return s, nil
}

// aggregate helpers

// sumOf adds the numbers of an array (or a lone number) without copying them.
func sumOf(v any) (float64, int, bool) {
	if isUndefined(v) {
		return 0, 0, false
	}
	if f, ok := toNumber(v); ok {
		return f, 1, true
	}
	items, _ := arrayItems(v)
	total := 0.0
	for _, e := range items {
		f, _ := toNumber(e)
		total += f
	}
	return total, len(items), true
}

func numbersOf(v any) ([]float64, bool) {
	if isUndefined(v) {
		return nil, false
	}
	items, ok := arrayItems(v)
	if !ok {
		items = []any{v}
	}
	out := make([]float64, 0, len(items))
	for _, e := range items {
		f, _ := toNumber(e)
		out = append(out, f)
	}
	return out, true
}
