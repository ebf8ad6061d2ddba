package intrinsic

import (
	"errors"
	"strconv"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// checkFormat splits a literal template at parse time: only the source tells a
// placeholder {} from the escaped \{\}.
func checkFormat(c *Call) (int, error) {
	if a := &c.args[0]; a.kind == argString {
		c.format = splitEscaped(a.raw)
	} else if a.kind == argLiteral {
		return a.pos, errors.New("the first argument of States.Format must be a string template")
	}
	return 0, nil
}

// splitEscaped splits the raw body of a string literal at its unescaped {} pairs and
// decodes the escapes of the pieces.
func splitEscaped(raw string) []string {
	var parts []string
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		switch {
		case raw[i] == '\\' && i+1 < len(raw):
			i++
			b.WriteByte(raw[i])
		case raw[i] == '{' && i+1 < len(raw) && raw[i+1] == '}':
			parts = append(parts, b.String())
			b.Reset()
			i++
		default:
			b.WriteByte(raw[i])
		}
	}
	return append(parts, b.String())
}

func evalFormat(c *Call, env *jsonpath.Env) (value.Value, error) {
	parts := c.format
	if parts == nil {
		t, err := c.str(env, 0)
		if err != nil {
			return nil, err
		}
		parts = strings.Split(t, "{}")
	}
	if got, want := len(c.args)-1, len(parts)-1; got != want {
		return nil, c.fail("the template has %d placeholder(s) {} but %d value(s) follow it", want, got)
	}
	var buf []byte
	for i, p := range parts {
		buf = append(buf, p...)
		if i+1 < len(parts) {
			v, err := c.arg(env, i+1)
			if err != nil {
				return nil, err
			}
			buf = appendText(buf, v)
		}
	}
	return string(buf), nil
}

// appendText renders a value as States.Format inserts it: strings as they are, and
// containers as Java's Map and List print themselves ({a=1, b=[x, y]}), which is what AWS
// produces.
func appendText(buf []byte, v value.Value) []byte {
	switch x := v.(type) {
	case nil:
		return append(buf, "null"...)
	case string:
		return append(buf, x...)
	case bool:
		return strconv.AppendBool(buf, x)
	case int64:
		return strconv.AppendInt(buf, x, 10)
	case float64:
		return value.AppendFloat(buf, x)
	case []any:
		buf = append(buf, '[')
		for i, e := range x {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = appendText(buf, e)
		}
		return append(buf, ']')
	case *value.Object:
		buf = append(buf, '{')
		for i := 0; i < x.Len(); i++ {
			k, e := x.At(i)
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = append(buf, k...)
			buf = append(buf, '=')
			buf = appendText(buf, e)
		}
		return append(buf, '}')
	}
	return append(buf, "null"...)
}
