package enforce

import (
	"math"
	"strings"
	"testing"
)

// TestPlanArithmetic: 8 officers in 2026 (248 working days each, counted
// from the holiday table), 300 days of other enforcement and 420 of
// non-enforcement work, teams of two for one day each: 1,984 − 300 − 420
// = 1,264 inspection days, 632 inspections; and the figures it refuses.
func TestPlanArithmetic(t *testing.T) {
	if n := YearWorkdays(2026); n != 248 {
		t.Fatalf("2026 has %d working days, want 248", n)
	}
	c, err := Staffing{Year: 2026, Officers: 8, OtherEnforcementDays: 300, NonEnforcementDays: 420, TeamSize: 2, DaysPerInspection: 1}.Plan()
	if err != nil || c.TotalDays != 1984 || c.InspectionDays != 1264 || c.Inspections != 632 {
		t.Fatalf("capacity %+v %v", c, err)
	}
	if !strings.Contains(strings.Join(c.Steps, "\n"), "1984 − 其他执法工作日 300 − 非执法工作日 420 = 1264") || c.Provisional {
		t.Errorf("steps: %q (provisional %v)", c.Steps, c.Provisional)
	}
	// 2027's notice is not loaded: the figures say they will change.
	if c, err := (Staffing{Year: 2027, Officers: 8, TeamSize: 2, DaysPerInspection: 1}).Plan(); err != nil || !c.Provisional ||
		!strings.Contains(strings.Join(c.Steps, "\n"), "尚未载入") {
		t.Errorf("2027: %+v %v", c, err)
	}
	for _, s := range []Staffing{
		{Year: 2026, Officers: 1, TeamSize: 2, DaysPerInspection: 1},
		{Year: 2026, Officers: 8, TeamSize: 1, DaysPerInspection: 1},
		{Year: 2026, Officers: 2, TeamSize: 2, DaysPerInspection: 1, NonEnforcementDays: 600},
		{Year: 2026, Officers: 8, TeamSize: 2},
		{Year: 2026, Officers: 8, TeamSize: 2, DaysPerInspection: math.NaN()},
	} {
		if _, err := s.Plan(); err == nil {
			t.Errorf("%+v planned", s)
		}
	}
}

// TestMonthsEvenly: the months from the first take the inspections as
// evenly as they go, the earlier ones the remainder.
func TestMonthsEvenly(t *testing.T) {
	if got := Months(26, 1); got != [12]int{3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2} {
		t.Errorf("26 over the year: %v", got)
	}
	if got := Months(10, 7); got != [12]int{0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 1, 1} {
		t.Errorf("10 from July: %v", got)
	}
}

// TestCaps: the default table by sector and level (a mine without its
// class at the sector's lowest), and frequent case inspections flagged;
// the caps themselves are held by enforce_counts (service tests).
func TestCaps(t *testing.T) {
	caps := DefaultCaps()
	for _, c := range []struct {
		cats         []string
		class, level string
		want         int
	}{
		{[]string{"hazchem"}, "A", "3", 8},
		{[]string{"trade", "metallurgy"}, "B", "", 12},
		{[]string{"coal"}, "C", "1", 6},
		{[]string{"small"}, "D", "1", 1},
		{[]string{"mine"}, "", "1", 1}, // a mine whose class is not registered: the sector's lowest
		{[]string{"coal", "hazchem"}, "", "", 2},
	} {
		if got, ok := caps.Cap(c.cats, c.class, c.level); !ok || got != c.want {
			t.Errorf("cap of %v %s %q: %d %v, want %d", c.cats, c.class, c.level, got, ok, c.want)
		}
	}
	if _, ok := caps.Cap([]string{"mine"}, "E", ""); ok {
		t.Error("a mine class the table lacks has a cap")
	}
	if caps.FrequentCase(3) || !caps.FrequentCase(4) {
		t.Error("frequent case inspections are not flagged at 4")
	}
}
