package calendar

import (
	"testing"
	"time"
)

func TestAddWorkdays(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-03-31", 5, "2026-04-08"}, // 清明 4–6 April
		{"2026-09-30", 5, "2026-10-13"}, // 国庆 1–7 October; Saturday 10 October works
		{"2026-06-30", 5, "2026-07-07"},
		{"2026-12-31", 5, "2027-01-08"}, // beyond the table: weekends and 元旦
		{"2026-06-30", 0, "2026-06-30"},
	} {
		if got := AddWorkdays(day(c.from), c.n).Format("2006-01-02"); got != c.want {
			t.Errorf("%s + %d working days = %s, want %s", c.from, c.n, got, c.want)
		}
	}
	if IsWorkday(day("2026-10-01")) || !IsWorkday(day("2026-10-10")) || IsWorkday(day("2026-10-11")) {
		t.Error("国庆 2026: 1 October off, Saturday 10 October worked, Sunday 11 October off")
	}
}

// TestHolidaysRunOut: the table's end is announced from 60 days before it.
func TestHolidaysRunOut(t *testing.T) {
	end, _ := time.Parse("2006-01-02", KnownThrough())
	for day, want := range map[string]bool{end.AddDate(0, 0, -90).Format("2006-01-02"): false, end.AddDate(0, 0, -30).Format("2006-01-02"): true,
		end.AddDate(0, 0, 10).Format("2006-01-02"): true} {
		if HolidaysRunOut(day) != want {
			t.Errorf("%s: %v", day, !want)
		}
	}
}

// TestWorkdaysAfter: N 个工作日 across 调休 (国庆 2026: 1–7 October off,
// Saturday 10 October worked; 春节 2026: Saturday 14 February worked),
// and into 2027, whose notice is not loaded: provisional, 元旦 still off.
func TestWorkdaysAfter(t *testing.T) {
	for _, c := range []struct {
		from        string
		n           int
		want        string
		provisional bool
	}{
		{"2026-09-30", 3, "2026-10-10", false},
		{"2026-02-13", 1, "2026-02-14", false},
		{"2026-12-28", 5, "2027-01-05", true},
		{"2026-12-30", 1, "2026-12-31", false},
		{"2019-09-30", 1, "2019-10-01", true}, // before the table: provisional
	} {
		d, _ := time.Parse("2006-01-02", c.from)
		got := WorkdaysAfter(d, c.n)
		if got.Date != c.want || got.Provisional != c.provisional || got.Basis == "" {
			t.Errorf("%s + %d: %+v, want %s provisional %v", c.from, c.n, got, c.want, c.provisional)
		}
	}
}
