package rules

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestBandsEncodeAndReadBack: every method's bands encode (open ends as
// null, which JSON can hold and NaN cannot) and read back as the same bands.
func TestBandsEncodeAndReadBack(t *testing.T) {
	for _, mv := range [][2]string{{"lec", "default"}, {"ls", "A"}, {"ls", "B"}} {
		bands, err := RiskBands(mv[0], mv[1])
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(bands)
		if err != nil {
			t.Fatalf("%v: %v", mv, err)
		}
		if !strings.Contains(string(raw), "null") {
			t.Errorf("%v: no open end written as null: %s", mv, raw)
		}
		var back []Band
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		if len(back) != len(bands) {
			t.Fatalf("%v: %d bands read back, %d written", mv, len(back), len(bands))
		}
		for i := range bands {
			same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
			if back[i].Level != bands[i].Level || back[i].Colour != bands[i].Colour || back[i].Meaning != bands[i].Meaning ||
				!same(back[i].Min, bands[i].Min) || !same(back[i].Max, bands[i].Max) {
				t.Errorf("%v band %d: read back %+v, wrote %+v", mv, i, back[i], bands[i])
			}
		}
	}
}
