package awsjson

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"time"
)

// filler builds SDK values with every member set (sparse == 0) or a random share of them
// left unset, so that the SDK's own codecs can act as the oracle for every member name.
type filler struct {
	n      int
	sparse float64 // probability of leaving an optional member unset or a scalar zero
	rnd    *rand.Rand
}

func newFiller(seed uint64, sparse float64) *filler {
	return &filler{sparse: sparse, rnd: rand.New(rand.NewPCG(seed, 7))}
}

func (f *filler) skip() bool { return f.sparse > 0 && f.rnd.Float64() < f.sparse }

// fill sets v, which must be settable. Scalars are never zero unless skipped, so that a
// member the SDK omits when zero is still compared when set.
func (f *filler) fill(v reflect.Value) {
	f.n++
	n := f.n
	t := v.Type()
	switch t.Kind() {
	case reflect.Pointer:
		if f.skip() {
			return
		}
		p := reflect.New(t.Elem())
		f.fill(p.Elem())
		v.Set(p)
	case reflect.Struct:
		if t == timeType {
			// UTC and whole milliseconds: what the wire can carry.
			v.Set(reflect.ValueOf(time.UnixMilli(1700000000000 + int64(n)*1237).UTC()))
			return
		}
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if sf.IsExported() && sf.Type != metadataType {
				f.fill(v.Field(i))
			}
		}
	case reflect.Slice:
		if f.skip() {
			return
		}
		s := reflect.MakeSlice(t, 2, 2)
		for i := 0; i < 2; i++ {
			f.fill(s.Index(i))
		}
		v.Set(s)
	case reflect.Map:
		if f.skip() {
			return
		}
		m := reflect.MakeMap(t)
		for i := 0; i < 2; i++ {
			e := reflect.New(t.Elem()).Elem()
			f.fill(e)
			m.SetMapIndex(reflect.ValueOf(fmt.Sprintf("key%d \"%d\"", i, n)).Convert(t.Key()), e)
		}
		v.Set(m)
	case reflect.String:
		if f.skip() {
			return
		}
		if vals := enumValues(t); len(vals) > 0 {
			v.Set(vals[n%len(vals)])
			return
		}
		v.SetString(fmt.Sprintf("s%d \"quoted\" é\t<&>\u2028 {\"a\":[1]}", n))
	case reflect.Bool:
		v.SetBool(!f.skip())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if !f.skip() {
			v.SetInt(int64(n%100 + 1))
		}
	case reflect.Float32, reflect.Float64:
		if !f.skip() {
			v.SetFloat(float64(n%100) + 0.5)
		}
	}
}

// enumValues returns the declared values of an SDK enum type (its Values method).
func enumValues(t reflect.Type) []reflect.Value {
	m, ok := t.MethodByName("Values")
	if !ok || m.Type.NumIn() != 1 || m.Type.NumOut() != 1 || m.Type.Out(0).Elem() != t {
		return nil
	}
	out := m.Func.Call([]reflect.Value{reflect.Zero(t)})[0]
	vals := make([]reflect.Value, out.Len())
	for i := range vals {
		vals[i] = out.Index(i)
	}
	return vals
}
