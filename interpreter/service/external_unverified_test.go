package service

import (
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/conformance"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// The recordings name members their recorder did not verify against AWS
// ("$..SdkHttpMetadata", "$..cause", ...): the SDK's HTTP metadata of a real service
// call, a Lambda error's text (whose spacing depends on the function's runtime). A fake
// endpoint cannot reproduce them, so the members named by such "$..Name" paths are left
// out on both sides of the history and output comparisons, as interpreter/localtask's
// Lambda conformance test does. The result's error and cause are always compared.

// unverifiedNames lists the member names of the case's "$..Name" skip paths.
func unverifiedNames(c *conformance.Case) []string {
	var names []string
	for _, p := range c.Source.SkipVerifyPaths {
		if n, ok := strings.CutPrefix(p, "$.."); ok && !strings.ContainsAny(n, ".[*") {
			names = append(names, n)
		}
	}
	return names
}

// stripUnverified returns a copy of c whose recorded output and events lack the
// unverified members.
func stripUnverified(c *conformance.Case) *conformance.Case {
	names := unverifiedNames(c)
	if len(names) == 0 || c.Expected == nil {
		return c
	}
	cc, exp := *c, *c.Expected
	if len(exp.Output) > 0 {
		exp.Output = withoutMembers(exp.Output, names)
	}
	if len(exp.Events) > 0 {
		exp.Events = withoutMembers(exp.Events, names)
	}
	cc.Expected = &exp
	return &cc
}

// withoutMembers removes the named members anywhere in a JSON text, also inside
// strings that hold JSON objects (event details carry outputs as text).
func withoutMembers(text []byte, names []string) []byte {
	if len(names) == 0 {
		return text
	}
	v, err := value.Parse(text)
	if err != nil {
		return text
	}
	return value.Marshal(dropMembers(v, names))
}

func dropMembers(v value.Value, names []string) value.Value {
	switch x := v.(type) {
	case string:
		if strings.HasPrefix(x, "{") {
			if inner, err := value.ParseString(x); err == nil {
				return value.String(dropMembers(inner, names))
			}
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = dropMembers(e, names)
		}
		return out
	case *value.Object:
		out := value.NewObject(x.Len())
		for i := range x.Len() {
			k, e := x.At(i)
			drop := false
			for _, n := range names {
				drop = drop || k == n
			}
			if !drop {
				out.Set(k, dropMembers(e, names))
			}
		}
		return out
	}
	return v
}
