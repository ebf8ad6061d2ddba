package history

import (
	"fmt"
	"reflect"
	"time"
)

// fill sets every member of v (settable) to a distinct non-zero value, so that a lost or
// misplaced member shows up in a comparison.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), n)
		v.Set(p)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.UnixMilli(1700000000000 + int64(*n)*1001).UTC()))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e, n)
		m.SetMapIndex(reflect.ValueOf(fmt.Sprintf("k%d", *n)).Convert(v.Type().Key()), e)
		v.Set(m)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), n)
		v.Set(s)
	case reflect.String:
		v.SetString(fmt.Sprintf(`{"v%d":"é\"<>"}`, *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(*n) + 0.25)
	}
}

// sampleEvent builds an event of type t with every member of its details set.
func sampleEvent(t string, id int64) Event {
	e := Event{ID: id, PreviousEventID: id - 1, Timestamp: time.UnixMilli(1700000000000 + id*37).UTC()}
	e.Type = typeOf(t)
	if dt := DetailsType(e.Type); dt != nil {
		n := int(id)
		d := reflect.New(dt).Elem()
		fill(d, &n)
		e.Details = d.Interface()
	}
	return e
}
