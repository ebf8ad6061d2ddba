package replay

import (
	"regexp"
	"sort"
	"strconv"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Field is one field that differs between the recorded and the replayed document.
type Field struct {
	Path string `json:"path"` // JSONPath of the field, e.g. $.order.lines[2].sku
	// Recorded and Replayed are the JSON texts of the field on each side; "" when that
	// side does not have it.
	Recorded string `json:"recorded"`
	Replayed string `json:"replayed"`
}

// maxFields bounds the fields reported for one document: past it the parent is reported
// whole.
const maxFields = 20

// diffJSON compares two JSON texts field by field. Texts that are not JSON compare as
// texts.
func diffJSON(recorded, replayed string) []Field {
	if recorded == replayed {
		return nil
	}
	a, err1 := value.ParseString(recorded)
	b, err2 := value.ParseString(replayed)
	if err1 != nil || err2 != nil {
		return []Field{{Path: "$", Recorded: recorded, Replayed: replayed}}
	}
	return diffValues("$", a, b, true, true)
}

// diffValues lists the leaves where a and b differ; has says whether each side has the
// field at all.
func diffValues(path string, a, b value.Value, hasA, hasB bool) []Field {
	if hasA && hasB && value.Equal(a, b) {
		return nil
	}
	whole := func() []Field {
		f := Field{Path: path}
		if hasA {
			f.Recorded = value.String(a)
		}
		if hasB {
			f.Replayed = value.String(b)
		}
		return []Field{f}
	}
	if !hasA || !hasB {
		return whole()
	}
	var out []Field
	switch x := a.(type) {
	case *value.Object:
		y, ok := b.(*value.Object)
		if !ok {
			return whole()
		}
		keys := x.Keys()
		for _, k := range y.Keys() {
			if !x.Has(k) {
				keys = append(keys, k)
			}
		}
		for _, k := range keys {
			va, okA := x.Get(k)
			vb, okB := y.Get(k)
			out = append(out, diffValues(path+member(k), va, vb, okA, okB)...)
		}
	case []any:
		y, ok := b.([]any)
		if !ok {
			return whole()
		}
		for i := 0; i < max(len(x), len(y)); i++ {
			var va, vb value.Value
			if i < len(x) {
				va = x[i]
			}
			if i < len(y) {
				vb = y[i]
			}
			out = append(out, diffValues(path+"["+strconv.Itoa(i)+"]", va, vb, i < len(x), i < len(y))...)
		}
	default:
		return whole()
	}
	if len(out) > maxFields {
		return whole()
	}
	return out
}

var plainName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// member is the JSONPath step to an object member.
func member(k string) string {
	if plainName.MatchString(k) {
		return "." + k
	}
	return "['" + k + "']"
}

// diffVariables compares two sets of assigned variables, each a name → JSON text map.
func diffVariables(recorded, replayed map[string]string) []Field {
	names := map[string]bool{}
	for k := range recorded {
		names[k] = true
	}
	for k := range replayed {
		names[k] = true
	}
	sorted := make([]string, 0, len(names))
	for k := range names {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var out []Field
	for _, k := range sorted {
		ra, okA := recorded[k]
		rb, okB := replayed[k]
		var a, b value.Value
		if okA {
			a = parseOrText(ra)
		}
		if okB {
			b = parseOrText(rb)
		}
		out = append(out, diffValues("$"+k, a, b, okA, okB)...)
	}
	return out
}

func parseOrText(s string) value.Value {
	if v, err := value.ParseString(s); err == nil {
		return v
	}
	return s
}

// subtract drops the fields of out that in already has, unchanged: a state that passes
// a difference on did not make it.
func subtract(out, in []Field) []Field {
	seen := map[Field]bool{}
	for _, f := range in {
		seen[f] = true
	}
	var kept []Field
	for _, f := range out {
		if !seen[f] {
			kept = append(kept, f)
		}
	}
	return kept
}
