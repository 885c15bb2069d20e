package mock

import "sync"

// Bounds of the memoised answers (generated replies, Power Platform pages).
const (
	maxCachedReplies = 4096      // entries; the map is dropped when full
	maxCachedBytes   = 256 << 10 // a larger body is cheap to regenerate relative to its memory
)

// boundedCache is a concurrent map that forgets everything when full: the
// memo of answers that the same seed and request make byte-identical.
type boundedCache[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

func (c *boundedCache[K, V]) load(k K) (V, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.m[k]
	return v, ok
}

// store keeps v under k unless its body (size bytes) is over maxCachedBytes.
func (c *boundedCache[K, V]) store(k K, v V, size int) {
	if size > maxCachedBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedReplies {
		c.m = make(map[K]V, 64)
	}
	c.m[k] = v
}
