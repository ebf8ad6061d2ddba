package graph

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"charm.land/lipgloss/v2"

	"github.com/stepdeck/stepdeck/interpreter/asl"
)

// The checker reads a rendered graph back from its characters alone, as a person
// would: it finds the boxes, reads the names in them, and follows every line from the
// port it leaves by to the arrowhead it ends at. It is the oracle of the width sweeps
// and the fuzz test: every state drawn once, every edge of the definition drawn as one
// unbroken line between the right boxes, and no stray line anywhere.

type gridBox struct {
	x, y, x2, y2 int
	name         string
}

type grid struct {
	cells [][]rune // 0 for the right half of a wide rune
	boxes []gridBox
}

func (g *grid) at(x, y int) rune {
	if y < 0 || y >= len(g.cells) || x < 0 || x >= len(g.cells[y]) {
		return ' '
	}
	return g.cells[y][x]
}

func parseGrid(s string) *grid {
	g := &grid{}
	for _, line := range strings.Split(s, "\n") {
		var row []rune
		for _, r := range line {
			row = append(row, r)
			if runeWidth(r) == 2 {
				row = append(row, 0)
			}
		}
		g.cells = append(g.cells, row)
	}
	return g
}

func isTopLeft(r rune) bool  { return r == '┌' || r == '┏' }
func isTopRight(r rune) bool { return r == '┐' || r == '┓' }
func isBotLeft(r rune) bool  { return r == '└' || r == '┗' }
func isBotRight(r rune) bool { return r == '┘' || r == '┛' }
func isVBorder(r rune) bool  { return r == '│' || r == '┃' }
func isHBorder(r rune) bool  { return r == '─' || r == '━' || r == '┬' || r == '┯' }

// findBoxes finds every rectangle of box corners and borders.
func (g *grid) findBoxes() {
	for y, row := range g.cells {
		for x, r := range row {
			if !isTopLeft(r) {
				continue
			}
			x2 := -1
			for i := x + 1; i < len(row); i++ {
				if isTopRight(row[i]) {
					x2 = i
					break
				}
			}
			if x2 < 0 {
				continue
			}
			y2 := -1
			for j := y + 1; j < len(g.cells); j++ {
				c := g.at(x, j)
				if isBotLeft(c) {
					y2 = j
					break
				}
				if !isVBorder(c) {
					break
				}
			}
			if y2 < 0 || !isBotRight(g.at(x2, y2)) {
				continue
			}
			ok := true
			for j := y + 1; j < y2; j++ {
				if !isVBorder(g.at(x2, j)) {
					ok = false
				}
			}
			for i := x + 1; i < x2; i++ {
				if !isHBorder(g.at(i, y2)) {
					ok = false
				}
			}
			if !ok {
				continue
			}
			var name []rune
			for i := x + 1; i < x2; i++ {
				if c := g.at(i, y+1); c != 0 {
					name = append(name, c)
				}
			}
			n := strings.TrimSpace(string(name))
			for _, s := range []Status{Running, Succeeded, Failed, Caught, Waiting, Aborted} {
				n = strings.TrimPrefix(n, s.Marker()+" ")
			}
			g.boxes = append(g.boxes, gridBox{x: x, y: y, x2: x2, y2: y2, name: strings.TrimSpace(n)})
		}
	}
}

type tracedEdge struct {
	from, to string
	dashed   bool
}

func (e tracedEdge) String() string {
	k := "->"
	if e.dashed {
		k = "~>"
	}
	return e.from + " " + k + " " + e.to
}

// matchName maps a drawn name back to a state, allowing for truncation with "…".
func matchName(drawn string, names []string) (string, bool) {
	for _, n := range names {
		if clean(n) == drawn {
			return n, true
		}
	}
	if p, ok := strings.CutSuffix(drawn, "…"); ok {
		var hit []string
		for _, n := range names {
			if strings.HasPrefix(clean(n), p) {
				hit = append(hit, n)
			}
		}
		if len(hit) >= 1 {
			return hit[0], true
		}
	}
	return "", false
}

func allNames(s *asl.Scope, out *[]string) {
	for _, n := range s.Order {
		*out = append(*out, n)
		st := s.States[n]
		for _, b := range st.Branches {
			allNames(b, out)
		}
		if st.ItemProcessor != nil {
			allNames(st.ItemProcessor, out)
		}
	}
}

func allEdges(s *asl.Scope, out *[]string) {
	for _, e := range scopeEdges(s) {
		*out = append(*out, tracedEdge{e.from, e.to, e.catch}.String())
	}
	for _, n := range s.Order {
		st := s.States[n]
		for _, b := range st.Branches {
			allEdges(b, out)
		}
		if st.ItemProcessor != nil {
			allEdges(st.ItemProcessor, out)
		}
	}
}

// checkGraph returns every problem the checker finds in a rendered graph of def
// (uncoloured); none means the drawing is faithful.
func checkGraph(def *asl.Definition, out string, maxWidth int) []string {
	var problems []string
	bad := func(format string, args ...any) {
		if len(problems) < 20 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	if !utf8.ValidString(out) {
		bad("output is not valid UTF-8")
	}
	for i, line := range strings.Split(out, "\n") {
		if w := lipgloss.Width(line); maxWidth > 0 && w > maxWidth {
			bad("line %d is %d cells wide, over %d", i+1, w, maxWidth)
		}
	}
	g := parseGrid(out)
	g.findBoxes()
	var names []string
	allNames(&def.Scope, &names)
	byBox := map[int]string{}
	count := map[string]int{}
	for i, b := range g.boxes {
		n, ok := matchName(b.name, names)
		if !ok {
			bad("box at %d,%d holds %q, not a state name", b.x, b.y, b.name)
			continue
		}
		byBox[i] = n
		count[n]++
	}
	for _, n := range names {
		if count[n] != 1 {
			bad("state %q drawn %d times", n, count[n])
		}
	}
	visited := map[[2]int]int{}
	arrows := map[[2]int]int{}
	var got []string
	for i, b := range g.boxes {
		for x := b.x + 1; x < b.x2; x++ {
			if r := g.at(x, b.y2); r != '┬' && r != '┯' {
				continue
			}
			to, dashed, err := g.trace(x, b.y2+1, visited, arrows)
			if err != "" {
				bad("edge from %q at column %d: %s", byBox[i], x, err)
				continue
			}
			got = append(got, tracedEdge{byBox[i], byBox[to], dashed}.String())
		}
	}
	var want []string
	allEdges(&def.Scope, &want)
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		bad("edges differ:\n got: %s\nwant: %s", strings.Join(got, "; "), strings.Join(want, "; "))
	}
	for y, row := range g.cells {
		for x, r := range row {
			switch r {
			case '│', '┆', '─', '┄', '╭', '╮', '╰', '╯', '┼':
				if isBoxBorderAt(g, x, y) {
					continue
				}
				if visited[[2]int{x, y}] == 0 {
					bad("stray line %q at %d,%d", r, x, y)
				}
			case '▼':
				if arrows[[2]int{x, y}] != 1 {
					bad("arrow at %d,%d reached %d times", x, y, arrows[[2]int{x, y}])
				}
			}
		}
	}
	return problems
}

func isBoxBorderAt(g *grid, x, y int) bool {
	for _, b := range g.boxes {
		if (y == b.y || y == b.y2) && x >= b.x && x <= b.x2 {
			return true
		}
		if (x == b.x || x == b.x2) && y >= b.y && y <= b.y2 {
			return true
		}
	}
	return false
}

// trace follows a line that starts at (x, y) going down, to the box its arrow enters.
func (g *grid) trace(x, y int, visited, arrows map[[2]int]int) (int, bool, string) {
	dx, dy := 0, 1
	dashed, solid := false, false
	for steps := 0; steps < 1<<20; steps++ {
		r := g.at(x, y)
		visited[[2]int{x, y}]++
		vertical := dx == 0
		switch r {
		case '┆':
			dashed = true
			fallthrough
		case '│':
			solid = solid || r == '│'
			if !vertical {
				return 0, false, fmt.Sprintf("runs sideways into %q at %d,%d", r, x, y)
			}
		case '┄':
			dashed = true
			fallthrough
		case '─':
			solid = solid || r == '─'
			if vertical {
				return 0, false, fmt.Sprintf("runs vertically into %q at %d,%d", r, x, y)
			}
		case '┼':
		case '╭', '╮', '╰', '╯':
			arms := map[rune][2][2]int{'╭': {{0, 1}, {1, 0}}, '╮': {{0, 1}, {-1, 0}}, '╰': {{0, -1}, {1, 0}}, '╯': {{0, -1}, {-1, 0}}}[r]
			// The arm we came in by points back where we came from.
			back := [2]int{-dx, -dy}
			switch back {
			case arms[0]:
				dx, dy = arms[1][0], arms[1][1]
			case arms[1]:
				dx, dy = arms[0][0], arms[0][1]
			default:
				return 0, false, fmt.Sprintf("enters corner %q at %d,%d from the wrong side", r, x, y)
			}
		case '▼':
			if dashed && solid {
				return 0, false, fmt.Sprintf("changes between solid and dashed before the arrow at %d,%d", x, y)
			}
			if dy != 1 {
				return 0, false, fmt.Sprintf("reaches an arrow at %d,%d not from above", x, y)
			}
			arrows[[2]int{x, y}]++
			for i, b := range g.boxes {
				if b.y == y+1 && x > b.x && x < b.x2 {
					return i, dashed, ""
				}
			}
			return 0, false, fmt.Sprintf("arrow at %d,%d points at no box", x, y)
		default:
			return 0, false, fmt.Sprintf("breaks at %q at %d,%d", r, x, y)
		}
		x, y = x+dx, y+dy
	}
	return 0, false, "runs forever"
}

// checkWidth reports a view larger than w×h cells.
func checkWidth(out string, w, h int) string {
	lines := strings.Split(out, "\n")
	if h > 0 && len(lines) > h {
		return fmt.Sprintf("%d lines, over %d", len(lines), h)
	}
	for i, l := range lines {
		if lw := lipgloss.Width(l); lw > w {
			return fmt.Sprintf("line %d is %d cells wide, over %d", i+1, lw, w)
		}
	}
	return ""
}
