package graph

import "sort"

// orderLayers reduces edge crossings between neighbouring layers with the barycenter
// heuristic: sweep down and up, sorting each layer by the mean position of its
// neighbours in the layer just swept, and keep the best order seen. Sorting is stable,
// so the first-visit order (the order transitions are written in) breaks ties, which
// keeps a Choice's targets in the order of its rules.
func orderLayers(layers [][]*vertex) {
	if len(layers) < 2 {
		return
	}
	best := snapshot(layers)
	bestX := crossings(layers)
	for iter := 0; iter < 6 && bestX > 0; iter++ {
		if iter%2 == 0 {
			for i := 1; i < len(layers); i++ {
				sortBy(layers[i], func(v *vertex) (float64, bool) { return meanPos(v.in, true) })
			}
		} else {
			for i := len(layers) - 2; i >= 0; i-- {
				sortBy(layers[i], func(v *vertex) (float64, bool) { return meanPos(v.out, false) })
			}
		}
		if x := crossings(layers); x < bestX {
			bestX = x
			best = snapshot(layers)
		}
	}
	for i := range layers {
		copy(layers[i], best[i])
		for p, v := range layers[i] {
			v.pos = p
		}
	}
}

func snapshot(layers [][]*vertex) [][]*vertex {
	s := make([][]*vertex, len(layers))
	for i, l := range layers {
		s[i] = append([]*vertex(nil), l...)
	}
	return s
}

// meanPos is the mean position of the vertices at the other end of ws.
func meanPos(ws []*wire, above bool) (float64, bool) {
	sum, n := 0, 0
	for _, w := range ws {
		if w.kind != wForward {
			continue
		}
		o := w.to
		if above {
			o = w.from
		}
		sum += o.pos
		n++
	}
	if n == 0 {
		return 0, false
	}
	return float64(sum) / float64(n), true
}

// sortBy orders a layer by key; a vertex without neighbours keeps its place.
func sortBy(l []*vertex, key func(*vertex) (float64, bool)) {
	type keyed struct {
		v *vertex
		k float64
	}
	ks := make([]keyed, len(l))
	for i, v := range l {
		k, ok := key(v)
		if !ok {
			k = float64(i)
		}
		ks[i] = keyed{v, k}
	}
	sort.SliceStable(ks, func(i, j int) bool { return ks[i].k < ks[j].k })
	for i := range ks {
		l[i] = ks[i].v
	}
	keepRuleOrder(l)
	for i, v := range l {
		v.pos = i
	}
}

// keepRuleOrder puts the labels of edges leaving one state back in the order they are
// written: a Choice's rules are tried first to last, and the graph reads left to right.
func keepRuleOrder(l []*vertex) {
	groups := map[*vertex][]int{}
	var srcs []*vertex
	for i, v := range l {
		if v.kind != vLabel || len(v.in) != 1 {
			continue
		}
		src := v.in[0].from
		if groups[src] == nil {
			srcs = append(srcs, src)
		}
		groups[src] = append(groups[src], i)
	}
	for _, src := range srcs {
		idx := groups[src]
		if len(idx) < 2 {
			continue
		}
		vs := make([]*vertex, len(idx))
		for k, i := range idx {
			vs[k] = l[i]
		}
		sort.SliceStable(vs, func(a, b int) bool { return vs[a].seq < vs[b].seq })
		for k, i := range idx {
			l[i] = vs[k]
		}
	}
}

// crossings counts pairs of forward wires that cross between each two layers.
func crossings(layers [][]*vertex) int {
	n := 0
	var ends [][2]int
	for i := 0; i+1 < len(layers); i++ {
		ends = ends[:0]
		for _, v := range layers[i] {
			for _, w := range v.out {
				if w.kind == wForward {
					ends = append(ends, [2]int{v.pos, w.to.pos})
				}
			}
		}
		for a := 0; a < len(ends); a++ {
			for z := a + 1; z < len(ends); z++ {
				p, q := ends[a], ends[z]
				if (p[0]-q[0])*(p[1]-q[1]) < 0 {
					n++
				}
			}
		}
	}
	return n
}
