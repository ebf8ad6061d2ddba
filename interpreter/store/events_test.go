package store

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"
)

func evs(ids ...int) [][]byte {
	var out [][]byte
	for _, id := range ids {
		out = append(out, []byte(strconv.Itoa(id)))
	}
	return out
}

func idsOf(t *testing.T, events [][]byte) []int {
	t.Helper()
	var out []int
	for _, e := range events {
		n, err := strconv.Atoi(string(e))
		if err != nil {
			t.Fatalf("event %q", e)
		}
		out = append(out, n)
	}
	return out
}

func seq(from, to int) []int { // inclusive, either direction
	var out []int
	if from <= to {
		for i := from; i <= to; i++ {
			out = append(out, i)
		}
	} else {
		for i := from; i >= to; i-- {
			out = append(out, i)
		}
	}
	return out
}

func TestAppendEventsContinuity(t *testing.T) {
	s := openTemp(t)
	update(t, s, func(tx *Tx) error { return tx.AppendEvents("e", 1, evs(1, 2, 3)) })
	update(t, s, func(tx *Tx) error { return tx.AppendEvents("e", 4, evs(4)) })
	for _, first := range []int64{0, 1, 3, 4, 6, -1, math.MaxInt64} {
		if err := s.Update(func(tx *Tx) error { return tx.AppendEvents("e", first, evs(99)) }); err == nil {
			t.Errorf("AppendEvents with first id %d after 4 events accepted", first)
		}
	}
	if err := s.Update(func(tx *Tx) error { return tx.AppendEvents("other", 2, evs(2)) }); err == nil {
		t.Error("a new history starting at id 2 accepted")
	}
	if err := s.Update(func(tx *Tx) error { return tx.AppendEvents("", 1, evs(1)) }); err == nil {
		t.Error("events for an empty ARN accepted")
	}
	update(t, s, func(tx *Tx) error { return tx.AppendEvents("e", 5, nil) }) // nothing to add is fine
	view(t, s, func(tx *Tx) error {
		if n, err := tx.EventCount("e"); n != 4 || err != nil {
			t.Errorf("EventCount = %d, %v; want 4", n, err)
		}
		if n, err := tx.EventCount("none"); n != 0 || err != nil {
			t.Errorf("EventCount of an unknown execution = %d, %v", n, err)
		}
		got, err := tx.Events("e", 0, 0, false)
		if err != nil || !slices.Equal(idsOf(t, got), seq(1, 4)) {
			t.Errorf("Events = %v, %v", idsOf(t, got), err)
		}
		return nil
	})
}

func TestEventsPaging(t *testing.T) {
	s := openTemp(t)
	update(t, s, func(tx *Tx) error { return tx.AppendEvents("e", 1, evs(seq(1, 10)...)) })
	cases := []struct {
		after   int64
		limit   int
		reverse bool
		want    []int
	}{
		{0, 0, false, seq(1, 10)},
		{0, 3, false, seq(1, 3)},
		{3, 3, false, seq(4, 6)},
		{8, 3, false, seq(9, 10)},
		{10, 3, false, nil},
		{11, 3, false, nil},
		{-5, 2, false, seq(1, 2)},
		{math.MaxInt64, 0, false, nil},
		{0, 0, true, seq(10, 1)},
		{0, 3, true, seq(10, 8)},
		{8, 3, true, seq(7, 5)},
		{3, 5, true, seq(2, 1)},
		{1, 5, true, nil},
		{11, 2, true, seq(10, 9)},
		{500, 0, true, seq(10, 1)},
		{math.MaxInt64, 1, true, []int{10}},
		{-1, 1, true, []int{10}},
	}
	view(t, s, func(tx *Tx) error {
		for _, c := range cases {
			got, err := tx.Events("e", c.after, c.limit, c.reverse)
			if err != nil {
				t.Fatal(err)
			}
			if g := idsOf(t, got); !slices.Equal(g, c.want) {
				t.Errorf("Events(after %d, limit %d, reverse %v) = %v, want %v", c.after, c.limit, c.reverse, g, c.want)
			}
		}
		got, err := tx.Events("unknown", 0, 0, true)
		if err != nil || got != nil {
			t.Errorf("Events of an unknown execution = %v, %v", got, err)
		}
		if _, err := tx.Events("e", 0, -1, false); err == nil {
			t.Error("negative limit accepted")
		}
		return nil
	})
}

// Paging the way GetExecutionHistory does, both ways, with every page size.
func TestEventsWalk(t *testing.T) {
	s := openTemp(t)
	const n = 37
	update(t, s, func(tx *Tx) error {
		for i := 1; i <= n; i += 5 {
			if err := tx.AppendEvents("e", int64(i), evs(seq(i, min(i+4, n))...)); err != nil {
				return err
			}
		}
		return nil
	})
	for limit := 1; limit <= n+1; limit++ {
		for _, reverse := range []bool{false, true} {
			var got []int
			var after int64
			for {
				var page [][]byte
				view(t, s, func(tx *Tx) (err error) { page, err = tx.Events("e", after, limit, reverse); return })
				ids := idsOf(t, page)
				got = append(got, ids...)
				if len(ids) < limit {
					break
				}
				after = int64(ids[len(ids)-1])
			}
			want := seq(1, n)
			if reverse {
				want = seq(n, 1)
			}
			if !slices.Equal(got, want) {
				t.Errorf("limit %d reverse %v: %v", limit, reverse, got)
			}
		}
	}
}

func TestEventsAreCopies(t *testing.T) {
	s := openTemp(t)
	ev := []byte("abc")
	update(t, s, func(tx *Tx) error {
		err := tx.AppendEvents("e", 1, [][]byte{ev, {}, []byte("xyz")})
		ev[0] = 'X'
		return err
	})
	var got [][]byte
	view(t, s, func(tx *Tx) (err error) { got, err = tx.Events("e", 0, 0, false); return })
	// Read after the transaction ended: the bytes must not point into the closed map.
	if fmt.Sprintf("%q", got) != `["abc" "" "xyz"]` {
		t.Fatalf("events = %q", got)
	}
	_ = append(got[0], "!!!"...)
	if string(got[2]) != "xyz" {
		t.Errorf("appending to one event changed another: %q", got[2])
	}
}
