package jsonata

import (
	"github.com/stepdeck/stepdeck/interpreter/value"
	"strings"
)

// signature is a parsed function signature such as <s-nn?:s>. Arguments are matched
// against it before a call: missing context arguments are filled in, single values are
// wrapped where an array is wanted, and a mismatch is reported by argument number.
type signature struct {
	text   string
	params []sigParam
}

type sigParam struct {
	types    string // allowed value symbols (b n s l a o f)
	sub      string // element symbols of a typed array, a<n>
	optional bool   // ?
	variadic bool   // +
	context  bool   // - : the context value stands in when the argument is absent
}

func parseSignature(text string) (*signature, error) {
	sig := &signature{text: text}
	if len(text) < 2 || text[0] != '<' || text[len(text)-1] != '>' {
		return nil, &Error{Code: "S0401", Message: "malformed signature " + text}
	}
	body := text[1 : len(text)-1]
	if i := topLevelColon(body); i >= 0 {
		body = body[:i]
	}
	for i := 0; i < len(body); {
		c := body[i]
		var p sigParam
		switch c {
		case 'b', 'n', 's', 'l', 'o':
			p.types = string(c)
			i++
		case 'a':
			p.types = "a"
			i++
		case 'f':
			p.types = "f"
			i++
		case 'j':
			p.types = "bnslao"
			i++
		case 'x':
			p.types = "bnslaof"
			i++
		case 'u':
			p.types = "bnsl"
			i++
		case '(':
			end := strings.IndexByte(body[i:], ')')
			if end < 0 {
				return nil, &Error{Code: "S0401", Message: "unterminated choice group in signature " + text}
			}
			inner := body[i+1 : i+end]
			if strings.Contains(inner, "<") {
				return nil, &Error{Code: "S0402", Message: messages["S0402"]}
			}
			for _, t := range inner {
				p.types += expandType(byte(t))
			}
			i += end + 1
		default:
			return nil, &Error{Code: "S0401", Message: "unknown type '" + string(c) + "' in signature " + text}
		}
		if i < len(body) && body[i] == '<' {
			if p.types != "a" && p.types != "f" {
				return nil, &Error{Code: "S0401", Message: messages["S0401"]}
			}
			end := matchAngle(body, i)
			if end < 0 {
				return nil, &Error{Code: "S0401", Message: "unterminated type parameter in signature " + text}
			}
			if p.types == "a" {
				for _, t := range body[i+1 : end] {
					p.sub += expandType(byte(t))
				}
			}
			i = end + 1
		}
	mods:
		for i < len(body) {
			switch body[i] {
			case '?':
				p.optional = true
			case '+':
				p.variadic = true
			case '-':
				p.context = true
			default:
				break mods
			}
			i++
		}
		sig.params = append(sig.params, p)
	}
	return sig, nil
}

func expandType(c byte) string {
	switch c {
	case 'j':
		return "bnslao"
	case 'x':
		return "bnslaof"
	case 'u':
		return "bnsl"
	}
	return string(c)
}

func topLevelColon(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<', '(':
			depth++
		case '>', ')':
			depth--
		case ':':
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func matchAngle(s string, i int) int {
	depth := 0
	for ; i < len(s); i++ {
		switch s[i] {
		case '<':
			depth++
		case '>':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func symbolOf(v any) byte {
	switch v.(type) {
	case undefinedType:
		return 'm'
	case nil:
		return 'l'
	case bool:
		return 'b'
	case float64, int64:
		return 'n'
	case string:
		return 's'
	case []any, consArr, *seq:
		return 'a'
	case *value.Object:
		return 'o'
	}
	if isFunction(v) {
		return 'f'
	}
	return 'o'
}

func (p *sigParam) accepts(sym byte) bool {
	if sym == 'm' {
		return true
	}
	if strings.IndexByte(p.types, 'a') >= 0 {
		// Any value may stand for a singleton array, except where the choice says otherwise.
		return true
	}
	return strings.IndexByte(p.types, sym) >= 0
}

// validate matches args against the signature and returns the arguments the function
// receives.
func (s *signature) validate(args []any, ctx any, name string, pos int) ([]any, error) {
	var symBuf [8]byte
	var countBuf [8]int
	syms := symBuf[:0]
	for _, a := range args {
		syms = append(syms, symbolOf(a))
	}
	counts := countBuf[:0]
	for range s.params {
		counts = append(counts, 0)
	}
	if !s.match(syms, 0, 0, counts, false) {
		bad := len(args) + 1
		for k := 1; k <= len(args); k++ {
			if !s.match(syms[:k], 0, 0, make([]int, len(s.params)), true) {
				bad = k
				break
			}
		}
		return nil, newError("T0410", pos, name, float64(bad))
	}
	if s.passThrough(args, counts) {
		return args, nil
	}
	out := make([]any, 0, len(args)+1)
	ai := 0
	for pi := range s.params {
		p := &s.params[pi]
		n := counts[pi]
		if n == 0 {
			if p.context {
				if !p.accepts(symbolOf(ctx)) {
					return nil, newError("T0411", pos, name, float64(ai+1))
				}
				v, err := p.coerce(ctx, ai+1, name, pos)
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			}
			continue
		}
		for k := 0; k < n; k++ {
			v, err := p.coerce(args[ai], ai+1, name, pos)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
			ai++
		}
	}
	return out, nil
}

func (s *signature) match(syms []byte, pi, ai int, counts []int, prefix bool) bool {
	if ai == len(syms) {
		if prefix {
			return true
		}
		for ; pi < len(s.params); pi++ {
			if p := s.params[pi]; !(p.optional || p.context) {
				return false
			}
			counts[pi] = 0
		}
		return true
	}
	if pi == len(s.params) {
		return false
	}
	p := &s.params[pi]
	if p.variadic {
		n := 0
		for ai+n < len(syms) && p.accepts(syms[ai+n]) {
			n++
		}
		for ; n >= 1; n-- {
			counts[pi] = n
			if s.match(syms, pi+1, ai+n, counts, prefix) {
				return true
			}
		}
		if p.optional {
			counts[pi] = 0
			return s.match(syms, pi+1, ai, counts, prefix)
		}
		return false
	}
	if p.accepts(syms[ai]) {
		counts[pi] = 1
		if s.match(syms, pi+1, ai+1, counts, prefix) {
			return true
		}
	}
	if p.optional || p.context {
		counts[pi] = 0
		return s.match(syms, pi+1, ai, counts, prefix)
	}
	return false
}

// coerce wraps a single value into an array where the parameter is an array and checks
// the element types of typed arrays.
func (p *sigParam) coerce(v any, argNo int, name string, pos int) (any, error) {
	if isUndefined(v) {
		return v, nil
	}
	if p.types != "a" {
		return v, nil
	}
	items, ok := arrayItems(v)
	if !ok {
		items = []any{v}
		v = items
	}
	if p.sub != "" {
		for _, it := range items {
			sym := symbolOf(it)
			if strings.IndexByte(p.sub, sym) < 0 {
				e := newError("T0412", pos, name, float64(argNo))
				e.Value2 = typeWord(p.sub)
				e.Message = e.render()
				return nil, e
			}
		}
	}
	return v, nil
}

func typeWord(sub string) string {
	words := map[byte]string{'b': "booleans", 'n': "numbers", 's': "strings", 'l': "nulls", 'a': "arrays", 'o': "objects", 'f': "functions"}
	var parts []string
	for i := 0; i < len(sub); i++ {
		parts = append(parts, words[sub[i]])
	}
	return strings.Join(parts, " or ")
}

// passThrough reports that the arguments need no change: each parameter took its own
// argument and none needs wrapping or the context.
func (s *signature) passThrough(args []any, counts []int) bool {
	if len(args) != len(s.params) {
		return false
	}
	for i := range s.params {
		p := &s.params[i]
		if counts[i] != 1 {
			return false
		}
		if p.types == "a" && !isUndefined(args[i]) {
			items, ok := arrayItems(args[i])
			if !ok {
				return false
			}
			if p.sub != "" {
				for _, it := range items {
					if strings.IndexByte(p.sub, symbolOf(it)) < 0 {
						return false
					}
				}
			}
		}
	}
	return true
}
