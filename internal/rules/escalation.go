package rules

import (
	"fmt"
	"time"
)

// Closure is 安全生产法 Art. 113 (一)'s count for one enterprise: the
// penalties under the Law decided within 180 days and within one year up
// to and including the latest decision (REGULATIONS.md §2.3 [A]).
type Closure struct {
	Latest string `json:"latest"` // the latest decision's date
	In180  int    `json:"in_180"` // decisions dated latest−179 … latest
	In365  int    `json:"in_365"` // decisions dated latest−364 … latest
	// Hit: 3 or more within 180 days, or 4 or more within the year. With
	// an open 重大事故隐患 the department may 提请 the local government to
	// close the enterprise.
	Hit bool `json:"hit"`
}

// Closure windows and counts (Art. 113 (一): "一百八十日内三次或者一年内四次
// 以上"). As issue 25 reads it, counted by decision date over the 180 (365)
// days up to and including the latest decision: a window of N days holds
// the latest decision's day and the N−1 days before it, and a year is 365
// days. (民法典 Art. 201's rule that the first day is not counted would
// take one day more, and a calendar year across 29 February 366 days: a
// reading to settle with the province's rules [U].)
const (
	ClosureShortDays  = 180
	ClosureShortCount = 3
	ClosureYearDays   = 365
	ClosureYearCount  = 4
)

// ClosureBasis cites the trigger.
const ClosureBasis = safetyLaw + "第一百一十三条第（一）项：存在重大事故隐患，一百八十日内三次或者一年内四次以上受到本法规定的行政处罚的，提请地方人民政府予以关闭"

// TallyClosure counts decisions (YYYY-MM-DD, any order; dates after latest
// are not counted) for Art. 113 up to latest. A daily penalty's accruals
// are one decision, not one a day: pass each decision once.
func TallyClosure(decisions []string, latest string) (Closure, error) {
	end, err := time.Parse(time.DateOnly, latest)
	if err != nil {
		return Closure{}, fmt.Errorf("最近一次处罚决定的日期 %q 不是 YYYY-MM-DD: %w", latest, err)
	}
	c := Closure{Latest: latest}
	for _, d := range decisions {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return Closure{}, fmt.Errorf("处罚决定的日期 %q 不是 YYYY-MM-DD: %w", d, err)
		}
		back := int(end.Sub(t).Hours() / 24)
		if back < 0 {
			continue
		}
		if back < ClosureShortDays {
			c.In180++
		}
		if back < ClosureYearDays {
			c.In365++
		}
	}
	c.Hit = c.In180 >= ClosureShortCount || c.In365 >= ClosureYearCount
	return c, nil
}

// AccidentFacts are what the criminal thresholds read from an accident.
type AccidentFacts struct {
	Deaths    int     `json:"deaths"`
	Injuries  int     `json:"injuries"` // 重伤
	Loss      float64 `json:"loss"`     // 直接经济损失, yuan
	MainBlame bool    `json:"main_blame"`
}

// Criminal is whether an accident's facts reach a criminal threshold of
// 两高《关于办理危害生产安全刑事案件适用法律若干问题的解释》(2015)
// (REGULATIONS.md §1.6 [A]), so that the case is transferred (移送司法,
// 行刑衔接).
type Criminal struct {
	Hit     bool   `json:"hit"`
	Article string `json:"article,omitempty"` // 第六条 | 第七条
	Words   string `json:"words,omitempty"`
}

// CriminalBasis is the interpretation cited.
const CriminalBasis = "《最高人民法院 最高人民检察院关于办理危害生产安全刑事案件适用法律若干问题的解释》(法释〔2015〕22号)"

// CheckCriminal tells the highest threshold the facts reach: Art. 7 (情节
// 特别恶劣: 死亡3人以上 or 重伤10人以上, or 直接经济损失500万元以上, each
// 负事故主要责任), else Art. 6 (造成严重后果: 死亡1人以上, 重伤3人以上, or
// 直接经济损失100万元以上).
func CheckCriminal(f AccidentFacts) Criminal {
	loss := f.Loss / 10000
	switch {
	case f.MainBlame && (f.Deaths >= 3 || f.Injuries >= 10):
		return Criminal{true, "第七条", fmt.Sprintf("死亡 %d 人、重伤 %d 人，负事故主要责任：情节特别恶劣 (%s第七条)", f.Deaths, f.Injuries, CriminalBasis)}
	case f.MainBlame && loss >= 500:
		return Criminal{true, "第七条", fmt.Sprintf("直接经济损失 %.2f 万元，负事故主要责任：情节特别恶劣 (%s第七条)", loss, CriminalBasis)}
	case f.Deaths >= 1 || f.Injuries >= 3:
		return Criminal{true, "第六条", fmt.Sprintf("死亡 %d 人、重伤 %d 人：造成严重后果 (%s第六条)", f.Deaths, f.Injuries, CriminalBasis)}
	case loss >= 100:
		return Criminal{true, "第六条", fmt.Sprintf("直接经济损失 %.2f 万元：造成严重后果 (%s第六条)", loss, CriminalBasis)}
	}
	return Criminal{}
}
