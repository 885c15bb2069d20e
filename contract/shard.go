package contract

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// Shard selects a deterministic subset of a suite for one of N CI jobs.
// Membership depends only on the case key, never on order or timing, so
// the union of shards 1..N is the whole suite and shards never overlap.
type Shard struct {
	Index, Total int // 1-based Index of Total; the zero value selects all
}

// ParseShard reads "i/n" (1 ≤ i ≤ n). "" is the zero Shard.
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return Shard{}, fmt.Errorf("shard %q: want i/n with 1 ≤ i ≤ n, e.g. 2/4", s)
	}
	return Shard{Index: i, Total: n}, nil
}

func (s Shard) String() string {
	if s.Total == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Total)
}

// Includes reports whether the case with this key belongs to the shard.
func (s Shard) Includes(key string) bool {
	if s.Total <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	return int(h.Sum64()%uint64(s.Total)) == s.Index-1
}
