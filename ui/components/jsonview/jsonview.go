// Package jsonview shows JSON from execution data: pretty-printed when it parses,
// as it is otherwise, always sanitized so that no escape sequence reaches the terminal.
package jsonview

import (
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
	"github.com/stepdeck/stepdeck/ui/common"
)

// Pretty returns text indented when it is JSON, or the text itself when it is not
// (a cause is often plain prose). The result is sanitized, newlines kept.
func Pretty(text string) string {
	if v, err := value.ParseString(text); err == nil {
		text = value.Indent(v)
	}
	return common.Sanitize(strings.TrimRight(text, "\n"), true)
}

// Block renders a titled block: the label on its own line, then the pretty value
// indented by two spaces, each line cut to width.
func Block(label, text string, width int) string {
	var b strings.Builder
	b.WriteString(label)
	b.WriteString(":")
	for _, l := range strings.Split(Pretty(text), "\n") {
		b.WriteString("\n")
		b.WriteString(common.Truncate("  "+l, width))
	}
	return b.String()
}

// Valid reports whether text is one JSON value, with the parser's message when not,
// so an editor can say what is wrong before anything is sent.
func Valid(text string) error {
	_, err := value.ParseString(text)
	return err
}
