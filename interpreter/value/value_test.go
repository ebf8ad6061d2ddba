package value

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRoundTripKeepsOrderAndNumbers(t *testing.T) {
	for _, tc := range []struct{ in, out string }{
		{`{"b":1,"a":2}`, `{"b":1,"a":2}`},
		{`{"a":1,"a":2,"b":3}`, `{"a":2,"b":3}`},
		{`[1, 1.0, 1.5, -0, 1e2, 12345678.9, 0.0001, 9223372036854775807, 9223372036854775808]`,
			`[1,1.0,1.5,0,100.0,1.23456789E7,1.0E-4,9223372036854775807,9.223372036854776E18]`},
		{`"a\u00e9\n\"\\\/\u0001"`, `"aé\n\"\\/\u0001"`},
		{`"\ud83d\ude00"`, `"😀"`},
		{` { "x" : [ true , false , null ] } `, `{"x":[true,false,null]}`},
		{`"<&>"`, `"<&>"`},
	} {
		v, err := ParseString(tc.in)
		if err != nil {
			t.Fatalf("Parse(%s): %v", tc.in, err)
		}
		if got := String(v); got != tc.out {
			t.Errorf("Parse(%s) printed %s, want %s", tc.in, got, tc.out)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{``, "unexpected end of input"},
		{`{"a":1,}`, "expected a string for an object key"},
		{`[1 2]`, "expected ',' or ']'"},
		{`01`, "leading zeros"},
		{`"abc`, "end of input in a string"},
		{"\"\xff\"", "invalid UTF-8"},
		{`{} x`, "after the end of the document"},
		{`tru`, "expected a value"},
		{`"\x"`, "invalid escape"},
		{strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), "nesting deeper than"},
	} {
		_, err := ParseString(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%.40q) error = %v, want it to mention %q", tc.in, err, tc.want)
		}
	}
	if _, err := ParseString(strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)); err != nil {
		t.Errorf("nesting of exactly MaxDepth should parse: %v", err)
	}
}

func TestEqual(t *testing.T) {
	a := MustParse(`{"x":[1,2,{"y":null}],"z":"s"}`)
	b := MustParse(`{"z":"s","x":[1.0,2,{"y":null}]}`)
	if !Equal(a, b) {
		t.Error("objects with the same members in another order and 1 vs 1.0 should be equal")
	}
	if Equal(a, MustParse(`{"z":"s","x":[1,2,{"y":false}]}`)) {
		t.Error("different values compared equal")
	}
	if Equal(MustParse(`[]`), MustParse(`{}`)) || Equal(nil, false) || Equal(int64(0), "0") {
		t.Error("values of different kinds compared equal")
	}
}

func TestObjectOrderAndIndex(t *testing.T) {
	o := NewObject(0)
	for i := 0; i < 40; i++ {
		o.Set(string(rune('A'+i)), int64(i))
	}
	o.Delete("C")
	o.Set("A", "first")
	if k, v := o.At(0); k != "A" || v != "first" {
		t.Errorf("At(0) = %v %v", k, v)
	}
	if _, ok := o.Get("C"); ok || o.Len() != 39 {
		t.Error("Delete did not remove the key")
	}
	if v, _ := o.Get("Z"); v != int64(25) {
		t.Errorf("Get(Z) = %v after a delete shifted the index", v)
	}
	c := o.With("new", true)
	if o.Has("new") || !c.Has("new") {
		t.Error("With changed the original")
	}
}

func TestMatchesEncodingJSONSemantics(t *testing.T) {
	in := `{"a":[1,2.5,"x",{"b":null}],"c":true}`
	var std any
	if err := json.Unmarshal([]byte(in), &std); err != nil {
		t.Fatal(err)
	}
	if !Equal(FromGo(std), MustParse(in)) {
		t.Error("FromGo(encoding/json) differs from Parse")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`{}`, `[1,2,{"a":"b"}]`, `"\ud800"`, `-1.5e-3`, `{"a":{"a":{"a":[]}}}`, "\"\xc3\x28\""} {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"a":1,"b":{"a":2,"a":3},"a":4}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Parse(data)
		stdOK := json.Valid(data)
		// Reporting duplicates changes nothing else, and each one reported is a key its
		// object has.
		v2, src, err2 := ParseSource(data)
		if (err == nil) != (err2 == nil) || (err == nil && !Equal(v, v2)) {
			t.Fatalf("ParseSource(%q) = %v, %v; Parse gave %v, %v", data, v2, err2, v, err)
		}
		if line, col, ok := src.Position("/"); err == nil && (!ok || line < 1 || col < 1) {
			t.Fatalf("the document of %q is at %d:%d (%v)", data, line, col, ok)
		}
		for _, d := range src.Duplicates {
			if !d.Object.Has(d.Key) {
				t.Fatalf("duplicate %q reported on an object without it", d.Key)
			}
		}
		if se, ok := err.(*SyntaxError); ok {
			if line, col := se.Position(data); line < 1 || col < 1 {
				t.Fatalf("position %d:%d", line, col)
			}
		}
		if err != nil {
			if stdOK && !strings.Contains(err.Error(), "UTF-8") && !strings.Contains(err.Error(), "nesting") && !strings.Contains(err.Error(), "out of range") {
				t.Fatalf("Parse rejected valid JSON %q: %v", data, err)
			}
			return
		}
		if !stdOK {
			t.Fatalf("Parse accepted invalid JSON %q", data)
		}
		again, err := Parse(Marshal(v))
		if err != nil || !Equal(v, again) {
			t.Fatalf("round trip of %q failed: %v", data, err)
		}
	})
}

func TestParseSourceDuplicates(t *testing.T) {
	v, src, err := ParseSource([]byte(`{"a":1,"b":{"a":2,"a":3},"a":4}`))
	if err != nil {
		t.Fatal(err)
	}
	dups := src.Duplicates
	inner, _ := v.(*Object).Get("b")
	if len(dups) != 2 || dups[0].Object != inner || dups[0].Key != "a" || dups[1].Object != v || dups[1].Key != "a" {
		t.Errorf("duplicates %+v", dups)
	}
	if String(v) != `{"a":4,"b":{"a":3}}` {
		t.Errorf("value %s: the last value wins", String(v))
	}
}

func TestParseSourcePositions(t *testing.T) {
	data := []byte("{\"States\": {\n  \"a/b\": [1,\n    {\"é\": true}]}}")
	_, src, err := ParseSource(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		pointer   string
		line, col int
	}{
		{"", 1, 1}, {"/", 1, 1},
		{"/States", 1, 12},
		{"/States/a~1b", 2, 10},   // "a/b" escapes as a~1b
		{"/States/a~1b/0", 2, 11}, // the 1
		{"/States/a~1b/1/é", 3, 11},
		{"/States/a~1b/1/é/deeper", 3, 11}, // nothing there: its nearest ancestor
		{"/Nope/x", 1, 1},
	} {
		line, col, ok := src.Position(c.pointer)
		if !ok || line != c.line || col != c.col {
			t.Errorf("Position(%q) = %d:%d %v, want %d:%d", c.pointer, line, col, ok, c.line, c.col)
		}
	}
}

func TestSyntaxErrorPosition(t *testing.T) {
	data := []byte("{\n  \"é\": x}")
	_, err := Parse(data)
	se, ok := err.(*SyntaxError)
	if !ok {
		t.Fatalf("error %v", err)
	}
	// The x is on line 2, after two spaces (columns 1-2), the quoted é (3-5; é is two
	// bytes but one character), a colon (6) and a space (7).
	if line, col := se.Position(data); line != 2 || col != 8 {
		t.Errorf("position %d:%d, want 2:8", line, col)
	}
}

func TestEncodedLenMatchesMarshal(t *testing.T) {
	for _, s := range []string{`null`, `true`, `false`, `[1,2.5,"a\"b\u0001\n",{"k\t":[]}]`, `{"a":{"b":1e300}}`, `"é😀"`} {
		v := MustParse(s)
		if got, want := EncodedLen(v), len(Marshal(v)); got != want {
			t.Errorf("EncodedLen(%s) = %d, Marshal is %d bytes", s, got, want)
		}
	}
}
