package web

import "testing"

// TestShareRoundsAndSaysWhenThereIsNothing: rates are rounded, not cut
// (8 of 12 is 66.7%), and a rate over no items is "—", not 100% (issue
// 14.6).
func TestShareRoundsAndSaysWhenThereIsNothing(t *testing.T) {
	for _, c := range []struct {
		n, d int
		want string
	}{{8, 12, "66.7%"}, {2, 3, "66.7%"}, {1, 3, "33.3%"}, {1, 8, "12.5%"}, {12, 12, "100%"}, {0, 5, "0%"}, {0, 0, "—"}, {3, 2, "100%"}, {1999, 2000, "99.9%"}, {1, 3000, "0.1%"}} {
		if got := share(c.n, c.d); got != c.want {
			t.Errorf("share(%d, %d) = %s, want %s", c.n, c.d, got, c.want)
		}
	}
}
