// Package configfile checks the JSON files a person writes for stepdeck (the mock
// file, the handlers file), so that every such file reports a mistake the same way:
// which file, the JSON path of the place to edit, and what is wrong there, such as
//
//	mock config: $.MockedResponses.R["0"].Returns: unknown field (did you mean "Return"?); the fields here are Return, Throw, WaitForCallback
//
// The checks say what a place must hold and what it holds instead; the file's own
// parser adds the rules only it knows.
package configfile

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Error is a problem in a config file.
type Error struct {
	File string // the kind of file, such as "mock config"
	Path string // such as $.MockedResponses.R["0-1"]; empty for the file as a whole
	Msg  string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.File + ": " + e.Msg
	}
	return e.File + ": " + e.Path + ": " + e.Msg
}

// Path is a place in a config file, written the way a person looks for it:
// $.handlers[0].env["A=B"]. It carries the file's kind so that an error made from it
// names the file.
type Path struct {
	file string
	at   string
}

// Root is the whole document of a file of the given kind ("mock config").
func Root(file string) Path { return Path{file: file, at: "$"} }

// Key is the member k of the object at p.
func (p Path) Key(k string) Path {
	if isIdentifier(k) {
		return Path{p.file, p.at + "." + k}
	}
	return Path{p.file, p.at + "[" + value.String(k) + "]"}
}

// Index is the element i of the array at p.
func (p Path) Index(i int) Path { return Path{p.file, p.at + "[" + strconv.Itoa(i) + "]"} }

func (p Path) String() string { return p.at }

// Errorf is an error at p.
func (p Path) Errorf(format string, args ...any) *Error {
	return &Error{File: p.file, Path: p.at, Msg: fmt.Sprintf(format, args...)}
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case i > 0 && r >= '0' && r <= '9':
		default:
			return false
		}
	}
	return true
}

// Parse reads a file's JSON text; a syntax error names the line and column.
func Parse(file string, data []byte) (value.Value, error) {
	doc, err := value.Parse(data)
	if err == nil {
		return doc, nil
	}
	var se *value.SyntaxError
	if errors.As(err, &se) {
		line, col := se.Position(data)
		return nil, &Error{File: file, Msg: fmt.Sprintf("not valid JSON: line %d, column %d: %s", line, col, se.Msg)}
	}
	return nil, &Error{File: file, Msg: "not valid JSON: " + err.Error()}
}

// KindName names what v is for an error message: "an object", "a number", "null";
// an empty string or array is named apart, since an empty value is a usual slip and
// "must be a non-empty array, not an array" would say nothing.
func KindName(v value.Value) string {
	switch k := value.KindOf(v); k {
	case value.KindNull:
		return "null"
	case value.KindString:
		if v.(string) == "" {
			return "an empty string"
		}
		return "a string"
	case value.KindArray:
		if len(v.([]any)) == 0 {
			return "an empty array"
		}
		return "an array"
	case value.KindObject:
		return "an object"
	default:
		return "a " + k.String()
	}
}

// Object checks that v is a JSON object; want says what it should hold, as in
// `an object with "Error" and "Cause"`.
func Object(p Path, v value.Value, want string) (*value.Object, error) {
	obj, ok := v.(*value.Object)
	if !ok {
		return nil, p.Errorf("must be %s, not %s", want, KindName(v))
	}
	return obj, nil
}

// Array checks that v is a JSON array.
func Array(p Path, v value.Value, want string) ([]any, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, p.Errorf("must be %s, not %s", want, KindName(v))
	}
	return list, nil
}

// NonEmptyArray checks that v is a JSON array with at least one element.
func NonEmptyArray(p Path, v value.Value, want string) ([]any, error) {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return nil, p.Errorf("must be %s, not %s", want, KindName(v))
	}
	return list, nil
}

// String checks that v is a string.
func String(p Path, v value.Value, want string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", p.Errorf("must be %s, not %s", want, KindName(v))
	}
	return s, nil
}

// NonEmptyString checks that v is a string with something in it.
func NonEmptyString(p Path, v value.Value, want string) (string, error) {
	s, ok := v.(string)
	if !ok || s == "" {
		return "", p.Errorf("must be %s, not %s", want, KindName(v))
	}
	return s, nil
}

// Bool checks that v is true or false.
func Bool(p Path, v value.Value) (bool, error) {
	b, ok := v.(bool)
	if !ok {
		return false, p.Errorf("must be true or false, not %s", KindName(v))
	}
	return b, nil
}

// Int checks that v is a whole number from lo to hi; want names it, as in "a whole
// number of seconds". The error quotes v, since "not 1.5" says more than "not a number".
func Int(p Path, v value.Value, want string, lo, hi int64) (int64, error) {
	n, ok := value.ToInt(v)
	if !ok || !value.IsInteger(v) || n < lo || n > hi {
		return 0, p.Errorf("must be %s from %d to %d, not %s", want, lo, hi, value.String(v))
	}
	return n, nil
}

// Required is the member key of obj, or an error at p (the object) that it is missing.
func Required(p Path, obj *value.Object, key string) (value.Value, error) {
	v, ok := obj.Get(key)
	if !ok {
		return nil, p.Errorf("%q is missing", key)
	}
	return v, nil
}

// OnlyKeys rejects members of obj not in allowed: a misspelt field would otherwise be
// ignored in silence, and the file would not do what its author meant. The error lists
// the fields in the order given (the caller puts the important ones first) and
// suggests the one the author most likely meant (see suggest).
func OnlyKeys(p Path, obj *value.Object, allowed ...string) error {
	for i := range obj.Len() {
		k, _ := obj.At(i)
		known := false
		for _, a := range allowed {
			if k == a {
				known = true
				break
			}
		}
		if known {
			continue
		}
		hint := ""
		if s, ok := suggest(k, allowed); ok {
			hint = " (did you mean " + value.String(s) + "?)"
		}
		return p.Key(k).Errorf("unknown field%s; the fields here are %s", hint, strings.Join(allowed, ", "))
	}
	return nil
}

// maxSuggestEdits is how far, in single-character edits ignoring case, a name may be
// from the field it is taken for: enough for a plural ("Returns"), a slip of one key
// or two swapped letters ("Reutrn"), few enough that unrelated short names stay apart.
const maxSuggestEdits = 2

// suggest picks the allowed field k most likely stands for: the nearest within
// maxSuggestEdits ignoring case, else the one k begins ("timeout" for
// "timeoutSeconds"), when k is long enough to say so. Ties go to the first listed.
func suggest(k string, allowed []string) (string, bool) {
	lk := strings.ToLower(k)
	best, bestDist := "", maxSuggestEdits+1
	for _, a := range allowed {
		if d := editDistance(lk, strings.ToLower(a), maxSuggestEdits); d < bestDist {
			best, bestDist = a, d
		}
	}
	if best != "" {
		return best, true
	}
	const minPrefix = 4
	if len(lk) >= minPrefix {
		for _, a := range allowed {
			if strings.HasPrefix(strings.ToLower(a), lk) {
				return a, true
			}
		}
	}
	return "", false
}

// editDistance is the Levenshtein distance of a and b over runes, counting an adjacent
// swap as two edits; anything above limit is reported as limit+1 without the full
// computation, so a long key costs little.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return min(prev[len(rb)], limit+1)
}
