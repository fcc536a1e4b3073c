package rules

import "testing"

// Art. 113 (一) by hand: the 180-day window ending 2026-06-30 starts on
// 2026-01-02 (30 June is day 181 of 2026, so 2 January is 179 days back);
// the 365-day window starts on 2025-07-01.
func TestTallyClosure(t *testing.T) {
	cases := []struct {
		name       string
		decisions  []string
		latest     string
		in180, in3 int
		hit        bool
	}{
		{"3 within 180 days, the first on its first day", []string{"2026-01-02", "2026-04-01", "2026-06-30"}, "2026-06-30", 3, 3, true},
		{"the first a day outside: 2 in 180, 3 in the year", []string{"2026-01-01", "2026-04-01", "2026-06-30"}, "2026-06-30", 2, 3, false},
		{"4 within the year, the first on its first day", []string{"2025-07-01", "2025-10-01", "2026-03-01", "2026-06-30"}, "2026-06-30", 2, 4, true},
		{"4, the first a day outside the year", []string{"2025-06-30", "2025-10-01", "2026-03-01", "2026-06-30"}, "2026-06-30", 2, 3, false},
		{"a later decision is not counted", []string{"2026-06-01", "2026-06-02", "2026-07-01"}, "2026-06-30", 2, 2, false},
		{"across a leap day: 2028-02-29 is 179 days before 2028-08-26", []string{"2028-02-29", "2028-05-01", "2028-08-26"}, "2028-08-26", 3, 3, true},
		{"none", nil, "2026-06-30", 0, 0, false},
	}
	for _, c := range cases {
		got, err := TallyClosure(c.decisions, c.latest)
		if err != nil {
			t.Fatal(err)
		}
		if got.In180 != c.in180 || got.In365 != c.in3 || got.Hit != c.hit {
			t.Errorf("%s: %+v, want 180:%d 365:%d hit:%v", c.name, got, c.in180, c.in3, c.hit)
		}
	}
	if _, err := TallyClosure([]string{"2026-13-01"}, "2026-06-30"); err == nil {
		t.Error("a bad date counted")
	}
}

func TestCheckCriminal(t *testing.T) {
	cases := []struct {
		name string
		f    AccidentFacts
		art  string
	}{
		{"nothing", AccidentFacts{Injuries: 2, Loss: 999999.99}, ""},
		{"one death", AccidentFacts{Deaths: 1}, "第六条"},
		{"3 serious injuries", AccidentFacts{Injuries: 3}, "第六条"},
		{"exactly 100万", AccidentFacts{Loss: 1000000}, "第六条"},
		{"3 deaths, not mainly to blame", AccidentFacts{Deaths: 3}, "第六条"},
		{"3 deaths, mainly to blame", AccidentFacts{Deaths: 3, MainBlame: true}, "第七条"},
		{"9 injuries, mainly to blame", AccidentFacts{Injuries: 9, MainBlame: true}, "第六条"},
		{"10 injuries, mainly to blame", AccidentFacts{Injuries: 10, MainBlame: true}, "第七条"},
		{"500万 mainly to blame", AccidentFacts{Loss: 5000000, MainBlame: true}, "第七条"},
		{"499.99万 mainly to blame", AccidentFacts{Loss: 4999900, MainBlame: true}, "第六条"},
	}
	for _, c := range cases {
		got := CheckCriminal(c.f)
		if got.Article != c.art || got.Hit != (c.art != "") {
			t.Errorf("%s: %+v, want %q", c.name, got, c.art)
		}
	}
}
