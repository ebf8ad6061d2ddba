package graph

import "sort"

// vertexGap is the number of blank cells between two vertices of a layer.
const vertexGap = 2

// placeX gives every vertex its column. Sweeps alternate down and up the layers; in
// each, a vertex wants its anchor on the median anchor of its neighbours in the layer
// just placed, and spread settles the layer as close to those wishes as it fits.
func placeX(layers [][]*vertex) {
	for _, l := range layers {
		x := 0
		for _, v := range l {
			v.x = x
			x += v.w + vertexGap
		}
	}
	for iter := 0; iter < 8; iter++ {
		down := iter%2 == 0
		for k := range layers {
			i := k
			if !down {
				i = len(layers) - 1 - k
			}
			l := layers[i]
			want := make([]int, len(l))
			size := make([]int, len(l))
			for j, v := range l {
				size[j] = v.w
				a, ok := medianAnchor(v, down)
				if !ok {
					a = v.anchor()
				}
				want[j] = a - (v.anchor() - v.x)
			}
			for j, x := range spread(want, size, vertexGap, 1, 0) {
				l[j].x = x
			}
		}
	}
	minX := 0
	first := true
	for _, l := range layers {
		for _, v := range l {
			if first || v.x < minX {
				minX, first = v.x, false
			}
		}
	}
	for _, l := range layers {
		for _, v := range l {
			v.x -= minX
		}
	}
}

func medianAnchor(v *vertex, above bool) (int, bool) {
	var as, side []int
	ws := v.out
	if above {
		ws = v.in
	}
	for _, w := range ws {
		if w.kind != wForward {
			continue
		}
		o := w.to
		if above {
			o = w.from
		}
		if w.route.e.catch {
			side = append(side, o.anchor())
		} else {
			as = append(as, o.anchor())
		}
	}
	// Error paths are the side roads: line up with the main flow when there is one.
	if len(as) == 0 {
		as = side
	}
	if len(as) == 0 {
		return 0, false
	}
	sort.Ints(as)
	m := len(as) / 2
	if len(as)%2 == 1 {
		return as[m], true
	}
	return (as[m-1] + as[m]) / 2, true
}

// far is a column to the right of everything, where loops go to their lanes.
const far = 1 << 30

// ports picks the column of every wire end on a vertex: on a box, distinct columns two
// apart along its bottom (outgoing) and top (incoming) borders, in the order of the
// other ends so that wires leaving one box do not cross each other; on a label or
// dummy, its one line.
func (c *config) ports(b *block) {
	for _, l := range b.layers {
		for _, v := range l {
			portsOn(v, v.out, func(w *wire) int {
				if w.kind == wForward {
					return w.to.anchor()
				}
				return far
			}, func(w *wire, x int) { w.top = x })
		}
	}
	for _, l := range b.layers {
		for _, v := range l {
			portsOn(v, v.in, func(w *wire) int {
				if w.kind == wForward {
					return w.top
				}
				return far
			}, func(w *wire, x int) { w.bot = x })
		}
	}
}

func portsOn(v *vertex, ws []*wire, want func(*wire) int, set func(*wire, int)) {
	if len(ws) == 0 {
		return
	}
	if v.kind != vBox {
		for _, w := range ws {
			set(w, v.x)
		}
		return
	}
	sorted := append([]*wire(nil), ws...)
	sort.SliceStable(sorted, func(i, j int) bool { return want(sorted[i]) < want(sorted[j]) })
	wants := make([]int, len(sorted))
	ones := make([]int, len(sorted))
	for i, w := range sorted {
		wants[i] = min(want(w), v.x+v.w)
		ones[i] = 1
	}
	for i, x := range spread(wants, ones, 1, v.x+1, v.x+v.w-2) {
		set(sorted[i], x)
	}
}

// lanes gives each loop a column right of the block's content: short loops nearest,
// so that lanes nest and cross as little as they can.
func lanes(b *block) {
	var back []*route
	for _, r := range b.routes {
		if r.back {
			back = append(back, r)
		}
	}
	sort.SliceStable(back, func(i, j int) bool {
		si := back[i].tail.layer - back[i].head.layer
		sj := back[j].tail.layer - back[j].head.layer
		return si < sj
	})
	for i, r := range back {
		r.lane = b.w + 1 + 2*i
		r.exit.bot = r.lane
		r.entry.top = r.lane
	}
	if len(back) > 0 {
		b.w += 2 * len(back)
	}
}
