package awsjson

import (
	"reflect"
	"unicode"
	"unicode/utf8"
)

// memberName is the JSON name of a struct field. The sfn model's member names are the Go
// names with the first letter lowered; exceptions (none today) would go in nameExceptions,
// keyed by "TypeName.FieldName", and names_test.go checks the rule against the SDK's code.
func memberName(typeName, field string) string {
	if n, ok := nameExceptions[typeName+"."+field]; ok {
		return n
	}
	r, size := utf8.DecodeRuneInString(field)
	return string(unicode.ToLower(r)) + field[size:]
}

var nameExceptions = map[string]string{}

// MemberName is the wire name of the Go field named field in struct type t, for packages
// that write some members by hand (history writes an event's header that way).
func MemberName(t reflect.Type, field string) string { return memberName(t.Name(), field) }
