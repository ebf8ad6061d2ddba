package jsonata

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	mrand "math/rand/v2"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// StepFunctions returns the function set Step Functions gives JSONata: $partition,
// $range, $hash, $random with an optional seed, $uuid and $parse are added, and $eval is
// removed. Pass it as Options.Functions. rnd is the source of unseeded $random (nil for
// the default source).
func StepFunctions(rnd func() float64) map[string]Function {
	if rnd == nil {
		rnd = mrand.Float64
	}
	return map[string]Function{
		"eval":      {},
		"partition": {Signature: "<an:a>", Call: sfnPartition},
		"range":     {Signature: "<nnn?:a>", Call: sfnRange},
		"hash":      {Signature: "<ss?:s>", Call: sfnHash},
		"random": {Signature: "<n?:n>", Call: func(args []value.Value) (value.Value, error) {
			if len(args) > 0 && args[0] != Undefined {
				seed, _ := value.ToFloat(args[0])
				r := mrand.New(mrand.NewPCG(uint64(int64(seed)), 0x5eed))
				return r.Float64(), nil
			}
			return rnd(), nil
		}},
		"uuid":  {Signature: "<:s>", Call: sfnUUID},
		"parse": {Signature: "<s-:j>", Call: sfnParse},
	}
}

func sfnError(format string, args ...any) *Error {
	return &Error{Code: "D3137", Message: fmt.Sprintf(format, args...)}
}

func sfnPartition(args []value.Value) (value.Value, error) {
	if args[0] == Undefined || args[1] == Undefined {
		return Undefined, nil
	}
	items, _ := args[0].([]any)
	size, _ := value.ToFloat(args[1])
	if size < 1 || size != math.Trunc(size) {
		return nil, sfnError("$partition: the chunk size must be a positive integer, got %s", value.String(args[1]))
	}
	n := int(size)
	out := make([]any, 0, (len(items)+n-1)/n)
	for i := 0; i < len(items); i += n {
		end := min(i+n, len(items))
		out = append(out, append([]any(nil), items[i:end]...))
	}
	return out, nil
}

// maxRange bounds $range as the range operator is bounded.
const maxRange = 1e7

func sfnRange(args []value.Value) (value.Value, error) {
	if args[0] == Undefined || args[1] == Undefined {
		return Undefined, nil
	}
	start, _ := value.ToFloat(args[0])
	end, _ := value.ToFloat(args[1])
	step := 1.0
	if len(args) > 2 && args[2] != Undefined {
		step, _ = value.ToFloat(args[2])
	}
	if start != math.Trunc(start) || end != math.Trunc(end) || step != math.Trunc(step) {
		return nil, sfnError("$range: start, end and step must be integers")
	}
	if step == 0 {
		return nil, sfnError("$range: the step must not be 0")
	}
	count := math.Floor((end-start)/step) + 1
	if count <= 0 {
		return []any{}, nil
	}
	if count > maxRange {
		return nil, sfnError("$range: the range would hold %s items, more than %s", formatNumber(count), formatNumber(maxRange))
	}
	out := make([]any, 0, int(count))
	for i := 0; i < int(count); i++ {
		out = append(out, exportNumber(start+float64(i)*step))
	}
	return out, nil
}

func sfnHash(args []value.Value) (value.Value, error) {
	if args[0] == Undefined {
		return Undefined, nil
	}
	data, _ := args[0].(string)
	alg := "SHA-256"
	if len(args) > 1 && args[1] != Undefined {
		alg, _ = args[1].(string)
	}
	var h hash.Hash
	switch alg {
	case "MD5":
		h = md5.New()
	case "SHA-1":
		h = sha1.New()
	case "SHA-256":
		h = sha256.New()
	case "SHA-384":
		h = sha512.New384()
	case "SHA-512":
		h = sha512.New()
	default:
		return nil, sfnError("$hash: unsupported algorithm %q; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512", alg)
	}
	h.Write([]byte(data))
	return hex.EncodeToString(h.Sum(nil)), nil
}

func sfnUUID(args []value.Value) (value.Value, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, sfnError("$uuid: %v", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

func sfnParse(args []value.Value) (value.Value, error) {
	if args[0] == Undefined {
		return Undefined, nil
	}
	s, _ := args[0].(string)
	v, err := value.ParseString(s)
	if err != nil {
		return nil, sfnError("$parse: %v", err)
	}
	return v, nil
}
