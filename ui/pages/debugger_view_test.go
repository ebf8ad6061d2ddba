package pages

import "testing"

// The debugger lists a window of the stopped branches that keeps the current one in it.
func TestListWindow(t *testing.T) {
	for _, c := range []struct{ n, cur, size, from, to int }{
		{3, 0, 6, 0, 3}, {100, 0, 6, 0, 6}, {100, 50, 6, 47, 53}, {100, 99, 6, 94, 100},
	} {
		if from, to := listWindow(c.n, c.cur, c.size); from != c.from || to != c.to || c.cur < from || c.cur >= to {
			t.Errorf("listWindow(%d, %d, %d) = %d, %d; want %d, %d", c.n, c.cur, c.size, from, to, c.from, c.to)
		}
	}
}
