package picture

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A tiny reader for the shapes of reference-suite expressions that exercise this package
// alone: calls of its functions on literals, products of number literals, "~>" chains,
// "=" comparisons and "($v := e; e)" blocks. Anything else is errUnsupported and the case
// is skipped.

var errUnsupported = errors.New("expression shape not handled by the test reader")

// undefined is JSONata's "no value", which a parse function yields for ErrNoMatch.
type undefined struct{}

type reader struct {
	s    string
	i    int
	vars map[string]any
	call func(fn string, args []any) (any, error)
}

func evalExpr(expr string, call func(fn string, args []any) (any, error)) (any, error) {
	r := &reader{s: expr, vars: map[string]any{}, call: call}
	v, err := r.expr()
	if err != nil {
		return nil, err
	}
	if !r.done() {
		return nil, errUnsupported
	}
	return v, nil
}

func (r *reader) expr() (any, error) {
	left, err := r.chain()
	if err != nil || !r.eat("=") {
		return left, err
	}
	right, err := r.chain()
	if err != nil {
		return nil, err
	}
	return left == right, nil
}

func (r *reader) chain() (any, error) {
	v, err := r.term()
	for err == nil && r.eat("~>") {
		fn, ok := r.funcName()
		if !ok || !r.eat("(") {
			return nil, errUnsupported
		}
		var args []any
		if args, err = r.args(); err != nil {
			return nil, err
		}
		v, err = r.apply(fn, append([]any{v}, args...))
	}
	return v, err
}

func (r *reader) term() (any, error) {
	r.skip()
	if r.i >= len(r.s) {
		return nil, errUnsupported
	}
	switch c := r.s[r.i]; {
	case c == '"' || c == '\'':
		s, ok := r.str()
		if !ok {
			return nil, errUnsupported
		}
		return s, nil
	case c == '{':
		return r.object()
	case c == '(':
		r.i++
		name, ok := r.funcName()
		if !ok || !r.eat(":=") {
			return nil, errUnsupported
		}
		v, err := r.expr()
		if err != nil {
			return nil, err
		}
		r.vars[name] = v
		if !r.eat(";") {
			return nil, errUnsupported
		}
		v, err = r.expr()
		if err != nil || !r.eat(")") {
			return nil, errors.Join(err, errUnsupported)
		}
		return v, nil
	case c == '$':
		name, _ := r.funcName()
		if !r.eat("(") {
			v, ok := r.vars[name]
			if !ok {
				return nil, errUnsupported
			}
			return v, nil
		}
		args, err := r.args()
		if err != nil {
			return nil, err
		}
		return r.apply(name, args)
	default:
		return r.product()
	}
}

func (r *reader) apply(fn string, args []any) (any, error) {
	for _, a := range args {
		if _, ok := a.(undefined); ok {
			return nil, errUnsupported
		}
	}
	v, err := r.call(fn, args)
	if errors.Is(err, ErrNoMatch) {
		return undefined{}, nil
	}
	return v, err
}

func (r *reader) args() ([]any, error) {
	var args []any
	if r.eat(")") {
		return args, nil
	}
	for {
		v, err := r.expr()
		if err != nil {
			return nil, err
		}
		args = append(args, v)
		if r.eat(")") {
			return args, nil
		}
		if !r.eat(",") {
			return nil, errUnsupported
		}
	}
}

func (r *reader) funcName() (string, bool) {
	if !r.eat("$") {
		return "", false
	}
	start := r.i
	for r.i < len(r.s) && isIdent(r.s[r.i]) {
		r.i++
	}
	return r.s[start:r.i], r.i > start
}

func (r *reader) product() (any, error) {
	v, ok := r.number()
	if !ok {
		return nil, errUnsupported
	}
	for r.eat("*") {
		paren := r.eat("(")
		w, ok := r.number()
		if !ok || paren && !r.eat(")") {
			return nil, errUnsupported
		}
		v *= w
	}
	return v, nil
}

func (r *reader) number() (float64, bool) {
	r.skip()
	start := r.i
	if r.i < len(r.s) && r.s[r.i] == '-' {
		r.i++
	}
	for r.i < len(r.s) && strings.IndexByte("0123456789.eE+-", r.s[r.i]) >= 0 {
		if (r.s[r.i] == '+' || r.s[r.i] == '-') && r.s[r.i-1] != 'e' && r.s[r.i-1] != 'E' {
			break
		}
		r.i++
	}
	f, err := strconv.ParseFloat(r.s[start:r.i], 64)
	return f, err == nil
}

func (r *reader) object() (any, error) {
	r.i++
	m := map[string]string{}
	if r.eat("}") {
		return m, nil
	}
	for {
		r.skip()
		k, ok := r.str()
		if !ok || !r.eat(":") {
			return nil, errUnsupported
		}
		r.skip()
		v, ok := r.str()
		if !ok {
			return nil, errUnsupported
		}
		m[k] = v
		if r.eat("}") {
			return m, nil
		}
		if !r.eat(",") {
			return nil, errUnsupported
		}
	}
}

func isIdent(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

func (r *reader) skip() {
	for r.i < len(r.s) && strings.IndexByte(" \t\r\n", r.s[r.i]) >= 0 {
		r.i++
	}
}

func (r *reader) eat(tok string) bool {
	r.skip()
	if strings.HasPrefix(r.s[r.i:], tok) {
		r.i += len(tok)
		return true
	}
	return false
}

func (r *reader) done() bool { r.skip(); return r.i == len(r.s) }

// str reads a JSONata string literal, whose escapes are JSON's.
func (r *reader) str() (string, bool) {
	if r.i >= len(r.s) {
		return "", false
	}
	q := r.s[r.i]
	if q != '"' && q != '\'' {
		return "", false
	}
	r.i++
	var b strings.Builder
	for r.i < len(r.s) {
		c := r.s[r.i]
		switch {
		case c == q:
			r.i++
			return b.String(), true
		case c == '\\' && r.i+1 < len(r.s):
			e := r.s[r.i+1]
			r.i += 2
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'u':
				if r.i+4 > len(r.s) {
					return "", false
				}
				n, err := strconv.ParseUint(r.s[r.i:r.i+4], 16, 32)
				if err != nil {
					return "", false
				}
				b.WriteRune(rune(n))
				r.i += 4
			default:
				b.WriteByte(e)
			}
		default:
			ch, size := utf8.DecodeRuneInString(r.s[r.i:])
			b.WriteRune(ch)
			r.i += size
		}
	}
	return "", false
}
