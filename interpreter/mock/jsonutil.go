package mock

import (
	"sort"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// object checks that v is a JSON object; want says what the object should hold.
func object(p jsonPath, v value.Value, want string) (*value.Object, error) {
	obj, ok := v.(*value.Object)
	if !ok {
		return nil, errAt(p, "must be %s, not %s", want, kindName(v))
	}
	return obj, nil
}

// onlyKeys rejects unknown fields: a misspelt "MockedResponse" or "Returns" would
// otherwise be ignored in silence and the mock would not apply.
func onlyKeys(p jsonPath, obj *value.Object, allowed ...string) error {
	for i := range obj.Len() {
		k, _ := obj.At(i)
		ok := false
		for _, a := range allowed {
			if k == a {
				ok = true
				break
			}
		}
		if ok {
			continue
		}
		hint := ""
		for _, a := range allowed {
			if strings.EqualFold(strings.TrimSuffix(k, "s"), strings.TrimSuffix(a, "s")) {
				hint = " (did you mean " + value.String(a) + "?)"
				break
			}
		}
		sorted := append([]string(nil), allowed...)
		sort.Strings(sorted)
		return errAt(p.with(k), "unknown field%s; the fields here are %s", hint, strings.Join(sorted, ", "))
	}
	return nil
}

func kindName(v value.Value) string {
	switch k := value.KindOf(v); k {
	case value.KindNull:
		return "null"
	case value.KindArray, value.KindObject:
		return "an " + k.String()
	default:
		return "a " + k.String()
	}
}
