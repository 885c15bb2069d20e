package replay

import (
	"fmt"
	"slices"
	"testing"

	"github.com/connectorlab/connectorlab/contract"
)

// TestKeptListsTheLowestIndexes: whatever order workers finish in, the
// cases kept are the first ones of the input, in input order, and each
// other one comes out exactly once (to the summary).
func TestKeptListsTheLowestIndexes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		limit      int
		order      []int
		kept, outs []int
	}{
		{3, []int{0, 1, 2, 3, 4}, []int{0, 1, 2}, []int{3, 4}},
		{3, []int{4, 3, 2, 1, 0}, []int{0, 1, 2}, []int{4, 3}},
		{2, []int{1, 5, 0, 3, 2}, []int{0, 1}, []int{5, 3, 2}},
		{-1, []int{2, 0, 1}, []int{0, 1, 2}, nil},
	} {
		k := kept{limit: tt.limit}
		var outs []int
		for _, i := range tt.order {
			if out, over := k.add(i, contract.Case{Name: fmt.Sprint(i)}); over {
				var n int
				fmt.Sscan(out.Name, &n)
				outs = append(outs, n)
			}
		}
		if !slices.Equal(k.idx, tt.kept) || !slices.Equal(outs, tt.outs) {
			t.Errorf("limit %d, order %v: kept %v, out %v; want %v, %v", tt.limit, tt.order, k.idx, outs, tt.kept, tt.outs)
		}
		for j, c := range k.cases {
			if c.Name != fmt.Sprint(k.idx[j]) {
				t.Errorf("limit %d: case %q at index %d", tt.limit, c.Name, k.idx[j])
			}
		}
	}
}
