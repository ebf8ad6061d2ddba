package awsjson

import (
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"time"

	"github.com/stepdeck/stepdeck/interpreter/value"
)

// Marshal returns the awsJson1_0 form of v: an SDK struct, a pointer to one, or a slice
// or map of them.
func Marshal(v any) ([]byte, error) { return Append(nil, v) }

// Append appends the awsJson1_0 form of v to buf, so a caller writing many values (a long
// history) can reuse one buffer.
func Append(buf []byte, v any) ([]byte, error) {
	if v == nil {
		return append(buf, "null"...), nil
	}
	rv := reflect.ValueOf(v)
	return encode(buf, codecFor(rv.Type()), rv)
}

func encode(b []byte, c *codec, v reflect.Value) ([]byte, error) {
	switch c.kind {
	case kBool:
		return strconv.AppendBool(b, v.Bool()), nil
	case kInt:
		return strconv.AppendInt(b, v.Int(), 10), nil
	case kUint:
		return strconv.AppendUint(b, v.Uint(), 10), nil
	case kFloat:
		return appendFloat(b, v.Float(), c.bits), nil
	case kString:
		return value.AppendString(b, v.String()), nil
	case kTime:
		return AppendTimestamp(b, timeOf(v)), nil
	case kBytes:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, v.Bytes())
		return append(b, '"'), nil
	case kPtr:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		return encode(b, c.elem, v.Elem())
	case kIface:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		e := v.Elem()
		return encode(b, codecFor(e.Type()), e)
	case kSlice:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = encode(b, c.elem, v.Index(i)); err != nil {
				return b, wrap(err, "["+strconv.Itoa(i)+"]")
			}
		}
		return append(b, ']'), nil
	case kMap:
		return encodeMap(b, c, v)
	case kStruct:
		return encodeStruct(b, c, v)
	}
	return b, &Error{Msg: fmt.Sprintf("cannot encode a value of Go type %s", c.typ)}
}

func encodeStruct(b []byte, c *codec, v reflect.Value) ([]byte, error) {
	b = append(b, '{')
	first := true
	for i := range c.fields {
		f := &c.fields[i]
		fv := v.Field(f.index)
		if omitted(f.c, fv) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, f.key...)
		var err error
		if b, err = encode(b, f.c, fv); err != nil {
			return b, wrap(err, f.name)
		}
	}
	return append(b, '}'), nil
}

// encodeMap writes keys sorted, so that the same value always gives the same bytes (Go's
// map order would not).
func encodeMap(b []byte, c *codec, v reflect.Value) ([]byte, error) {
	if v.IsNil() {
		return append(b, "null"...), nil
	}
	keys := make([]string, 0, v.Len())
	for it := v.MapRange(); it.Next(); {
		keys = append(keys, it.Key().String())
	}
	sort.Strings(keys)
	kt := c.typ.Key()
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = value.AppendString(b, k)
		b = append(b, ':')
		var err error
		if b, err = encode(b, c.elem, v.MapIndex(reflect.ValueOf(k).Convert(kt))); err != nil {
			return b, wrap(err, k)
		}
	}
	return append(b, '}'), nil
}

// appendFloat writes NaN and the infinities as the strings the SDK writes and reads;
// JSON has no literal for them.
func appendFloat(b []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(b, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(b, `"-Infinity"`...)
	}
	return strconv.AppendFloat(b, f, 'g', -1, bits)
}

// AppendTimestamp appends t as awsJson1_0 writes timestamps: epoch seconds with at most
// three decimals, built from integer milliseconds so that no float rounding shows up on
// the wire (1700000000.123, not 1700000000.1229999).
func AppendTimestamp(b []byte, t time.Time) []byte {
	ms := t.UnixMilli()
	if ms < 0 {
		b = append(b, '-')
		ms = -ms
		if ms < 0 { // MinInt64: only for times hundreds of millions of years away
			ms = math.MaxInt64
		}
	}
	b = strconv.AppendInt(b, ms/1000, 10)
	frac := ms % 1000
	if frac == 0 {
		return b
	}
	digits := []byte{'.', byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
	for digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	return append(b, digits...)
}

// timeOf reads a time.Time without boxing it when it sits in addressable memory, which
// is where the encoder finds every timestamp of a struct reached through a pointer.
func timeOf(v reflect.Value) time.Time {
	if v.CanAddr() {
		return *v.Addr().Interface().(*time.Time)
	}
	return v.Interface().(time.Time)
}
