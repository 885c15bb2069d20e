//go:build race

package mock

// raceEnabled: the race detector instruments code with allocations of its
// own and makes sync.Pool drop items at random, so allocation counts mean
// nothing under it (TestAllocBudget skips).
const raceEnabled = true
