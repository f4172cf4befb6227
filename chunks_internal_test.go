package drstemplate

import (
	"slices"
	"testing"
)

func TestChunkSizes(t *testing.T) {
	for _, tc := range []struct {
		n, maxTasks, exports int
		want                 []int
	}{
		{0, 1000, 10, nil},
		{1, 1000, 10, []int{1}},
		{100, 1000, 10, []int{100}},
		{101, 1000, 10, []int{51, 50}},                  // never below minChunk, spread evenly
		{1000, 1000, 10, slices.Repeat([]int{100}, 10)}, // as many exports as run at once
		{1000, 1000, 4, []int{250, 250, 250, 250}},
		{1000, 1000, 1, []int{1000}},
		{10000, 1000, 10, slices.Repeat([]int{1000}, 10)},
		{10001, 1000, 10, append([]int{910, 910}, slices.Repeat([]int{909}, 9)...)}, // more than one round: the maximum holds
		{12, 5, 10, []int{4, 4, 4}},                                                 // a small maximum holds too
		{3, 1, 10, []int{1, 1, 1}},
	} {
		got := chunkSizes(tc.n, tc.maxTasks, tc.exports)
		if !slices.Equal(got, tc.want) {
			t.Errorf("chunkSizes(%d, %d, %d) = %v, want %v", tc.n, tc.maxTasks, tc.exports, got, tc.want)
		}
	}
}

// TestChunkSizesInvariants checks every split of up to 2,500 tasks: it
// covers them all, no export carries more than the maximum, sizes differ by
// one at most, and no more exports are made than the maximum or the
// concurrency requires.
func TestChunkSizesInvariants(t *testing.T) {
	for _, maxTasks := range []int{1, 7, 100, 1000} {
		for _, exports := range []int{1, 3, 10} {
			for n := 1; n <= 2500; n++ {
				sizes := chunkSizes(n, maxTasks, exports)
				sum := 0
				for _, s := range sizes {
					sum += s
				}
				fewest := max(ceilDiv(n, maxTasks), min(exports, ceilDiv(n, minChunk)))
				if sum != n || slices.Max(sizes) > maxTasks || slices.Max(sizes)-slices.Min(sizes) > 1 || len(sizes) > fewest {
					t.Fatalf("chunkSizes(%d, %d, %d) = %d exports %v…", n, maxTasks, exports, len(sizes), sizes[:min(len(sizes), 5)])
				}
			}
		}
	}
}
