package hazard

import "testing"

// TestCountsMoves: each step moves a hazard's counts (reported, closed,
// major, major_closed, open_major) by exactly what it changes.
func TestCountsMoves(t *testing.T) {
	for _, c := range []struct {
		name     string
		from, to counts
		want     counts
	}{
		{"report", counts{}, countsOf("", true), counts{1, 0, 0, 0, 0}},
		{"judge major", countsOf("", true), countsOf("major", true), counts{0, 0, 1, 0, 1}},
		{"judge general", countsOf("", true), countsOf("general", true), counts{}},
		{"close major", countsOf("major", true), countsOf("major", false), counts{0, 1, 0, 1, -1}},
		{"close general", countsOf("general", true), countsOf("general", false), counts{0, 1, 0, 0, 0}},
		{"reopen major", countsOf("major", false), countsOf("major", true), counts{0, -1, 0, -1, 1}},
	} {
		if got := moved(c.from, c.to); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
