package jsonata

// builtins are the reference's functions, by name without the $.
var builtins = map[string]*builtin{}

type fnImpl = func(c callCtx, args []any) (any, error)

func def(name, sig string, fn fnImpl) {
	s, err := parseSignature(sig)
	if err != nil {
		panic("jsonata: bad built-in signature for $" + name + ": " + err.Error())
	}
	builtins[name] = &builtin{name: name, sig: s, arity: mandatory(s), fn: fn}
}

// arg returns the i-th argument or undefined when absent.
func arg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return undefined
}

func init() {
	defineStringFunctions()
	defineNumericFunctions()
	defineArrayFunctions()
	defineObjectFunctions()
	defineHigherOrderFunctions()
	defineDateFunctions()
}

// mandatory counts the parameters before the first optional one: callbacks such as
// $map's pass a built-in only that many arguments, as the reference does.
func mandatory(s *signature) int {
	n := 0
	for _, p := range s.params {
		if p.optional {
			break
		}
		n++
	}
	return n
}
