package intrinsic

import (
	"errors"
	"regexp"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

var errUnsupportedPath = errors.New("unsupported path")

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// evalTemplate evaluates a Parameters template. want is the recorded result at the same
// place: a random function's value is checked for its shape and then replaced by the
// recorded one, since AWS's recordings hide it behind a placeholder.
func evalTemplate(t value.Value, env *jsonpath.Env, want value.Value) (value.Value, error) {
	switch x := t.(type) {
	case *value.Object:
		out := value.NewObject(x.Len())
		for i := 0; i < x.Len(); i++ {
			k, e := x.At(i)
			name, isExpr := strings.CutSuffix(k, ".$")
			w := get(want, name)
			if !isExpr {
				v, err := evalTemplate(e, env, w)
				if err != nil {
					return nil, err
				}
				out.Set(k, v)
				continue
			}
			s, _ := e.(string)
			if !IsCall(s) {
				p, err := jsonpath.Compile(s)
				if err != nil {
					return nil, errUnsupportedPath
				}
				v, err := p.Eval(env)
				if err != nil {
					return nil, errUnsupportedPath
				}
				out.Set(name, v)
				continue
			}
			c, err := Parse(s)
			if err != nil {
				return nil, err
			}
			v, err := c.Eval(env)
			if err != nil {
				return nil, err
			}
			if v, err = checkRandomShape(c, v, w); err != nil {
				return nil, err
			}
			out.Set(name, v)
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		wa, _ := want.([]any)
		for i, e := range x {
			var w value.Value
			if i < len(wa) {
				w = wa[i]
			}
			v, err := evalTemplate(e, env, w)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	return t, nil
}

func checkRandomShape(c *Call, v, want value.Value) (value.Value, error) {
	switch c.Name() {
	case "States.UUID":
		if s, _ := v.(string); !uuidV4.MatchString(s) {
			return nil, errors.New("States.UUID gave " + value.String(v) + ", not a version 4 UUID")
		}
		return want, nil
	case "States.MathRandom":
		if _, ok := v.(int64); !ok {
			return nil, errors.New("States.MathRandom gave " + value.String(v) + ", not an integer")
		}
		return want, nil
	}
	return v, nil
}

var (
	isoTime = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:?(\d\d)?)`)
)

// normalizeText applies the case's recorded substitutions to a text, as the recordings
// had them applied.
func normalizeText(raw *value.Object, s string) string {
	trs, _ := get(raw, "normalization", "test_transformers").([]any)
	for _, tr := range trs {
		if getString(tr, "kind") != "regex" {
			continue
		}
		re, err := regexp.Compile(getString(tr, "regex"))
		if err != nil {
			continue
		}
		s = re.ReplaceAllLiteralString(s, getString(tr, "replacement"))
	}
	s = strings.ReplaceAll(s, "arn:aws:", "arn:<partition>:")
	s = strings.ReplaceAll(s, ":us-east-1:", ":<region>:")
	return s
}

// normalizeValue puts a computed output in the recorded form: substitutions applied,
// times replaced.
func normalizeValue(raw *value.Object, v value.Value) value.Value {
	text := normalizeText(raw, value.String(v))
	out, err := value.ParseString(text)
	if err != nil {
		return v
	}
	return parseObjectStrings(out)
}

// parseObjectStrings replaces times as the recordings do. Strings holding JSON stay
// strings: the recordings parse only the output text itself, not the values inside it.
func parseObjectStrings(v value.Value) value.Value {
	switch x := v.(type) {
	case *value.Object:
		out := value.NewObject(x.Len())
		for i := 0; i < x.Len(); i++ {
			k, e := x.At(i)
			out.Set(k, parseObjectStrings(e))
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = parseObjectStrings(e)
		}
		return out
	case string:
		if isoTime.MatchString(x) {
			return "date"
		}
	}
	return v
}
