package graph

// spread places items on a line in their given order, each as close as it can get to
// where it wants to be (least squares), with at least gap free cells between neighbours.
// It is the one tool behind both the placement of states in a layer and the placement
// of edge ports along a box side: merging clusters of items that collide, each cluster
// sitting at the mean of what its members want, gives the optimum in one pass.
//
// want[i] is where item i's left cell wants to be, size[i] its width. When lo <= hi the
// result is kept inside [lo, hi] (the caller makes sure the items fit).
func spread(want, size []int, gap, lo, hi int) []int {
	n := len(want)
	out := make([]int, n)
	if n == 0 {
		return out
	}
	type cluster struct {
		first, n int
		width    int     // from the first item's left cell to the last item's right cell
		sum      float64 // Σ (want - offset in cluster)
		pos      int
	}
	var cs []cluster
	place := func(c *cluster) {
		p := c.sum / float64(c.n)
		if p >= 0 {
			c.pos = int(p + 0.5)
		} else {
			c.pos = -int(-p + 0.5)
		}
	}
	for i := 0; i < n; i++ {
		c := cluster{first: i, n: 1, width: size[i], sum: float64(want[i])}
		place(&c)
		for len(cs) > 0 {
			prev := &cs[len(cs)-1]
			if prev.pos+prev.width+gap <= c.pos {
				break
			}
			shift := prev.width + gap
			prev.sum += c.sum - float64(c.n*shift)
			prev.n += c.n
			prev.width = shift + c.width
			place(prev)
			c = *prev
			cs = cs[:len(cs)-1]
		}
		cs = append(cs, c)
	}
	for _, c := range cs {
		x := c.pos
		for i := c.first; i < c.first+c.n; i++ {
			out[i] = x
			x += size[i] + gap
		}
	}
	if lo <= hi {
		min := lo
		for i := 0; i < n; i++ {
			if out[i] < min {
				out[i] = min
			}
			min = out[i] + size[i] + gap
		}
		max := hi + 1
		for i := n - 1; i >= 0; i-- {
			if out[i]+size[i] > max {
				out[i] = max - size[i]
			}
			max = out[i] - gap
		}
	}
	return out
}
