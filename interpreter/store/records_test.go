package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestRecordsPutGetDelete(t *testing.T) {
	s := openTemp(t)
	view(t, s, func(tx *Tx) error {
		if _, err := tx.Get("machines", "m"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get from a kind never written: %v, want ErrNotFound", err)
		}
		return nil
	})
	buf := []byte("v1")
	update(t, s, func(tx *Tx) error {
		if err := tx.Put("machines", "m", buf); err != nil {
			return err
		}
		buf[0] = 'X' // the caller reusing its buffer must not change what was stored
		if err := tx.Put("activities", "m", []byte("other kind")); err != nil {
			return err
		}
		return tx.Put("machines", "empty", nil)
	})
	view(t, s, func(tx *Tx) error {
		if v, err := tx.Get("machines", "m"); err != nil || string(v) != "v1" {
			t.Errorf("Get = %q, %v; want v1", v, err)
		}
		if v, err := tx.Get("activities", "m"); err != nil || string(v) != "other kind" {
			t.Errorf("kinds are not separate: %q, %v", v, err)
		}
		if v, err := tx.Get("machines", "empty"); err != nil || v == nil || len(v) != 0 {
			t.Errorf("empty value reads back as %#v, %v", v, err)
		}
		return nil
	})
	update(t, s, func(tx *Tx) error {
		if err := tx.Put("machines", "m", []byte("v2")); err != nil {
			return err
		}
		if v, _ := tx.Get("machines", "m"); string(v) != "v2" {
			t.Errorf("Put does not replace: %q", v)
		}
		if err := tx.Delete("machines", "m"); err != nil {
			return err
		}
		if err := tx.Delete("machines", "never"); err != nil {
			t.Errorf("Delete of a missing key: %v", err)
		}
		return tx.Delete("no-such-kind", "x")
	})
	view(t, s, func(tx *Tx) error {
		if _, err := tx.Get("machines", "m"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get after Delete: %v", err)
		}
		return nil
	})
}

func TestRecordsBadNames(t *testing.T) {
	s := openTemp(t)
	long := strings.Repeat("k", maxKeyLen+1)
	update(t, s, func(tx *Tx) error {
		for _, c := range []struct{ kind, key string }{{"", "k"}, {"kind", ""}, {long, "k"}, {"kind", long}} {
			if err := tx.Put(c.kind, c.key, nil); err == nil {
				t.Errorf("Put(%.10q, %.10q) accepted", c.kind, c.key)
			}
			if _, err := tx.Get(c.kind, c.key); err == nil || errors.Is(err, ErrNotFound) {
				t.Errorf("Get(%.10q, %.10q) = %v, want a usage error", c.kind, c.key, err)
			}
		}
		if _, _, err := tx.List("", "", "", 0); err == nil {
			t.Error("List of an empty kind accepted")
		}
		if _, _, err := tx.List("k", "", "", -1); err == nil {
			t.Error("List with a negative limit accepted")
		}
		return nil
	})
}

func keysOf(items []KV) []string {
	var ks []string
	for _, it := range items {
		ks = append(ks, it.Key)
	}
	return ks
}

func TestListPaging(t *testing.T) {
	s := openTemp(t)
	all := []string{"a", "a/1", "a/2", "a/3", "a0", "b", "b/1", "b/2", "c"}
	update(t, s, func(tx *Tx) error {
		for _, k := range slices.Backward(all) {
			if err := tx.Put("tags", k, []byte("v:"+k)); err != nil {
				return err
			}
		}
		return nil
	})
	cases := []struct {
		prefix, after string
		limit         int
		want          []string
		next          string
	}{
		{"", "", 0, all, ""},
		{"", "", 3, []string{"a", "a/1", "a/2"}, "a/2"},
		{"", "a/2", 3, []string{"a/3", "a0", "b"}, "b"},
		{"", "b/2", 3, []string{"c"}, ""},
		{"", "b/1", 2, []string{"b/2", "c"}, ""}, // exactly the rest: no next
		{"", "c", 3, nil, ""},
		{"", "zzz", 3, nil, ""},
		{"", "a/15", 2, []string{"a/2", "a/3"}, "a/3"}, // a cursor that is not a key
		{"a/", "", 0, []string{"a/1", "a/2", "a/3"}, ""},
		{"a/", "", 2, []string{"a/1", "a/2"}, "a/2"},
		{"a/", "a/2", 2, []string{"a/3"}, ""},
		{"a/", "a", 0, []string{"a/1", "a/2", "a/3"}, ""}, // after sorts before the prefix
		{"a/", "b", 0, nil, ""},                           // after sorts past the prefix
		{"b", "", 0, []string{"b", "b/1", "b/2"}, ""},
		{"d", "", 0, nil, ""},
	}
	view(t, s, func(tx *Tx) error {
		for _, c := range cases {
			items, next, err := tx.List("tags", c.prefix, c.after, c.limit)
			if err != nil {
				t.Fatal(err)
			}
			if got := keysOf(items); !slices.Equal(got, c.want) || next != c.next {
				t.Errorf("List(prefix %q, after %q, limit %d) = %q next %q; want %q next %q",
					c.prefix, c.after, c.limit, got, next, c.want, c.next)
			}
			for _, it := range items {
				if string(it.Value) != "v:"+it.Key {
					t.Errorf("value of %q is %q", it.Key, it.Value)
				}
			}
		}
		items, next, err := tx.List("never-written", "", "", 0)
		if err != nil || items != nil || next != "" {
			t.Errorf("List of a kind never written = %v, %q, %v", items, next, err)
		}
		return nil
	})
}

func TestListWalkAllPages(t *testing.T) {
	s := openTemp(t)
	var want []string
	update(t, s, func(tx *Tx) error {
		for i := range 250 {
			k := fmt.Sprintf("arn:%04d", i)
			want = append(want, k)
			if err := tx.Put("machines", k, []byte{byte(i)}); err != nil {
				return err
			}
		}
		return nil
	})
	for _, limit := range []int{1, 7, 100, 249, 250, 251} {
		var got []string
		after, pages := "", 0
		for {
			var items []KV
			var err error
			view(t, s, func(tx *Tx) error {
				items, after, err = tx.List("machines", "arn:", after, limit)
				return err
			})
			pages++
			got = append(got, keysOf(items)...)
			if after == "" {
				break
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("limit %d: walk gave %d keys, want %d in order", limit, len(got), len(want))
		}
		if wantPages := (250 + limit - 1) / limit; pages != wantPages {
			t.Errorf("limit %d: %d pages, want %d", limit, pages, wantPages)
		}
	}
}
