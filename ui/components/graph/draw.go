package graph

import "github.com/stepdeck/stepdeck/interpreter/asl"

// placed is where a state's box ended up on the canvas.
type placed struct {
	name       string
	x, y, w, h int
	layer      int // layer within its scope
	scope      *asl.Scope
	outer      string // the Parallel or Map holding it; "" at the top
}

type drawing struct {
	cv    *canvas
	boxes []placed
}

func (c *config) draw(def *asl.Definition) *drawing {
	b := c.layoutScope(&def.Scope, "")
	g := &drawing{cv: newCanvas(b.w, b.h)}
	c.drawBlock(g, b, 0, 0, "", "")
	return g
}

func (c *config) status(path, name string) Status {
	return c.paint.status(path, name)
}

func (c *config) drawBlock(g *drawing, b *block, ox, oy int, path, outer string) {
	cv := g.cv
	var arrows [][2]int
	for _, v := range b.verts {
		ly, lh := oy+b.layerY[v.layer], b.layerH[v.layer]
		switch v.kind {
		case vBox:
			x, y := ox+v.x, ly
			c.drawBox(g, v, x, y, path, outer, b.scope)
			for _, w := range v.out {
				cv.line(ox+w.top, y+v.h-1, ox+w.top, ly+lh, pen{dashed: w.route.e.catch, style: edgeStyle(w)})
			}
			for _, w := range v.in {
				arrows = append(arrows, [2]int{ox + w.bot, ly - 1})
			}
		default:
			p := pen{dashed: v.dashed}
			if v.dashed {
				p.style = styleCatch
			}
			cv.line(ox+v.x, ly-1, ox+v.x, ly+lh, p)
			if v.kind == vLabel {
				cv.text(ox+v.x+2, ly, v.text, styleLabel, v.w-2)
			}
		}
	}
	for _, ch := range b.chans {
		y, yb := oy+ch.y, oy+ch.y+ch.h-1
		for _, w := range ch.wires {
			p := pen{dashed: w.route.e.catch, style: edgeStyle(w)}
			if w.kind != wForward {
				continue
			}
			t, z := ox+w.top, ox+w.bot
			switch {
			case w.track < 0:
				cv.line(t, y, t, yb, p)
			case w.split:
				m := ox + w.mid
				cv.path(p, [2]int{t, y}, [2]int{t, y + w.track}, [2]int{m, y + w.track},
					[2]int{m, y + w.track2}, [2]int{z, y + w.track2}, [2]int{z, yb})
			default:
				cv.path(p, [2]int{t, y}, [2]int{t, y + w.track}, [2]int{z, y + w.track}, [2]int{z, yb})
			}
		}
	}
	for _, r := range b.routes {
		if !r.back {
			continue
		}
		p := pen{dashed: r.e.catch, style: edgeStyle(r.exit)}
		ex, en := b.chans[r.tail.layer+1], b.chans[r.head.layer]
		ya, yb := oy+ex.y+r.exit.track, oy+en.y+r.entry.track
		cv.path(p, [2]int{ox + r.exit.top, oy + ex.y}, [2]int{ox + r.exit.top, ya}, [2]int{ox + r.lane, ya},
			[2]int{ox + r.lane, yb}, [2]int{ox + r.entry.bot, yb}, [2]int{ox + r.entry.bot, oy + en.y + en.h - 1})
	}
	for _, a := range arrows {
		cv.put(a[0], a[1], '▼', 0)
	}
}

func edgeStyle(w *wire) uint8 {
	if w.route.e.catch {
		return styleCatch
	}
	return 0
}

func (c *config) drawBox(g *drawing, v *vertex, x, y int, path, outer string, scope *asl.Scope) {
	cv := g.cv
	st := v.state
	status := c.status(path, st.Name)
	sel := c.selected != "" && st.Name == c.selected
	style := uint8(status)
	if sel {
		style |= styleBold
	}
	p := pen{box: true, heavy: sel, style: style}
	x1, y1 := x+v.w-1, y+v.h-1
	cv.path(p, [2]int{x, y}, [2]int{x1, y}, [2]int{x1, y1}, [2]int{x, y1}, [2]int{x, y})
	cv.text(x+1, y, " "+v.tag+" ", styleTag, v.w-2)
	tx := x + 2
	if c.markers {
		cv.text(tx, y+1, markOf(status, st.Name, c.marks), style, 1)
		tx += 2
	}
	cv.text(tx, y+1, v.name, style, x1-1-tx)
	g.boxes = append(g.boxes, placed{name: st.Name, x: x, y: y, w: v.w, h: v.h, layer: v.layer, scope: scope, outer: outer})
	for i, in := range v.inner {
		ipath := path
		if st.Type == asl.Map {
			idx, _ := c.paint.choose(path, st.Name, c.sel)
			ipath = path + iterKey(st.Name, idx)
		}
		c.drawBlock(g, in, x+v.innerX[i], y+2, ipath, st.Name)
	}
}

// markOf is a state's one-cell sign: its own mark when it has one, else its status's.
func markOf(s Status, name string, marks map[string]string) string {
	if m, ok := marks[name]; ok {
		return m
	}
	return s.Marker()
}
