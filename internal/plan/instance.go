package plan

import (
	"fmt"
	"time"
)

// Instance is one dated occurrence of an obligation in the plan year: what a
// unit must have done by Due (每季度至少1次 gives four, due at each quarter's end).
type Instance struct {
	Seq   int    `json:"seq"`   // 1-based within the obligation
	Label string `json:"label"` // 第1季度, 6月, 上半年 …
	Start string `json:"start"` // first day of the period
	Due   string `json:"due"`   // last day of the period, or the deadline
	Times int    `json:"times"` // how many times in the period (at least 1)
	// End is the period's last day where Due is set after it (a cadence's
	// report, due working days after the period); "" when Due is the end.
	End string `json:"-"`
}

// Instances expands an obligation into its dated instances in year. Daily
// and weekly duties are checked monthly (twelve instances, each counting the
// days or weeks of its month), since a unit reports on them at that pace.
func Instances(o Obligation, year int) ([]Instance, error) {
	times := 1
	if o.Times != nil && *o.Times > 0 {
		times = *o.Times
	}
	day := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, time.UTC) }
	span := func(seq int, label string, from, to time.Time, n int) Instance {
		return Instance{Seq: seq, Label: label, Start: from.Format("2006-01-02"), Due: to.Format("2006-01-02"), Times: n}
	}
	var out []Instance
	switch o.Kind {
	case "deadline":
		due, err := time.Parse("2006-01-02", o.Due)
		if err != nil {
			return nil, fmt.Errorf("期限 %q 不是日期", o.Due)
		}
		return []Instance{span(1, o.Cue, day(1, 1), due, times)}, nil
	case "recurring":
	default:
		return nil, fmt.Errorf("未知的时限类别 %q", o.Kind)
	}
	switch o.Period {
	case "year", "two-years":
		out = append(out, span(1, fmt.Sprintf("%d年", year), day(1, 1), day(12, 31), times))
	case "half-year":
		out = append(out, span(1, "上半年", day(1, 1), day(6, 30), times), span(2, "下半年", day(7, 1), day(12, 31), times))
	case "quarter":
		for q := 0; q < 4; q++ {
			from := day(time.Month(q*3+1), 1)
			out = append(out, span(q+1, fmt.Sprintf("第%d季度", q+1), from, from.AddDate(0, 3, -1), times))
		}
	case "month", "week", "day":
		for m := 1; m <= 12; m++ {
			from := day(time.Month(m), 1)
			to := from.AddDate(0, 1, -1)
			n := times
			switch o.Period {
			case "day":
				n = times * to.Day()
			case "week":
				n = times * (to.Day() + 6) / 7
			}
			out = append(out, span(m, fmt.Sprintf("%d月", m), from, to, n))
		}
	case "half-month":
		seq := 0
		for m := 1; m <= 12; m++ {
			from := day(time.Month(m), 1)
			seq++
			out = append(out, span(seq, fmt.Sprintf("%d月上半月", m), from, day(time.Month(m), 15), times))
			seq++
			out = append(out, span(seq, fmt.Sprintf("%d月下半月", m), day(time.Month(m), 16), from.AddDate(0, 1, -1), times))
		}
	default:
		return nil, fmt.Errorf("未知的频次 %q", o.Period)
	}
	return out, nil
}

// Periods are the frequencies an obligation may have, with their Chinese
// names, in the order the review page offers them.
var Periods = []struct{ Key, Name string }{
	{"year", "每年"}, {"half-year", "每半年"}, {"quarter", "每季度"}, {"month", "每月"},
	{"half-month", "每半月"}, {"week", "每周"}, {"day", "每天"}, {"two-years", "每两年"},
}
