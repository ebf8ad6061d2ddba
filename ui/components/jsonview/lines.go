package jsonview

import (
	"strconv"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
	"github.com/stepdeck/stepdeck/ui/common"
)

// Section is one labelled value of a pane: pretty JSON, foldable, when Text parses as
// JSON; the text as it is (a cause is often prose) otherwise.
type Section struct {
	Label string
	Text  string
}

// line is one line of the fully unfolded content. Lines that open a non-empty object or
// array know where they close, which is what folding skips to.
type line struct {
	depth int    // indentation steps of two cells
	text  string // sanitized: key and value, bracket, or plain text
	comma bool   // a comma follows (dropped when the line is folded)
	close int    // for an opening line, the index of its closing line; else -1
	open  int    // for a closing line, the index of its opening line; else -1
	count int    // members of the container an opening line starts
	array bool   // the container is an array
	level int    // nesting level within its section's value: the value itself is 0
}

// flatten lays out the header and sections as lines, every container unfolded.
func flatten(header []string, sections []Section) []line {
	var out []line
	plain := func(depth int, s string) {
		for _, l := range strings.Split(s, "\n") {
			out = append(out, line{depth: depth, text: common.Sanitize(l, false), close: -1, open: -1})
		}
	}
	for _, h := range header {
		plain(0, h)
	}
	for _, s := range sections {
		plain(0, s.Label+":")
		v, err := value.ParseString(s.Text)
		if err != nil {
			plain(1, strings.TrimRight(s.Text, "\n"))
			continue
		}
		out = appendValue(out, v, "", 1, 0, false)
	}
	return out
}

// appendValue adds the lines of v at depth, prefix being its key ("" in arrays and at
// the top) and comma whether a member follows it.
func appendValue(out []line, v value.Value, prefix string, depth, level int, comma bool) []line {
	switch x := v.(type) {
	case *value.Object:
		if x.Len() == 0 {
			break
		}
		at := len(out)
		out = append(out, line{depth: depth, text: prefix + "{", close: -1, open: -1, count: x.Len(), level: level})
		for i := 0; i < x.Len(); i++ {
			k, kv := x.At(i)
			key := common.Sanitize(string(value.AppendString(nil, k)), false) + ": "
			out = appendValue(out, kv, key, depth+1, level+1, i < x.Len()-1)
		}
		return closeAt(out, at, depth, "}", comma)
	case []any:
		if len(x) == 0 {
			break
		}
		at := len(out)
		out = append(out, line{depth: depth, text: prefix + "[", close: -1, open: -1, count: len(x), array: true, level: level})
		for i, e := range x {
			out = appendValue(out, e, "", depth+1, level+1, i < len(x)-1)
		}
		return closeAt(out, at, depth, "]", comma)
	}
	text := common.Sanitize(string(value.AppendJSON(nil, v)), false)
	return append(out, line{depth: depth, text: prefix + text, comma: comma, close: -1, open: -1, level: level})
}

func closeAt(out []line, at, depth int, bracket string, comma bool) []line {
	out[at].close = len(out)
	return append(out, line{depth: depth, text: bracket, comma: comma, close: -1, open: at})
}

// foldedText is an opening line shown folded: `"key": {…} 12 keys`.
func (l *line) foldedText() string {
	unit := " keys"
	if l.array {
		unit = " items"
	}
	if l.count == 1 {
		unit = unit[:len(unit)-1]
	}
	if l.array {
		return l.text[:len(l.text)-1] + "[…] " + strconv.Itoa(l.count) + unit
	}
	return l.text[:len(l.text)-1] + "{…} " + strconv.Itoa(l.count) + unit
}

// render is the line as shown, folded or not.
func (l *line) render(folded bool) string {
	s := strings.Repeat("  ", l.depth)
	if folded {
		return s + l.foldedText()
	}
	s += l.text
	if l.comma {
		s += ","
	}
	return s
}
