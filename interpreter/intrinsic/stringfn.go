package intrinsic

import (
	"crypto/rand"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// evalStringSplit splits at every character of the delimiter and drops empty pieces,
// which is what AWS records: ("a,,b", ",") gives ["a","b"].
func evalStringSplit(c *Call, env *jsonpath.Env) (value.Value, error) {
	s, err := c.str(env, 0)
	if err != nil {
		return nil, err
	}
	d, err := c.str(env, 1)
	if err != nil {
		return nil, err
	}
	var parts []string
	if d == "" {
		parts = []string{s}
	} else {
		parts = strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(d, r) })
	}
	out := make([]any, 0, len(parts))
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out, nil
}

func evalUUID(*Call, *jsonpath.Env) (value.Value, error) { return newUUID(), nil }

// newUUID returns a random (version 4) UUID in its lowercase text form.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hexd = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, x := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hexd[x>>4], hexd[x&0xf])
	}
	return string(out)
}
