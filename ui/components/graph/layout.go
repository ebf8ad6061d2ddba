package graph

import (
	"sort"

	"github.com/stepdeck/stepdeck/interpreter/asl"
)

// The layout is layered (Sugiyama style) and built per scope: the machine, each
// Parallel branch and each Map item processor is laid out on its own into a block, and
// a Parallel or Map state is a box big enough to hold its blocks. Transitions never
// leave a scope, so no edge ever has to cross a box border.
//
// Inside a block, states sit in layers (rows), and every edge runs only through the
// channels between layers: it leaves the bottom of a box, runs along one horizontal
// track of the channel below, and enters the top of a box. Edges that skip layers pass
// through placeholder vertices (dummies) in the layers between; a Choice rule's or a
// catcher's label is a vertex of its own, so labels take room like states do and never
// sit on a line. Loops (back edges) leave through the channel below their source, climb
// a lane to the right of everything, and come in through the channel above their
// target. Because boxes, labels and dummies never share columns within a layer and
// channels hold only lines, no edge can cross a box.

type vkind uint8

const (
	vBox vkind = iota
	vLabel
	vDummy
)

type vertex struct {
	kind   vkind
	state  *asl.State // vBox
	name   string     // shown name (vBox)
	tag    string     // type tag on the top border (vBox)
	text   string     // label text (vLabel)
	dashed bool       // line style through a label or dummy
	layer  int
	pos    int // index in its layer
	seq    int // first-visit order, for stable initial ordering
	x      int
	w, h   int
	in     []*wire // from the channel above
	out    []*wire // into the channel below
	inner  []*block
	innerX []int // left of each inner block, relative to the box
}

// anchor is the column a vertex's lines line up on.
func (v *vertex) anchor() int {
	if v.kind == vBox {
		return v.x + v.w/2
	}
	return v.x
}

type wkind uint8

const (
	wForward wkind = iota // from a port above to a port below
	wExit                 // a loop leaving: from a port above to its lane, going up
	wEntry                // a loop arriving: from its lane, coming up, to a port below
)

// wire is the part of an edge inside one channel.
type wire struct {
	kind     wkind
	route    *route
	from, to *vertex // nil at the lane end
	top, bot int     // columns: wForward top→bot; wExit port→lane; wEntry lane→port
	track    int     // -1: straight down, no track
	// A dogleg (see channel.go) splits a wire in two tracks joined at column mid.
	mid, track2 int
	split       bool
}

// lo and hi are the columns the wire's horizontal part spans.
func (w *wire) lo() int { return min(w.top, w.bot) }
func (w *wire) hi() int { return max(w.top, w.bot) }

type route struct {
	e          edge
	back       bool
	lane       int // column of the lane, for loops
	tail, head *vertex
	exit       *wire
	entry      *wire
}

type channel struct {
	y, h   int
	wires  []*wire
	tracks int
}

// block is one laid-out scope; coordinates are relative to its top left corner.
type block struct {
	w, h   int
	verts  []*vertex
	layers [][]*vertex
	layerY []int
	layerH []int
	chans  []*channel // chans[i] is above layers[i]; the last one is below the last layer
	routes []*route
	scope  *asl.Scope
}

// layoutScope lays out one scope. It never fails: a scope with no states is an empty
// block.
func (c *config) layoutScope(s *asl.Scope, path string) *block {
	b := &block{scope: s}
	boxes := map[string]*vertex{}
	for _, name := range s.Order {
		st := s.States[name]
		if st == nil || boxes[name] != nil {
			continue
		}
		v := &vertex{kind: vBox, state: st, seq: -1}
		boxes[name] = v
		b.verts = append(b.verts, v)
	}
	if len(b.verts) == 0 {
		return b
	}
	edges := scopeEdges(s)
	back := backEdges(s, edges, boxes)

	// The DAG of boxes and labels, and the routes.
	type arc struct {
		to *vertex
		r  *route
	}
	out := map[*vertex][]arc{}
	indeg := map[*vertex]int{}
	link := func(a, z *vertex, r *route) {
		out[a] = append(out[a], arc{z, r})
		indeg[z]++
	}
	for i, e := range edges {
		r := &route{e: e, back: back[i]}
		b.routes = append(b.routes, r)
		src, dst := boxes[e.from], boxes[e.to]
		from := src
		if e.label != "" {
			l := &vertex{kind: vLabel, text: truncate(e.label, c.maxLabel), dashed: e.catch, seq: -1}
			b.verts = append(b.verts, l)
			link(src, l, r)
			from = l
		}
		if r.back {
			r.tail, r.head = from, dst
		} else {
			link(from, dst, r)
		}
	}

	// Layers: longest path from the start, in a topological order.
	start := boxes[s.StartAt]
	if start == nil {
		start = b.verts[0]
	}
	var queue []*vertex
	for _, v := range b.verts {
		if indeg[v] == 0 {
			queue = append(queue, v)
		}
	}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, a := range out[v] {
			if a.to.layer < v.layer+1 {
				a.to.layer = v.layer + 1
			}
			if indeg[a.to]--; indeg[a.to] == 0 {
				queue = append(queue, a.to)
			}
		}
	}
	nl := 0
	for _, v := range b.verts {
		nl = max(nl, v.layer+1)
	}

	// Segments, with dummies for arcs that skip layers.
	seg := func(a, z *vertex, r *route) {
		w := &wire{kind: wForward, route: r, from: a, to: z, track: -1}
		a.out = append(a.out, w)
		z.in = append(z.in, w)
	}
	// Walk arcs from the start first, so first-visit order follows the transitions.
	seq := 0
	var visit func(v *vertex)
	done := map[*vertex]bool{}
	visit = func(v *vertex) {
		if done[v] {
			return
		}
		done[v] = true
		v.seq = seq
		seq++
		for _, a := range out[v] {
			prev := v
			for l := v.layer + 1; l < a.to.layer; l++ {
				d := &vertex{kind: vDummy, layer: l, dashed: a.r.e.catch, w: 1, h: 1, seq: seq}
				seq++
				b.verts = append(b.verts, d)
				seg(prev, d, a.r)
				prev = d
			}
			seg(prev, a.to, a.r)
			visit(a.to)
		}
	}
	visit(start)
	for _, v := range b.verts {
		if v.kind != vDummy {
			visit(v)
		}
	}
	for _, r := range b.routes {
		if r.back {
			r.exit = &wire{kind: wExit, route: r, from: r.tail, track: -1}
			r.entry = &wire{kind: wEntry, route: r, to: r.head, track: -1}
			r.tail.out = append(r.tail.out, r.exit)
			r.head.in = append(r.head.in, r.entry)
		}
	}

	b.layers = make([][]*vertex, nl)
	for _, v := range b.verts {
		b.layers[v.layer] = append(b.layers[v.layer], v)
	}
	for _, l := range b.layers {
		sort.SliceStable(l, func(i, j int) bool { return l[i].seq < l[j].seq })
		for i, v := range l {
			v.pos = i
		}
	}
	orderLayers(b.layers)

	for _, v := range b.verts {
		c.size(v, path)
	}
	placeX(b.layers)
	b.w = 0
	for _, v := range b.verts {
		b.w = max(b.w, v.x+v.w)
	}
	c.ports(b)
	lanes(b)
	b.chans = make([]*channel, nl+1)
	for i := range b.chans {
		b.chans[i] = &channel{}
	}
	for _, v := range b.verts {
		for _, w := range v.out {
			if w.kind == wForward {
				b.chans[v.layer+1].wires = append(b.chans[v.layer+1].wires, w)
			}
		}
	}
	for _, r := range b.routes {
		if r.back {
			b.chans[r.tail.layer+1].wires = append(b.chans[r.tail.layer+1].wires, r.exit)
			b.chans[r.head.layer].wires = append(b.chans[r.head.layer].wires, r.entry)
		}
	}
	for _, ch := range b.chans {
		ch.assign(b.w)
	}

	// Rows.
	b.layerY = make([]int, nl)
	b.layerH = make([]int, nl)
	y := 0
	for i := 0; i < nl; i++ {
		ch := b.chans[i]
		ch.y = y
		y += ch.h
		b.layerY[i] = y
		h := 1
		for _, v := range b.layers[i] {
			h = max(h, v.h)
		}
		b.layerH[i] = h
		y += h
	}
	last := b.chans[nl]
	last.y = y
	y += last.h
	b.h = y
	return b
}

// backEdges marks the edges that close a loop: those that reach a state still on the
// depth-first path from the start. Removing them leaves a DAG to layer.
func backEdges(s *asl.Scope, edges []edge, boxes map[string]*vertex) []bool {
	back := make([]bool, len(edges))
	outs := map[string][]int{}
	for i, e := range edges {
		outs[e.from] = append(outs[e.from], i)
	}
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	type frame struct {
		name string
		next int
	}
	run := func(root string) {
		if color[root] != white {
			return
		}
		stack := []frame{{root, 0}}
		color[root] = grey
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next == len(outs[f.name]) {
				color[f.name] = black
				stack = stack[:len(stack)-1]
				continue
			}
			i := outs[f.name][f.next]
			f.next++
			switch color[edges[i].to] {
			case grey:
				back[i] = true
			case white:
				color[edges[i].to] = grey
				stack = append(stack, frame{edges[i].to, 0})
			}
		}
	}
	if boxes[s.StartAt] != nil {
		run(s.StartAt)
	}
	for _, name := range s.Order {
		if boxes[name] != nil {
			run(name)
		}
	}
	return back
}
