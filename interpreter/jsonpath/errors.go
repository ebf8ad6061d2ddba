package jsonpath

import (
	"fmt"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// NotFoundError says a definite path selected nothing.
type NotFoundError struct {
	Path string // the source text
	Msg  string // Jayway's message, e.g. "No results for path: $['x']"
}

func (e *NotFoundError) Error() string { return e.Msg }

// InvalidPathError is Jayway's InvalidPathException: the path cannot be applied to
// this document at all (a union of names in the middle of a path, a filter on a
// primitive). Unlike a NotFoundError it is raised for indefinite paths too.
type InvalidPathError struct {
	Path string
	Msg  string
}

func (e *InvalidPathError) Error() string { return e.Msg }

// UnknownVariableError says a $name path names a variable that is not set.
type UnknownVariableError struct {
	Path string
	Name string
}

func (e *UnknownVariableError) Error() string {
	return fmt.Sprintf("The variable '$%s' used in the path '%s' is not defined", e.Name, e.Path)
}

// SyntaxError is a path that does not compile. Offset is the byte offset in Src of
// the problem.
type SyntaxError struct {
	Src    string
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSONPath '%s': %s at offset %d", e.Src, e.Msg, e.Offset)
}

// Snippet shows the source with a caret under the offset, for terminals.
func (e *SyntaxError) Snippet() string {
	off := e.Offset
	if off > len(e.Src) {
		off = len(e.Src)
	}
	return e.Src + "\n" + strings.Repeat(" ", off) + "^"
}

// The texts below are Jayway's, as AWS prints them in causes.

const jacksonProvider = "com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider"

func noResults(src, normalized string) error {
	return &NotFoundError{Path: src, Msg: "No results for path: " + normalized}
}

func missingProperty(src, evalPath string) error {
	return &NotFoundError{Path: src, Msg: "Missing property in path " + evalPath}
}

func notAnObject(src, fragment, currentPath string, model value.Value) error {
	return &NotFoundError{Path: src, Msg: fmt.Sprintf(
		"Expected to find an object with property %s in path %s but found '%s'. This is not a json object according to the JsonProvider: '%s'.",
		fragment, currentPath, javaClass(model), jacksonProvider)}
}

func notAnArray(src, rest string, currentPath string, model value.Value) error {
	if model == nil {
		return &NotFoundError{Path: src, Msg: "The path " + currentPath + " is null"}
	}
	return &NotFoundError{Path: src, Msg: fmt.Sprintf(
		"Filter: %s can only be applied to arrays. Current context is: %s", rest, javaString(model))}
}

// javaClass names the class Jackson's provider hands Jayway for a value: scalars are
// unwrapped to java.lang types, containers stay Jackson nodes.
func javaClass(v value.Value) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "java.lang.Boolean"
	case int64:
		if x >= -1<<31 && x < 1<<31 {
			return "java.lang.Integer"
		}
		return "java.lang.Long"
	case float64:
		return "java.lang.Double"
	case string:
		return "java.lang.String"
	case []any:
		return "com.fasterxml.jackson.databind.node.ArrayNode"
	}
	return "com.fasterxml.jackson.databind.node.ObjectNode"
}

// javaString is what Java's toString prints for the unwrapped value.
func javaString(v value.Value) string {
	if s, ok := v.(string); ok {
		return s
	}
	return value.String(v)
}
