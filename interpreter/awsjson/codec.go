package awsjson

import (
	"reflect"
	"sync"
	"time"

	"github.com/aws/smithy-go/middleware"
	"github.com/stepdeck/stepdeck/interpreter/value"
)

type kind uint8

const (
	kBool kind = iota
	kInt
	kUint
	kFloat
	kString
	kTime
	kBytes
	kPtr
	kSlice
	kMap
	kStruct
	kIface
	kUnsupported
)

// codec is what the encoder and decoder know about one Go type. Codecs are built once per
// type and shared; recursive types point back at the codec being built.
type codec struct {
	kind   kind
	typ    reflect.Type
	bits   int    // size of ints and floats, for range checks and formatting
	elem   *codec // pointer target, slice element, map value
	fields []field
	byName map[string]int // member name → index in fields
}

type field struct {
	name  string
	key   []byte // `"name":`, pre-encoded for the encoder
	index int
	c     *codec
}

var (
	timeType     = reflect.TypeFor[time.Time]()
	metadataType = reflect.TypeFor[middleware.Metadata]()

	cache   sync.Map // reflect.Type → *codec
	buildMu sync.Mutex
)

func codecFor(t reflect.Type) *codec {
	if c, ok := cache.Load(t); ok {
		return c.(*codec)
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	building := map[reflect.Type]*codec{}
	c := build(t, building)
	// Publish only when the whole graph is complete, so readers never see a half-built
	// codec.
	for bt, bc := range building {
		cache.LoadOrStore(bt, bc)
	}
	return c
}

func build(t reflect.Type, building map[reflect.Type]*codec) *codec {
	if c, ok := cache.Load(t); ok {
		return c.(*codec)
	}
	if c, ok := building[t]; ok {
		return c
	}
	c := &codec{typ: t}
	building[t] = c
	switch t.Kind() {
	case reflect.Bool:
		c.kind = kBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.kind, c.bits = kInt, t.Bits()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		c.kind, c.bits = kUint, t.Bits()
	case reflect.Float32, reflect.Float64:
		c.kind, c.bits = kFloat, t.Bits()
	case reflect.String:
		c.kind = kString
	case reflect.Pointer:
		c.kind, c.elem = kPtr, build(t.Elem(), building)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			c.kind = kBytes
		} else {
			c.kind, c.elem = kSlice, build(t.Elem(), building)
		}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			c.kind = kUnsupported
			break
		}
		c.kind, c.elem = kMap, build(t.Elem(), building)
	case reflect.Interface:
		c.kind = kIface
	case reflect.Struct:
		if t == timeType {
			c.kind = kTime
			break
		}
		c.kind = kStruct
		c.byName = map[string]int{}
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() || sf.Type == metadataType {
				continue
			}
			name := memberName(t.Name(), sf.Name)
			key := value.AppendString(nil, name)
			c.byName[name] = len(c.fields)
			c.fields = append(c.fields, field{name: name, key: append(key, ':'), index: i, c: build(sf.Type, building)})
		}
	default:
		c.kind = kUnsupported
	}
	return c
}

// omitted reports whether a struct member holding v is left out of the object: unset
// optional members are absent on the wire, while plain bools and numbers always appear.
func omitted(c *codec, v reflect.Value) bool {
	switch c.kind {
	case kPtr, kSlice, kMap, kIface, kBytes:
		return v.IsNil()
	case kString:
		return v.Len() == 0
	case kTime:
		return timeOf(v).IsZero()
	}
	return false
}
