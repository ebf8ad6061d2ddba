package graph

import (
	"strconv"
	"strings"

	"github.com/stepdeck/stepdeck/interpreter/asl"
)

// Outline draws def as an indented list, for terminals too narrow for the graph: each
// state once, in the order the flow first reaches it, with its transitions under it
// (except a plain Next to the very next line), and the insides of Parallel and Map
// states indented below them. Lines are cut to opts.Width.
func Outline(def *asl.Definition, statuses map[string]Status, opts Options) string {
	if def == nil {
		return ""
	}
	o := &outliner{p: painting(statuses, opts.Painting), opts: opts, st: &styles{color: opts.Color}}
	o.scope(&def.Scope, "", "")
	return strings.Join(o.lines, "\n")
}

type outliner struct {
	p     *Painting
	opts  Options
	st    *styles
	lines []string
}

func (o *outliner) add(indent, text string, style uint8) {
	line := indent + text
	if o.opts.Width > 0 {
		line = truncate(line, o.opts.Width)
	}
	if style != 0 {
		if rest, ok := strings.CutPrefix(line, indent); ok {
			line = indent + o.st.render(style, rest)
		} else {
			line = o.st.render(style, line)
		}
	}
	o.lines = append(o.lines, line)
}

// flowOrder lists a scope's states depth first from the start, following transitions
// in their written order, then any state the walk did not reach.
func flowOrder(s *asl.Scope) []string {
	seen := map[string]bool{}
	var out []string
	var walk func(string)
	walk = func(n string) {
		st := s.States[n]
		if st == nil || seen[n] {
			return
		}
		seen[n] = true
		out = append(out, n)
		for _, t := range st.Transitions() {
			walk(t)
		}
	}
	walk(s.StartAt)
	for _, n := range s.Order {
		walk(n)
	}
	return out
}

func (o *outliner) scope(s *asl.Scope, indent, path string) {
	order := flowOrder(s)
	edges := scopeEdges(s)
	for i, name := range order {
		st := s.States[name]
		status := o.p.status(path, name)
		var b strings.Builder
		if o.opts.Selected == name {
			b.WriteString("▸")
		} else {
			b.WriteString(" ")
		}
		if o.p != nil || len(o.opts.Marks) > 0 {
			b.WriteString(markOf(status, name, o.opts.Marks))
			b.WriteString(" ")
		}
		b.WriteString(clean(name))
		b.WriteString(" · ")
		tag := typeTag(st)
		if st.Type == asl.Map && o.p != nil {
			if idx, n := o.p.choose(path, name, o.opts.MapIteration); n > 0 {
				tag += " ×" + strconv.Itoa(n) + " #" + strconv.Itoa(idx)
			}
		}
		if len(st.Retry) > 0 {
			tag += " ↻" + strconv.FormatInt(retries(st), 10)
		}
		if st.End {
			tag += " · end"
		}
		b.WriteString(tag)
		style := uint8(status)
		if o.opts.Selected == name {
			style |= styleBold
		}
		o.add(indent, b.String(), style)
		switch {
		case st.Type == asl.Parallel:
			for bi, br := range st.Branches {
				o.add(indent+"  │ ", "branch "+strconv.Itoa(bi+1), styleTag)
				o.scope(br, indent+"  │ ", path)
			}
		case st.Type == asl.Map && st.ItemProcessor != nil:
			idx, _ := o.p.choose(path, name, o.opts.MapIteration)
			o.add(indent+"  │ ", "each item", styleTag)
			o.scope(st.ItemProcessor, indent+"  │ ", path+iterKey(name, idx))
		}
		var mine []edge
		for _, e := range edges {
			if e.from == name {
				mine = append(mine, e)
			}
		}
		if len(mine) == 1 && !mine[0].catch && mine[0].label == "" && i+1 < len(order) && order[i+1] == mine[0].to {
			continue
		}
		for _, e := range mine {
			arrow := "  → "
			style := uint8(0)
			if e.catch {
				arrow = "  ┄→ "
				style = styleCatch
			}
			text := arrow + clean(e.to)
			if e.label != "" {
				text += "  [" + e.label + "]"
			}
			o.add(indent, text, style)
		}
	}
}
