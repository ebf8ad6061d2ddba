package conformance

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// replacer collects text substitutions during normalization. The recording tool does not
// apply "reference" and regex substitutions in place: it applies them in registration
// order to the JSON text of the whole snapshot at the end. Doing the same keeps
// placeholder numbering and overlapping substitutions identical to the recordings.
type replacer struct {
	subs     []substitution
	counters map[string]int
	seen     map[string]bool
}

type substitution struct {
	literal string // replaced verbatim when re is nil
	re      *regexp.Regexp
	// mayMatch, when set, is a cheap test that is false for texts re cannot match.
	mayMatch func(string) bool
	with     []templatePart
	to       string
}

func newReplacer() *replacer {
	return &replacer{counters: map[string]int{}, seen: map[string]bool{}}
}

// reference registers v to be replaced by "<name:N>", N counting per name from 1. A value
// already registered keeps its first placeholder.
func (r *replacer) reference(v value.Value, name string) error {
	s, ok := v.(string)
	if !ok {
		return unsupported("reference replacement of a %s", value.KindOf(v))
	}
	// The text being searched is JSON, where a quote inside a string is escaped.
	s = strings.ReplaceAll(s, `"`, `\"`)
	if r.seen[s] {
		return nil
	}
	r.seen[s] = true
	if r.counters[name] == 0 {
		r.counters[name] = 1
	}
	n := r.counters[name]
	r.counters[name]++
	r.subs = append(r.subs, substitution{literal: s, to: fmt.Sprintf("<%s:%d>", name, n)})
	return nil
}

// regex registers a pattern substitution. The replacement follows Python's re.sub
// template rules, which is how the recorded cases were written.
func (r *replacer) regex(pattern, replacement string) error {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return unsupported("regex %q: %v", pattern, err)
	}
	if standsForValue(re, pattern) {
		with := parseTemplate(replacement)
		if len(with) == 1 && with[0].group < 0 {
			r.subs = append(r.subs, substitution{literal: pattern, to: with[0].text})
		}
	}
	r.compiled(re, replacement)
	return nil
}

// standsForValue reports whether a pattern is the text of a value that the regexp
// cannot match in full. The recorder built most of its patterns from values (names,
// URLs, ARNs), each of which matched itself; the corpus then renamed some of those
// values to the fixture that produced them, in the input and the pattern alike
// ("make_queue()"), and read as a regexp that text no longer matches itself ("()" is an
// empty group). Replacing the text as written first does what the recorder did to the
// value. A true pattern ("ID: [a-z]+") does not occur as text, so this changes nothing
// for it.
func standsForValue(re *regexp.Regexp, pattern string) bool {
	return re.FindString(pattern) != pattern
}

func (r *replacer) compiled(re *regexp.Regexp, replacement string) {
	with := parseTemplate(replacement)
	// Most patterns are plain text (names, ARNs); replacing text is many times faster
	// than running the regexp engine over the whole snapshot, with the same result.
	if lit, complete := re.LiteralPrefix(); complete && lit != "" && len(with) == 1 && with[0].group < 0 {
		r.subs = append(r.subs, substitution{literal: lit, to: with[0].text})
		return
	}
	r.subs = append(r.subs, substitution{re: re, with: with})
}

func (r *replacer) apply(text string) string {
	for _, s := range r.subs {
		if s.re == nil {
			text = strings.ReplaceAll(text, s.literal, s.to)
			continue
		}
		if s.mayMatch == nil || s.mayMatch(text) {
			text = s.replaceAll(text)
		}
	}
	return text
}

func (s substitution) replaceAll(text string) string {
	if len(s.with) == 1 && s.with[0].group < 0 {
		return s.re.ReplaceAllLiteralString(text, s.with[0].text)
	}
	return s.re.ReplaceAllStringFunc(text, func(m string) string {
		groups := s.re.FindStringSubmatch(m)
		var b strings.Builder
		for _, p := range s.with {
			if p.group < 0 {
				b.WriteString(p.text)
			} else if p.group < len(groups) {
				b.WriteString(groups[p.group])
			}
		}
		return b.String()
	})
}

// templatePart is literal text (group < 0) or a reference to a capture group.
type templatePart struct {
	text  string
	group int
}

// parseTemplate reads a Python re.sub replacement: \1 and \g<1> refer to groups, the
// usual character escapes are decoded, and any other backslash is kept as written.
func parseTemplate(t string) []templatePart {
	var parts []templatePart
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, templatePart{text: lit.String(), group: -1})
			lit.Reset()
		}
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c != '\\' || i+1 == len(t) {
			lit.WriteByte(c)
			continue
		}
		n := t[i+1]
		switch {
		case n >= '0' && n <= '9':
			j := i + 2
			if j < len(t) && t[j] >= '0' && t[j] <= '9' {
				j++
			}
			g, _ := strconv.Atoi(t[i+1 : j])
			flush()
			parts = append(parts, templatePart{group: g})
			i = j - 1
		case n == 'g' && i+2 < len(t) && t[i+2] == '<':
			end := strings.IndexByte(t[i+3:], '>')
			g, err := strconv.Atoi(t[i+3 : i+3+max(end, 0)])
			if end < 0 || err != nil {
				lit.WriteByte(c) // named groups are not used by any recording
				continue
			}
			flush()
			parts = append(parts, templatePart{group: g})
			i += 3 + end
		default:
			if d, ok := templateEscapes[n]; ok {
				lit.WriteString(d)
			} else {
				lit.WriteByte(c)
				lit.WriteByte(n)
			}
			i++
		}
	}
	flush()
	if len(parts) == 0 {
		parts = []templatePart{{group: -1}}
	}
	return parts
}

var templateEscapes = map[byte]string{
	'\\': `\`, 'n': "\n", 't': "\t", 'r': "\r", 'a': "\a", 'b': "\b", 'f': "\f", 'v': "\v",
}
