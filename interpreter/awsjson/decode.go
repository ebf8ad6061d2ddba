package awsjson

import (
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Unmarshal decodes awsJson1_0 data into v, which must be a non-nil pointer (usually to an
// SDK input or output struct). Members v already holds and the data does not mention are
// left as they are, as the SDK's own deserializers do.
func Unmarshal(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &Error{Msg: fmt.Sprintf("Unmarshal needs a non-nil pointer, got %T", v)}
	}
	doc, err := value.Parse(data)
	if err != nil {
		return &Error{Msg: "malformed JSON: " + err.Error()}
	}
	return decode(doc, codecFor(rv.Type().Elem()), rv.Elem())
}

func decode(j value.Value, c *codec, v reflect.Value) error {
	if j == nil {
		// null means unset: the SDK leaves the member alone, and so do we, except that a
		// pointer, slice or map already set is not un-set by it either.
		return nil
	}
	switch c.kind {
	case kBool:
		b, ok := j.(bool)
		if !ok {
			return mismatch("a boolean", j)
		}
		v.SetBool(b)
	case kInt:
		n, err := integer(j, c.bits)
		if err != nil {
			return err
		}
		v.SetInt(n)
	case kUint:
		n, err := integer(j, 64)
		if err != nil {
			return err
		}
		if n < 0 || (c.bits < 64 && n >= 1<<c.bits) {
			return &Error{Msg: fmt.Sprintf("%d is out of range for a %d-bit unsigned integer", n, c.bits)}
		}
		v.SetUint(uint64(n))
	case kFloat:
		f, err := float(j)
		if err != nil {
			return err
		}
		if c.bits == 32 && !math.IsInf(f, 0) && math.Abs(f) > math.MaxFloat32 {
			return &Error{Msg: fmt.Sprintf("%g is out of range for a 32-bit float", f)}
		}
		v.SetFloat(f)
	case kString:
		s, ok := j.(string)
		if !ok {
			return mismatch("a string", j)
		}
		v.SetString(s)
	case kTime:
		t, err := timestamp(j)
		if err != nil {
			return err
		}
		v.Set(reflect.ValueOf(t))
	case kBytes:
		s, ok := j.(string)
		if !ok {
			return mismatch("a base64 string", j)
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return &Error{Msg: "invalid base64: " + err.Error()}
		}
		v.SetBytes(b)
	case kPtr:
		if v.IsNil() {
			v.Set(reflect.New(c.typ.Elem()))
		}
		return decode(j, c.elem, v.Elem())
	case kIface:
		// The SDK's sfn model has no document members; a caller's own interface field gets
		// the parsed value model, which is the project's JSON type.
		rj := reflect.ValueOf(j)
		if !rj.Type().AssignableTo(c.typ) {
			return &Error{Msg: fmt.Sprintf("cannot store JSON in Go type %s", c.typ)}
		}
		v.Set(rj)
	case kSlice:
		return decodeSlice(j, c, v)
	case kMap:
		return decodeMap(j, c, v)
	case kStruct:
		return decodeStruct(j, c, v)
	default:
		return &Error{Msg: fmt.Sprintf("cannot decode into Go type %s", c.typ)}
	}
	return nil
}

func decodeSlice(j value.Value, c *codec, v reflect.Value) error {
	arr, ok := j.([]any)
	if !ok {
		return mismatch("an array", j)
	}
	s := reflect.MakeSlice(c.typ, len(arr), len(arr))
	for i, e := range arr {
		if err := decode(e, c.elem, s.Index(i)); err != nil {
			return wrap(err, "["+strconv.Itoa(i)+"]")
		}
	}
	v.Set(s)
	return nil
}

func decodeMap(j value.Value, c *codec, v reflect.Value) error {
	obj, ok := j.(*value.Object)
	if !ok {
		return mismatch("an object", j)
	}
	m := reflect.MakeMapWithSize(c.typ, obj.Len())
	kt, et := c.typ.Key(), c.typ.Elem()
	for i := 0; i < obj.Len(); i++ {
		k, e := obj.At(i)
		ev := reflect.New(et).Elem()
		if err := decode(e, c.elem, ev); err != nil {
			return wrap(err, k)
		}
		m.SetMapIndex(reflect.ValueOf(k).Convert(kt), ev)
	}
	v.Set(m)
	return nil
}

func decodeStruct(j value.Value, c *codec, v reflect.Value) error {
	obj, ok := j.(*value.Object)
	if !ok {
		return mismatch("an object", j)
	}
	for i := 0; i < obj.Len(); i++ {
		k, e := obj.At(i)
		fi, ok := c.byName[k]
		if !ok {
			continue // newer services add members; the SDK ignores unknown ones too
		}
		f := &c.fields[fi]
		if err := decode(e, f.c, v.Field(f.index)); err != nil {
			return wrap(err, f.name)
		}
	}
	return nil
}

func integer(j value.Value, bits int) (int64, error) {
	var n int64
	switch x := j.(type) {
	case int64:
		n = x
	case float64:
		// 5.0 and 5e2 are integers to a reader; only a real fraction is refused.
		if x != math.Trunc(x) || math.Abs(x) >= 1<<63 {
			return 0, &Error{Msg: fmt.Sprintf("expected an integer, got %s", value.String(j))}
		}
		n = int64(x)
	default:
		return 0, mismatch("an integer", j)
	}
	if bits < 64 {
		lim := int64(1) << (bits - 1)
		if n < -lim || n >= lim {
			return 0, &Error{Msg: fmt.Sprintf("%d is out of range for a %d-bit integer", n, bits)}
		}
	}
	return n, nil
}

func float(j value.Value) (float64, error) {
	switch x := j.(type) {
	case int64:
		return float64(x), nil
	case float64:
		return x, nil
	case string:
		switch {
		case strings.EqualFold(x, "NaN"):
			return math.NaN(), nil
		case strings.EqualFold(x, "Infinity"):
			return math.Inf(1), nil
		case strings.EqualFold(x, "-Infinity"):
			return math.Inf(-1), nil
		}
	}
	return 0, mismatch("a number", j)
}

// maxEpochSeconds bounds timestamps to what time.UnixMilli holds without overflow.
const maxEpochSeconds = math.MaxInt64 / 1000

// timestamp reads epoch seconds (what AWS sends). RFC 3339 strings are accepted as well,
// because people write requests by hand and the meaning is unambiguous.
func timestamp(j value.Value) (time.Time, error) {
	switch x := j.(type) {
	case int64:
		if x > maxEpochSeconds || x < -maxEpochSeconds {
			return time.Time{}, &Error{Msg: fmt.Sprintf("timestamp %d is out of range", x)}
		}
		return time.Unix(x, 0).UTC(), nil
	case float64:
		if math.IsNaN(x) || math.Abs(x) >= maxEpochSeconds {
			return time.Time{}, &Error{Msg: fmt.Sprintf("timestamp %s is out of range", value.String(x))}
		}
		return time.UnixMilli(int64(math.Round(x * 1000))).UTC(), nil
	case string:
		t, err := time.Parse(time.RFC3339Nano, x)
		if err != nil {
			return time.Time{}, &Error{Msg: fmt.Sprintf("expected a timestamp in epoch seconds, got the string %q", x)}
		}
		return t.UTC(), nil
	}
	return time.Time{}, mismatch("a timestamp in epoch seconds", j)
}

func mismatch(want string, got value.Value) error {
	return &Error{Msg: "expected " + want + ", got " + kindName(got)}
}

func kindName(j value.Value) string {
	switch value.KindOf(j) {
	case value.KindBoolean:
		return "a boolean"
	case value.KindNumber:
		return "a number"
	case value.KindString:
		return "a string"
	case value.KindArray:
		return "an array"
	case value.KindObject:
		return "an object"
	}
	return "null"
}
