package graph

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// Line directions of a cell.
const (
	up uint8 = 1 << iota
	down
	left
	right
)

// cell is one terminal cell. A cell holds either a rune (text) or line arms (mask),
// from which its box-drawing glyph is chosen when the grid is printed, so crossing and
// joining lines need no special cases.
type cell struct {
	r      rune
	mask   uint8
	solid  bool // some line through the cell is solid
	dashed bool // some line through the cell is dashed
	box    bool // part of a box border: square corners
	heavy  bool // border of the selected box
	cont   bool // right half of a wide rune
	style  uint8
}

type canvas struct {
	w, h  int
	cells []cell
}

func newCanvas(w, h int) *canvas {
	return &canvas{w: w, h: h, cells: make([]cell, w*h)}
}

func (cv *canvas) at(x, y int) *cell {
	if x < 0 || y < 0 || x >= cv.w || y >= cv.h {
		return nil
	}
	return &cv.cells[y*cv.w+x]
}

type pen struct {
	dashed, box, heavy bool
	style              uint8
}

func (cv *canvas) mark(x, y int, arm uint8, p pen) {
	c := cv.at(x, y)
	if c == nil {
		return
	}
	c.mask |= arm
	if p.dashed {
		c.dashed = true
	} else {
		c.solid = true
	}
	c.box = c.box || p.box
	c.heavy = c.heavy || p.heavy
	if p.style != 0 && (c.style == 0 || !p.dashed) {
		c.style = p.style
	}
}

// line draws a horizontal or vertical line from (x0, y0) to (x1, y1), ends included.
func (cv *canvas) line(x0, y0, x1, y1 int, p pen) {
	dx, dy := sign(x1-x0), sign(y1-y0)
	if dx != 0 && dy != 0 {
		return
	}
	for x, y := x0, y0; x != x1 || y != y1; x, y = x+dx, y+dy {
		switch {
		case dx > 0:
			cv.mark(x, y, right, p)
			cv.mark(x+1, y, left, p)
		case dx < 0:
			cv.mark(x, y, left, p)
			cv.mark(x-1, y, right, p)
		case dy > 0:
			cv.mark(x, y, down, p)
			cv.mark(x, y+1, up, p)
		default:
			cv.mark(x, y, up, p)
			cv.mark(x, y-1, down, p)
		}
	}
}

// path draws a polyline through the given points.
func (cv *canvas) path(p pen, pts ...[2]int) {
	for i := 0; i+1 < len(pts); i++ {
		cv.line(pts[i][0], pts[i][1], pts[i+1][0], pts[i+1][1], p)
	}
}

func sign(n int) int {
	switch {
	case n > 0:
		return 1
	case n < 0:
		return -1
	}
	return 0
}

// put writes a rune over whatever is in the cell.
func (cv *canvas) put(x, y int, r rune, style uint8) {
	c := cv.at(x, y)
	if c == nil {
		return
	}
	*c = cell{r: r, style: style}
}

// text writes a cleaned string from (x, y), at most max cells; it returns the cells used.
func (cv *canvas) text(x, y int, s string, style uint8, max int) int {
	n := 0
	for _, r := range s {
		w := runeWidth(r)
		if w == 0 {
			continue
		}
		if n+w > max {
			break
		}
		cv.put(x+n, y, r, style)
		if w == 2 {
			if c := cv.at(x+n+1, y); c != nil {
				*c = cell{cont: true, style: style}
			}
		}
		n += w
	}
	return n
}

func (c *cell) glyph() rune {
	if c.r != 0 {
		return c.r
	}
	m := c.mask
	if m == 0 {
		return ' '
	}
	dashed := c.dashed && !c.solid
	if c.heavy {
		switch m {
		case left | right, left, right:
			return '━'
		case up | down, up, down:
			return '┃'
		case down | right:
			return '┏'
		case down | left:
			return '┓'
		case up | right:
			return '┗'
		case up | left:
			return '┛'
		case left | right | down:
			return '┯'
		case left | right | up:
			return '┷'
		}
	}
	switch m {
	case left | right, left, right:
		if dashed {
			return '┄'
		}
		return '─'
	case up | down, up, down:
		if dashed {
			return '┆'
		}
		return '│'
	case down | right:
		if c.box {
			return '┌'
		}
		return '╭'
	case down | left:
		if c.box {
			return '┐'
		}
		return '╮'
	case up | right:
		if c.box {
			return '└'
		}
		return '╰'
	case up | left:
		if c.box {
			return '┘'
		}
		return '╯'
	case left | right | down:
		return '┬'
	case left | right | up:
		return '┴'
	case up | down | right:
		return '├'
	case up | down | left:
		return '┤'
	}
	return '┼'
}

// String prints the columns [x0, x0+w) of rows [y0, y0+h), without trailing blanks.
func (cv *canvas) String(x0, y0, w, h int, st *styles) string {
	var b strings.Builder
	b.Grow(w * min(h, cv.h) * 2)
	color := st != nil && st.color
	var run strings.Builder
	for y := y0; y < y0+h && y < cv.h; y++ {
		if y > y0 {
			b.WriteByte('\n')
		}
		row := cv.cells[y*cv.w : (y+1)*cv.w]
		end := min(x0+w, cv.w)
		for end > x0 {
			c := &row[end-1]
			if c.r == 0 && c.mask == 0 && !c.cont {
				end--
				continue
			}
			break
		}
		cur := uint8(0)
		for x := x0; x < end; x++ {
			c := &row[x]
			r := c.glyph()
			s := c.style
			switch {
			case c.cont:
				if x != x0 {
					continue
				}
				r, s = ' ', 0
			case r >= 0x1100 && x+1 >= x0+w && runeWidth(r) == 2:
				r, s = ' ', 0
			}
			if !color {
				b.WriteRune(r)
				continue
			}
			if r == ' ' {
				s = 0
			}
			if s != cur {
				if run.Len() > 0 {
					b.WriteString(st.render(cur, run.String()))
					run.Reset()
				}
				cur = s
			}
			run.WriteRune(r)
		}
		if run.Len() > 0 {
			b.WriteString(st.render(cur, run.String()))
			run.Reset()
		}
	}
	return b.String()
}

// Styles of cells: a Status value, or one of these.
const (
	styleCatch uint8 = 16 + iota
	styleLabel
	styleTag
	styleBold uint8 = 0x80
)

// styles renders cell styles; with colour off it returns text as is.
type styles struct {
	color bool
	cache map[uint8]lipgloss.Style
}

func (st *styles) render(s uint8, text string) string {
	if st == nil || !st.color || s == 0 {
		return text
	}
	sty, ok := st.cache[s]
	if !ok {
		sty = lipgloss.NewStyle()
		switch Status(s &^ styleBold) {
		case Running:
			sty = sty.Foreground(lipgloss.Blue)
		case Succeeded:
			sty = sty.Foreground(lipgloss.Green)
		case Failed:
			sty = sty.Foreground(lipgloss.Red)
		case Caught:
			sty = sty.Foreground(lipgloss.Yellow)
		case Waiting:
			sty = sty.Foreground(lipgloss.Magenta)
		case Aborted:
			sty = sty.Foreground(lipgloss.BrightBlack)
		}
		switch s &^ styleBold {
		case styleCatch:
			sty = sty.Foreground(lipgloss.Yellow).Faint(true)
		case styleLabel:
			sty = sty.Foreground(lipgloss.Cyan)
		case styleTag:
			sty = sty.Faint(true)
		}
		if s&styleBold != 0 {
			sty = sty.Bold(true)
		}
		if st.cache == nil {
			st.cache = map[uint8]lipgloss.Style{}
		}
		st.cache[s] = sty
	}
	return sty.Render(text)
}
