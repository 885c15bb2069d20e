package contract

import (
	"fmt"
	"testing"
)

func TestShardPartitions(t *testing.T) {
	const n = 3
	seen := map[string]int{}
	for i := 1; i <= n; i++ {
		s, err := ParseShard(fmt.Sprintf("%d/%d", i, n))
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < 300; k++ {
			if s.Includes(fmt.Sprint(k)) {
				seen[fmt.Sprint(k)]++
			}
		}
	}
	if len(seen) != 300 {
		t.Fatalf("shards cover %d of 300 keys", len(seen))
	}
	for k, c := range seen {
		if c != 1 {
			t.Fatalf("key %s in %d shards", k, c)
		}
	}
	for _, bad := range []string{"0/2", "3/2", "x", "1/0", "1-2"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
}

func TestDedupeCounts(t *testing.T) {
	fs := Dedupe([]Finding{{ID: "a", Field: "x"}, {ID: "a", Field: "x", Count: 2}, {ID: "b"}})
	if len(fs) != 2 || fs[0].Count != 3 {
		t.Fatalf("%+v", fs)
	}
}
