package localtask

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// jsonPath names the place in the handlers file an error is about.
type jsonPath string

func (p jsonPath) key(k string) jsonPath {
	for i, r := range k {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return jsonPath(string(p) + "[" + value.String(k) + "]")
		}
	}
	if k == "" {
		return jsonPath(string(p) + `[""]`)
	}
	return jsonPath(string(p) + "." + k)
}
func (p jsonPath) index(i int) jsonPath { return jsonPath(string(p) + "[" + strconv.Itoa(i) + "]") }

// FileError is a problem in a handlers file, with the JSON path of the place to fix.
type FileError struct {
	Path string
	Msg  string
}

func (e *FileError) Error() string {
	if e.Path == "" {
		return "handlers file: " + e.Msg
	}
	return "handlers file: " + e.Path + ": " + e.Msg
}

func errAt(p jsonPath, format string, args ...any) *FileError {
	return &FileError{Path: string(p), Msg: fmt.Sprintf(format, args...)}
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

func onlyKeys(p jsonPath, obj *value.Object, allowed ...string) error {
	for i := range obj.Len() {
		k, _ := obj.At(i)
		found := false
		for _, a := range allowed {
			found = found || a == k
		}
		if !found {
			hint := ""
			for _, a := range allowed {
				if strings.EqualFold(k, a) {
					hint = fmt.Sprintf(" (did you mean %q?)", a)
				}
			}
			return errAt(p.key(k), "unknown field%s; the fields here are %s", hint, strings.Join(allowed, ", "))
		}
	}
	return nil
}
