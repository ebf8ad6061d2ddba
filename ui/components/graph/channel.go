package graph

import "sort"

// A channel is the band of rows between two layers. Each wire that changes column
// gets a track (a row) for its horizontal run; the last row holds the arrowheads.
//
// Tracks are dealt out with the left-edge algorithm, with one rule on top: where one
// wire leaves from the column another arrives at, the leaving wire must turn off
// before the arriving one turns in, so it takes a higher track. Such rules can form a
// cycle (two wires each arriving where the other leaves); a wire on the cycle is then
// split into a dogleg through a free column, which always breaks it.

type trackItem struct {
	w        *wire
	part     int // 0 the whole wire; 1 and 2 the halves of a dogleg
	lo, hi   int
	preds    []*trackItem // items that must sit on a higher track
	assigned bool
	track    int
}

func (ch *channel) assign(contentW int) {
	if len(ch.wires) == 0 {
		ch.h = 0
		return
	}
	topAt := map[int]*wire{}
	botAt := map[int]*wire{}
	for _, w := range ch.wires {
		w.track, w.split = -1, false
		switch w.kind {
		case wForward:
			topAt[w.top] = w
			botAt[w.bot] = w
		case wExit:
			topAt[w.top] = w
			topAt[w.bot] = w
		case wEntry:
			botAt[w.top] = w
			botAt[w.bot] = w
		}
	}
	items := map[*wire]*trackItem{}
	var list []*trackItem
	for _, w := range ch.wires {
		if w.kind == wForward && w.top == w.bot {
			continue
		}
		it := &trackItem{w: w, lo: w.lo(), hi: w.hi()}
		items[w] = it
		list = append(list, it)
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].lo < list[j].lo })
	var cols []int
	for col := range topAt {
		cols = append(cols, col)
	}
	sort.Ints(cols)
	for _, col := range cols {
		tw, bw := topAt[col], botAt[col]
		if bw == nil || bw == tw || items[bw] == nil || items[tw] == nil {
			continue
		}
		items[bw].preds = append(items[bw].preds, items[tw])
	}
	used := map[int]bool{}
	for col := range topAt {
		used[col] = true
	}
	for col := range botAt {
		used[col] = true
	}

	remaining := append([]*trackItem(nil), list...)
	track := 0
	for len(remaining) > 0 {
		var ready []*trackItem
		for _, it := range remaining {
			ok := true
			for _, p := range it.preds {
				if !p.assigned {
					ok = false
					break
				}
			}
			if ok {
				ready = append(ready, it)
			}
		}
		if len(ready) == 0 {
			it := onCycle(remaining)
			mid, ok := freeColumn(used, contentW, it.w.top, it.w.bot)
			if !ok {
				it.preds = nil // no way round: draw it anyway
				continue
			}
			used[mid] = true
			remaining = splitItem(it, mid, list, remaining)
			list = append(list, remaining[len(remaining)-2:]...)
			continue
		}
		// The wire that starts farthest out turns first: leftward wires in the order
		// of their top column, rightward ones in reverse. A fan of wires from one box
		// then nests without crossing itself.
		sort.SliceStable(ready, func(i, j int) bool { return ready[i].priority() < ready[j].priority() })
		var taken [][2]int
		for _, it := range ready {
			free := true
			for _, t := range taken {
				if it.lo <= t[1]+1 && t[0] <= it.hi+1 {
					free = false
					break
				}
			}
			if free {
				it.assigned, it.track = true, track
				taken = append(taken, [2]int{it.lo, it.hi})
			}
		}
		kept := remaining[:0]
		for _, it := range remaining {
			if !it.assigned {
				kept = append(kept, it)
			}
		}
		remaining = kept
		track++
	}
	for _, it := range list {
		switch it.part {
		case 0:
			if !it.w.split {
				it.w.track = it.track
			}
		case 1:
			it.w.track = it.track
		case 2:
			it.w.track2 = it.track
		}
	}
	ch.tracks = track
	ch.h = track + 1
}

func (it *trackItem) priority() int {
	from, to := it.w.top, it.w.bot
	switch it.part {
	case 1:
		to = it.w.mid
	case 2:
		from = it.w.mid
	}
	if to < from {
		return from
	}
	return -from
}

// onCycle follows unplaced predecessors from some item until one repeats: that one is
// on a cycle.
func onCycle(remaining []*trackItem) *trackItem {
	seen := map[*trackItem]bool{}
	it := remaining[0]
	for !seen[it] {
		seen[it] = true
		var next *trackItem
		for _, p := range it.preds {
			if !p.assigned {
				next = p
				break
			}
		}
		if next == nil {
			return it
		}
		it = next
	}
	return it
}

// splitItem replaces a whole wire by its two dogleg halves: the first half leaves from
// the wire's top column and so takes over its duty to sit above others; the second
// arrives at its bottom column and keeps its predecessors, plus the first half.
func splitItem(it *trackItem, mid int, all, remaining []*trackItem) []*trackItem {
	w := it.w
	w.split, w.mid = true, mid
	a := &trackItem{w: w, part: 1, lo: min(w.top, mid), hi: max(w.top, mid)}
	z := &trackItem{w: w, part: 2, lo: min(mid, w.bot), hi: max(mid, w.bot), preds: append(append([]*trackItem(nil), it.preds...), a)}
	for _, o := range all {
		for i, p := range o.preds {
			if p == it {
				o.preds[i] = a
			}
		}
	}
	kept := remaining[:0]
	for _, o := range remaining {
		if o != it {
			kept = append(kept, o)
		}
	}
	return append(kept, a, z)
}

// freeColumn finds a column no wire of the channel stops at, nearest the middle of
// the wire being split.
func freeColumn(used map[int]bool, contentW, a, b int) (int, bool) {
	mid := (a + b) / 2
	for d := 0; d <= contentW; d++ {
		for _, x := range [2]int{mid - d, mid + d} {
			if x >= 0 && x < contentW && !used[x] {
				return x, true
			}
		}
	}
	return 0, false
}
