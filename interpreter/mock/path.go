package mock

import (
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// jsonPath names a place in the file the way a person would look for it, so that an
// error says where to edit: $.MockedResponses.ChargeOk['0-1'].Throw.
type jsonPath []string

func (p jsonPath) with(key string) jsonPath {
	out := make(jsonPath, len(p), len(p)+1)
	copy(out, p)
	return append(out, key)
}

func (p jsonPath) String() string {
	var b strings.Builder
	b.WriteString("$")
	for _, k := range p {
		if isIdentifier(k) {
			b.WriteString(".")
			b.WriteString(k)
			continue
		}
		b.WriteString("[")
		b.WriteString(value.String(k))
		b.WriteString("]")
	}
	return b.String()
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
