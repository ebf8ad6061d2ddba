package intrinsic

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stepdeck/stepdeck/interpreter/jsonpath"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

// maxEncodeInput is the longest text Base64Encode, Base64Decode and Hash accept, in
// characters as Java counts them (UTF-16 code units).
const maxEncodeInput = 10000

func javaLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// limitedStr returns argument i, a string of at most maxEncodeInput characters.
func (c *Call) limitedStr(env *jsonpath.Env, i int) (string, error) {
	s, err := c.str(env, i)
	if err != nil {
		return "", err
	}
	if n := javaLen(s); n > maxEncodeInput {
		return "", c.fail("the input is %d characters long, more than the %d allowed", n, maxEncodeInput)
	}
	return s, nil
}

func evalBase64Encode(c *Call, env *jsonpath.Env) (value.Value, error) {
	s, err := c.limitedStr(env, 0)
	if err != nil {
		return nil, err
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

func evalBase64Decode(c *Call, env *jsonpath.Env) (value.Value, error) {
	s, err := c.limitedStr(env, 0)
	if err != nil {
		return nil, err
	}
	// Java's decoder, which AWS uses, also takes input whose padding is left out.
	enc := base64.StdEncoding
	if len(s)%4 != 0 && !strings.HasSuffix(s, "=") {
		enc = base64.RawStdEncoding
	}
	b, err := enc.DecodeString(s)
	if err != nil {
		return nil, c.fail("the string is not valid Base64: %s", describe(s))
	}
	out := string(b)
	if !utf8.ValidString(out) {
		out = strings.ToValidUTF8(out, "\uFFFD")
	}
	return out, nil
}

var hashes = map[string]func() hash.Hash{
	"MD5":     md5.New,
	"SHA-1":   sha1.New,
	"SHA-256": sha256.New,
	"SHA-384": sha512.New384,
	"SHA-512": sha512.New,
}

func evalHash(c *Call, env *jsonpath.Env) (value.Value, error) {
	s, err := c.limitedStr(env, 0)
	if err != nil {
		return nil, err
	}
	alg, err := c.str(env, 1)
	if err != nil {
		return nil, err
	}
	newHash := hashes[alg]
	if newHash == nil {
		return nil, c.fail("unsupported hash algorithm %q: use MD5, SHA-1, SHA-256, SHA-384 or SHA-512", alg)
	}
	h := newHash()
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil)), nil
}
