// Package graph draws a state machine as a graph on a character grid: states as boxes,
// transitions as box-drawing lines, execution statuses as colours and markers. It is a
// pure builder (definition, statuses, options → string) with no I/O, plus the pure
// functions around it that the UI needs: Paint derives statuses from a history, Move
// walks the selection along the edges, Outline is the narrow-terminal fallback.
package graph

import (
	"fmt"
	"strconv"

	"github.com/stepdeck/stepdeck/interpreter/asl"
)

// Mode says how Render fits a graph to the width.
type Mode uint8

const (
	// Auto draws the graph when it fits the width, else the outline.
	Auto Mode = iota
	// Pan always draws the graph, showing the part around the selection.
	Pan
	// OutlineOnly always draws the outline.
	OutlineOnly
)

// Options control Render. The zero value draws the whole graph without colour.
type Options struct {
	// Width and Height bound the output in cells; 0 means unbounded.
	Width, Height int
	// Selected is the name of the selected state, drawn with a heavy border and kept in
	// view.
	Selected string
	// Color turns on ANSI colours. Without them statuses still show as markers.
	Color bool
	// MapIteration picks, by Map state name, the iteration whose statuses are painted
	// inside the Map. Unset Maps show the first failed iteration, else the last running,
	// else the last started.
	MapIteration map[string]int
	// Painting supplies the statuses inside Map iterations and the Maps' iteration
	// counts (see Paint). Its States are used when Render's statuses argument is nil.
	Painting *Painting
	// Mode chooses between graph and outline; see Mode.
	Mode Mode
	// ScrollX and ScrollY are the top left of the view from the previous render (see
	// Viewport). The view moves from there only as far as it must to show the
	// selection, so it does not jump while the selection walks.
	ScrollX, ScrollY int
	// Marks replace the status marker of the named states with a one-cell sign of
	// their own (the debugger's breakpoints and paused states).
	Marks map[string]string
}

// config is what the layout needs from the options.
type config struct {
	maxName, maxLabel int
	markers           bool
	paint             *Painting
	sel               map[string]int
	selected          string
	marks             map[string]string
}

// widths are the name and label widths tried, widest first, until a graph fits the
// width: whole names and labels first, so that they are cut only when they must be.
var widths = [...]int{1 << 16, 40, 32, 26, 22, 18, 14, 12, 10, 8}

// Render draws def with the given statuses (keyed by state name; nil for a plain
// definition). It never fails: an empty or nil definition draws as an empty string.
func Render(def *asl.Definition, statuses map[string]Status, opts Options) string {
	out, _, _ := render(def, statuses, opts)
	return out
}

// Viewport returns the top left corner of the part of the graph Render shows with these
// options; keep it in ScrollX and ScrollY for the next render. It is (0, 0) when the
// whole graph fits or the outline is shown.
func Viewport(def *asl.Definition, statuses map[string]Status, opts Options) (x, y int) {
	_, x, y = render(def, statuses, opts)
	return x, y
}

func render(def *asl.Definition, statuses map[string]Status, opts Options) (string, int, int) {
	if def == nil || len(def.States) == 0 {
		return "", 0, 0
	}
	p := painting(statuses, opts.Painting)
	if opts.Mode == OutlineOnly {
		return Outline(def, statuses, opts), 0, 0
	}
	g := fit(def, p, opts)
	if g == nil {
		return Outline(def, statuses, opts), 0, 0
	}
	w, h := g.cv.w, g.cv.h
	if opts.Width > 0 && opts.Width < w {
		w = opts.Width
	}
	if opts.Height > 0 && opts.Height < h {
		h = opts.Height
	}
	x0 := pan(opts.ScrollX, w, g.cv.w, g.boxes, opts.Selected, true)
	y0 := pan(opts.ScrollY, h, g.cv.h, g.boxes, opts.Selected, false)
	return g.cv.String(x0, y0, w, h, &styles{color: opts.Color}), x0, y0
}

// fit draws the graph with the longest names that fit the width, then the longest
// labels (names matter more). When none fits it returns nil, except in Pan mode, which
// keeps whole names and pans instead. It tries the widest, then the narrowest (nothing
// fits if that does not), then halves the range: a few layouts whatever the outcome.
func fit(def *asl.Definition, p *Painting, opts Options) *drawing {
	draw := func(name, label int) *drawing {
		c := &config{maxName: widths[name], maxLabel: widths[label], markers: p != nil || len(opts.Marks) > 0, paint: p,
			sel: opts.MapIteration, selected: opts.Selected, marks: opts.Marks}
		return c.draw(def)
	}
	ok := func(g *drawing) bool { return opts.Width <= 0 || g.cv.w <= opts.Width }
	widest := draw(0, 0)
	if ok(widest) {
		return widest
	}
	last := len(widths) - 1
	best := draw(last, last)
	if !ok(best) {
		if opts.Mode == Pan {
			return widest
		}
		return nil
	}
	// search finds the smallest index that fits in (lo, hi], hi known to fit
	search := func(lo, hi int, try func(int) *drawing) int {
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			if g := try(mid); ok(g) {
				hi, best = mid, g
			} else {
				lo = mid
			}
		}
		return hi
	}
	name := search(0, last, func(n int) *drawing { return draw(n, last) })
	search(0, last, func(l int) *drawing { return draw(name, l) })
	return best
}

// MinWidth is the width the graph of def takes with its names cut the most: less than
// that, Render draws the outline (in Auto mode).
func MinWidth(def *asl.Definition, opts Options) int {
	if def == nil || len(def.States) == 0 {
		return 0
	}
	last := widths[len(widths)-1]
	c := &config{maxName: last, maxLabel: last, markers: opts.Painting != nil || len(opts.Marks) > 0, paint: opts.Painting,
		sel: opts.MapIteration, selected: opts.Selected, marks: opts.Marks}
	return c.draw(def).cv.w
}

// painting merges the statuses argument with the Painting option.
func painting(statuses map[string]Status, p *Painting) *Painting {
	if statuses == nil {
		return p
	}
	q := &Painting{States: statuses}
	if p != nil {
		q.iters, q.maps, q.parent = p.iters, p.maps, p.parent
	}
	return q
}

// pan moves a window of size view over a length total from scroll just enough to show
// the selected box (all of it when it fits).
func pan(scroll, view, total int, boxes []placed, selected string, horizontal bool) int {
	if view >= total {
		return 0
	}
	for _, b := range boxes {
		if b.name != selected {
			continue
		}
		lo, size := b.y, b.h
		if horizontal {
			lo, size = b.x, b.w
		}
		hi := lo + size
		if hi-lo > view {
			hi = lo + view
		}
		if lo < scroll {
			scroll = lo
		}
		if hi > scroll+view {
			scroll = hi - view
		}
		break
	}
	return max(0, min(scroll, total-view))
}

// size measures a vertex; boxes of Parallel and Map states lay out their insides here.
func (c *config) size(v *vertex, path string) {
	switch v.kind {
	case vLabel:
		v.w, v.h = 2+width(v.text), 1
		return
	case vDummy:
		v.w, v.h = 1, 1
		return
	}
	st := v.state
	v.name = truncate(clean(st.Name), c.maxName)
	v.tag = c.tag(st, path)
	nameW := width(v.name) + 4
	if c.markers {
		nameW += 2
	}
	ports := max(len(v.in), len(v.out))
	v.w = max(nameW, width(v.tag)+4, 2*ports+1)
	v.h = 3
	var scopes []*asl.Scope
	var paths []string
	switch {
	case st.Type == asl.Parallel:
		for _, br := range st.Branches {
			scopes = append(scopes, br)
			paths = append(paths, path)
		}
	case st.Type == asl.Map && st.ItemProcessor != nil:
		idx, _ := c.paint.choose(path, st.Name, c.sel)
		scopes = append(scopes, st.ItemProcessor)
		paths = append(paths, path+iterKey(st.Name, idx))
	}
	if len(scopes) == 0 {
		return
	}
	innerW, innerH := 0, 0
	for i, s := range scopes {
		b := c.layoutScope(s, paths[i])
		if i > 0 {
			innerW += branchGap
		}
		v.inner = append(v.inner, b)
		v.innerX = append(v.innerX, innerW)
		innerW += b.w
		innerH = max(innerH, b.h)
	}
	v.w = max(v.w, innerW+4)
	v.h = innerH + 3
	shift := (v.w - innerW) / 2
	for i := range v.innerX {
		v.innerX[i] += shift
	}
}

// branchGap is the space between the branches of a Parallel.
const branchGap = 4

func (c *config) tag(st *asl.State, path string) string {
	t := typeTag(st)
	if st.Type == asl.Map && c.paint != nil {
		idx, n := c.paint.choose(path, st.Name, c.sel)
		if n > 0 {
			t += " ×" + strconv.Itoa(n) + " #" + strconv.Itoa(idx)
		}
	}
	if n := retries(st); len(st.Retry) > 0 {
		t += fmt.Sprintf(" ↻%d", n)
	}
	if st.End {
		t += " · end"
	}
	return t
}
