package pages

import "time"

// cadence times a list's refresh so that what has not changed is refreshed less and
// less often: from min after a change, half as long again after each refresh that
// changed nothing, up to max; doubled after an error (throttling above all), up to
// max. A list with something running is refreshed at least every busyMax.
type cadence struct {
	min, max, busyMax time.Duration
	cur               time.Duration
}

func newCadence(min, max, busyMax time.Duration) cadence {
	return cadence{min: min, max: max, busyMax: busyMax, cur: min}
}

// next is the wait before the refresh after one that changed something or not, failed
// or not, and found something running or not.
func (c *cadence) next(changed, failed, busy bool) time.Duration {
	switch {
	case failed:
		c.cur = min(c.cur*2, c.max)
	case changed:
		c.cur = c.min
	default:
		c.cur = min(c.cur+c.cur/2, c.max)
	}
	if busy && !failed {
		return min(c.cur, c.busyMax)
	}
	return c.cur
}

// reset starts again from min (the user asked for a refresh, or the filter changed).
func (c *cadence) reset() { c.cur = c.min }
