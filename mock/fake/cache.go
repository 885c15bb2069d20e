package fake

import (
	"sync"
	"sync/atomic"
)

// maxCacheEntries bounds each cache. A mock server holds a few thousand
// schemas per document; a cache that outgrows this is cleared and refilled.
const maxCacheEntries = 1 << 16

// boundedCache is a concurrent map that forgets everything once it holds
// maxCacheEntries entries, so a long-lived Generator fed transient schemas
// does not grow without bound.
type boundedCache[K comparable, V any] struct {
	m sync.Map
	n atomic.Int64
}

func (c *boundedCache[K, V]) load(k K) (V, bool) {
	v, ok := c.m.Load(k)
	if !ok {
		var zero V
		return zero, false
	}
	return v.(V), true
}

// store records v for k unless another goroutine got there first, and returns
// the value now cached, so that every caller sees one canonical value.
func (c *boundedCache[K, V]) store(k K, v V) V {
	if c.n.Add(1) > maxCacheEntries {
		c.m.Clear()
		c.n.Store(1)
	}
	actual, _ := c.m.LoadOrStore(k, v)
	return actual.(V)
}
