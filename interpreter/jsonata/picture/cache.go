package picture

import "sync"

// cache keeps analysed pictures by their text. An expression applies the same picture to
// every item it formats, and analysing it (for parsing, compiling a regular expression)
// costs far more than applying it. The cache is bounded: when full it starts over, which
// is cheap and keeps a flood of distinct pictures from holding memory.
type cache[T any] struct {
	mu sync.Mutex
	m  map[string]cached[T]
}

type cached[T any] struct {
	v   T
	err error
}

const cacheSize = 512

func (c *cache[T]) get(key string, build func(string) (T, error)) (T, error) {
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return e.v, e.err
	}
	v, err := build(key)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= cacheSize {
		c.m = make(map[string]cached[T], 64)
	}
	c.m[key] = cached[T]{v, err}
	c.mu.Unlock()
	return v, err
}

var (
	datePictures cache[[]dtPart]
	dateMatchers cache[*matcher]
	intPictures  cache[*intPicture]
)
