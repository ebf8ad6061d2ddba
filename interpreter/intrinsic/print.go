package intrinsic

import (
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// String prints the call in canonical form: no space but one after each comma, numbers
// as AWS writes them, strings with their escapes as written. Parsing the result gives
// an equal call.
func (c *Call) String() string {
	if c == nil || c.fn == nil {
		return ""
	}
	var b strings.Builder
	c.write(&b)
	return b.String()
}

func (c *Call) write(b *strings.Builder) {
	b.WriteString(c.fn.name)
	b.WriteByte('(')
	for i := range c.args {
		if i > 0 {
			b.WriteString(", ")
		}
		a := &c.args[i]
		switch a.kind {
		case argString:
			b.WriteByte('\'')
			b.WriteString(a.raw)
			b.WriteByte('\'')
		case argPath:
			b.WriteString(a.path.String())
		case argCall:
			a.call.write(b)
		default:
			b.Write(value.Marshal(a.lit))
		}
	}
	b.WriteByte(')')
}
