package conformance

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Mismatch is the first place where a normalized value differs from the recording.
type Mismatch struct {
	Path string // JSONPath-like, from the compared value: $.a.b[2]
	// Want and Got are the values there; a side that lacks the member is marked missing.
	Want, Got               value.Value
	WantMissing, GotMissing bool
}

func (m *Mismatch) String() string {
	return fmt.Sprintf("at %s: got %s, want %s", m.Path, describe(m.Got, m.GotMissing), describe(m.Want, m.WantMissing))
}

func describe(v value.Value, missing bool) string {
	if missing {
		return "nothing (member absent)"
	}
	return clip(value.String(v), 200)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Diff returns the first difference between want (recorded) and got, or nil. Numbers
// compare by value (1 equals 1.0). A recorded text may hold placeholders: "<name:N>"
// matches "<name:M>" for any M, since the numbering only reflects the order in which
// values were first seen; and a recorded UUID placeholder ("<uuid:N>", or a word naming
// a generated uuid) matches any UUID, since UUIDs are random.
func Diff(want, got value.Value) *Mismatch {
	return diffAt("$", want, got, matchPlaceholders)
}

// textRule says how recorded texts match.
type textRule int

const (
	matchExact        textRule = iota // equal texts only
	matchRenumbered                   // and "<name:N>" matches "<name:M>"
	matchPlaceholders                 // and a uuid placeholder matches any UUID
)

// ExactDiff is Diff without placeholder matching: texts must be equal.
func ExactDiff(want, got value.Value) *Mismatch {
	return diffAt("$", want, got, matchExact)
}

func diffAt(path string, want, got value.Value, rule textRule) *Mismatch {
	switch w := want.(type) {
	case *value.Object:
		g, ok := got.(*value.Object)
		if !ok {
			break
		}
		for _, k := range unionKeys(w, g) {
			wv, wok := w.Get(k)
			gv, gok := g.Get(k)
			p := path + pathKey(k)
			if !wok || !gok {
				return &Mismatch{Path: p, Want: wv, Got: gv, WantMissing: !wok, GotMissing: !gok}
			}
			if m := diffAt(p, wv, gv, rule); m != nil {
				return m
			}
		}
		return nil
	case []any:
		g, ok := got.([]any)
		if !ok {
			break
		}
		for i := 0; i < len(w) || i < len(g); i++ {
			p := path + "[" + strconv.Itoa(i) + "]"
			if i >= len(g) {
				return &Mismatch{Path: p, Want: w[i], GotMissing: true}
			}
			if i >= len(w) {
				return &Mismatch{Path: p, Got: g[i], WantMissing: true}
			}
			if m := diffAt(p, w[i], g[i], rule); m != nil {
				return m
			}
		}
		return nil
	case string:
		if g, ok := got.(string); ok && textMatches(w, g, rule) {
			return nil
		}
		return &Mismatch{Path: path, Want: want, Got: got}
	}
	if value.Equal(want, got) {
		return nil
	}
	return &Mismatch{Path: path, Want: want, Got: got}
}

func unionKeys(a, b *value.Object) []string {
	keys := append([]string(nil), a.Keys()...)
	for _, k := range b.Keys() {
		if !a.Has(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func pathKey(k string) string {
	if plainKey.MatchString(k) {
		return "." + k
	}
	return "[" + strconv.Quote(k) + "]"
}

var (
	placeholder     = regexp.MustCompile(`<([A-Za-z0-9_\-]+):\d+>`)
	uuidWord        = regexp.MustCompile(`(?i)^[a-z_\-]*uuid[a-z_\-]*$`)
	uuidExact       = regexp.MustCompile(`^` + uuidPattern + `$`)
	uuidPlaceholder = regexp.MustCompile(`^<uuid:\d+>$`)
	patternCache    sync.Map // recorded text → *regexp.Regexp
)

func textMatches(want, got string, rule textRule) bool {
	if want == got || rule == matchExact {
		return want == got
	}
	if rule == matchPlaceholders && isUUIDPlaceholder(want) && (uuidExact.MatchString(got) || uuidPlaceholder.MatchString(got)) {
		return true
	}
	if !strings.Contains(want, "<") {
		return false
	}
	return placeholderPattern(want, rule == matchPlaceholders).MatchString(got)
}

func isUUIDPlaceholder(s string) bool {
	return uuidPlaceholder.MatchString(s) || (uuidWord.MatchString(s) && !uuidExact.MatchString(s))
}

// placeholderPattern turns a recorded text into a pattern in which each numbered
// placeholder accepts any number (and, if anyUUID, a uuid placeholder any UUID).
func placeholderPattern(want string, anyUUID bool) *regexp.Regexp {
	key := fmt.Sprint(anyUUID, want)
	if re, ok := patternCache.Load(key); ok {
		return re.(*regexp.Regexp)
	}
	var b strings.Builder
	b.WriteString("^")
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(want, -1) {
		b.WriteString(regexp.QuoteMeta(want[last:m[0]]))
		name := want[m[2]:m[3]]
		b.WriteString("(?:<" + regexp.QuoteMeta(name) + `:\d+>`)
		if name == "uuid" && anyUUID {
			b.WriteString("|" + uuidPattern)
		}
		b.WriteString(")")
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(want[last:]))
	b.WriteString("$")
	re := regexp.MustCompile(b.String())
	patternCache.Store(key, re)
	return re
}
