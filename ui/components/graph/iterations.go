package graph

import "sort"

// Iterations tells the iteration picker about the Map state named mapName: how many
// iterations it has (for a distributed Map, how many were seen) and the status of each
// one started. sel holds the iterations chosen for enclosing Maps, as in
// Options.MapIteration. A nil Painting has none.
func (p *Painting) Iterations(mapName string, sel map[string]int) (n int, statuses map[int]Status) {
	if p == nil {
		return 0, nil
	}
	r := p.maps[mapKey(p.pathOf(mapName, sel), mapName)]
	if r == nil {
		return 0, nil
	}
	out := make(map[int]Status, len(r.iters))
	for i, s := range r.iters {
		out[i] = s
	}
	return r.length, out
}

// pathOf is the iteration path at which the Map named name runs, following the chosen
// iterations of the Maps around it.
func (p *Painting) pathOf(name string, sel map[string]int) string {
	var chain []string
	seen := map[string]bool{name: true}
	for m := p.parent[name]; m != "" && !seen[m]; m = p.parent[m] {
		seen[m] = true
		chain = append(chain, m)
	}
	path := ""
	for i := len(chain) - 1; i >= 0; i-- {
		idx, _ := p.choose(path, chain[i], sel)
		path += iterKey(chain[i], idx)
	}
	return path
}

// choose picks which iteration of a Map to paint: the one asked for, else the first
// that failed, else the last one running, else the last one started.
func (p *Painting) choose(path, name string, sel map[string]int) (idx int, length int) {
	if p == nil {
		return 0, 0
	}
	r := p.maps[mapKey(path, name)]
	if r == nil {
		if i, ok := sel[name]; ok && i >= 0 {
			return i, 0
		}
		return 0, 0
	}
	if i, ok := sel[name]; ok && i >= 0 {
		return i, r.length
	}
	keys := make([]int, 0, len(r.iters))
	for i := range r.iters {
		keys = append(keys, i)
	}
	sort.Ints(keys)
	for _, i := range keys {
		if r.iters[i] == Failed {
			return i, r.length
		}
	}
	for j := len(keys) - 1; j >= 0; j-- {
		if r.iters[keys[j]] == Running {
			return keys[j], r.length
		}
	}
	if len(keys) > 0 {
		return keys[len(keys)-1], r.length
	}
	return 0, r.length
}

// status is the status to paint for a state at an iteration path.
func (p *Painting) status(path, name string) Status {
	if p == nil {
		return NotStarted
	}
	if path == "" {
		return p.States[name]
	}
	return p.iters[path][name]
}
