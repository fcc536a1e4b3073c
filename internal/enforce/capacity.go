package enforce

import (
	"fmt"
	"math"
	"time"

	"anwei/internal/calendar"
)

// The annual inspection plan's arithmetic (年度监督检查计划, 安全生产法
// Art. 62; 《安全生产年度监督检查计划编制办法》安监总政法〔2017〕150号,
// REGULATIONS.md §7.2):
//
//	总法定工作日 = 法定工作日/人 × 执法人员数
//	监督检查工作日 = 总法定工作日 − 其他执法工作日 − 非执法工作日
//
// and the inspections those days allow: each takes a team (at least two
// officers, 行政处罚法 Art. 42) for some working days — a local figure
// (REGULATIONS marks none national), so configuration with its note.

// Staffing is what a department brings to its year.
type Staffing struct {
	Year     int `json:"year"`
	Officers int `json:"officers"` // 执法人员数 (certified)
	// OtherEnforcementDays are the 其他执法工作日 of all officers together:
	// 综合监管, 行政许可, 事故调查, 投诉举报核查, 联合执法 …
	OtherEnforcementDays int `json:"other_enforcement_days"`
	// NonEnforcementDays are the 非执法工作日: 值班, 学习培训会议, 指导下级,
	// 病事假, 年休假 …
	NonEnforcementDays int `json:"non_enforcement_days"`
	// TeamSize is the officers an inspection takes (≥ MinOfficers) and
	// DaysPerInspection the working days each spends on one, travel and
	// writing up included: [U] a local figure, for the department to set.
	TeamSize          int     `json:"team_size"`
	DaysPerInspection float64 `json:"days_per_inspection"`
}

// Capacity is what the staffing allows, with the arithmetic shown.
type Capacity struct {
	WorkdaysPerOfficer int      `json:"workdays_per_officer"` // 法定工作日/人: the year's working days
	TotalDays          int      `json:"total_days"`           // 总法定工作日
	InspectionDays     int      `json:"inspection_days"`      // 监督检查工作日
	Inspections        int      `json:"inspections"`          // inspections those days allow
	Steps              []string `json:"steps"`                // the arithmetic, in words
	// Provisional: the year's holiday notice is not loaded, so its working
	// days count only weekends and the holidays fixed by date (some ten
	// too many); the figures change when the notice is imported.
	Provisional bool `json:"provisional"`
}

// YearWorkdays counts the working days of a year (calendar.IsWorkday).
func YearWorkdays(year int) int {
	n := 0
	for d := time.Date(year, 1, 1, 12, 0, 0, 0, calendar.Shanghai); d.Year() == year; d = d.AddDate(0, 0, 1) {
		if calendar.IsWorkday(d) {
			n++
		}
	}
	return n
}

// Plan works out the capacity of s, or says which figure cannot be.
func (s Staffing) Plan() (Capacity, error) {
	switch {
	case s.Year < 2000 || s.Year > 2100:
		return Capacity{}, fmt.Errorf("计划年度「%d」应为四位年份", s.Year)
	case s.Officers < MinOfficers:
		return Capacity{}, fmt.Errorf("执法人员至少 %d 名 (行政处罚法第四十二条)", MinOfficers)
	case s.TeamSize < MinOfficers:
		return Capacity{}, fmt.Errorf("每组检查至少 %d 名执法人员 (行政处罚法第四十二条)", MinOfficers)
	case s.OtherEnforcementDays < 0 || s.NonEnforcementDays < 0:
		return Capacity{}, fmt.Errorf("其他执法工作日、非执法工作日不能为负")
	case !(s.DaysPerInspection > 0) || s.DaysPerInspection > 30 || s.Officers > 10000:
		return Capacity{}, fmt.Errorf("每次检查所需工作日应在 0–30 之间，执法人员不超过 10000 名")
	}
	c := Capacity{WorkdaysPerOfficer: YearWorkdays(s.Year), Provisional: !calendar.YearKnown(s.Year)}
	c.TotalDays = c.WorkdaysPerOfficer * s.Officers
	c.InspectionDays = c.TotalDays - s.OtherEnforcementDays - s.NonEnforcementDays
	if c.InspectionDays < 0 {
		return Capacity{}, fmt.Errorf("其他执法工作日与非执法工作日合计 %d 天，超过总法定工作日 %d 天", s.OtherEnforcementDays+s.NonEnforcementDays, c.TotalDays)
	}
	c.Inspections = int(math.Floor(float64(c.InspectionDays) / (float64(s.TeamSize) * s.DaysPerInspection)))
	c.Steps = []string{
		fmt.Sprintf("总法定工作日 = 法定工作日/人 %d × 执法人员 %d = %d", c.WorkdaysPerOfficer, s.Officers, c.TotalDays),
		fmt.Sprintf("监督检查工作日 = %d − 其他执法工作日 %d − 非执法工作日 %d = %d", c.TotalDays, s.OtherEnforcementDays, s.NonEnforcementDays, c.InspectionDays),
		fmt.Sprintf("可安排检查 = %d ÷ (每组 %d 人 × 每次 %g 个工作日) = %d 次", c.InspectionDays, s.TeamSize, s.DaysPerInspection, c.Inspections),
	}
	if c.Provisional {
		c.Steps = append(c.Steps, fmt.Sprintf("%d 年的放假通知尚未载入: 法定工作日只扣除周末和按日期固定的节日，系统管理员在「节假日安排」载入通知后会减少", s.Year))
	}
	return c, nil
}

// Months spreads n inspections over the months from first to 12 as evenly
// as they go, the earlier months taking the remainder: 26 over 12 months is
// 3, 3, 2, 2, ….
func Months(n, first int) [12]int {
	var out [12]int
	first = min(max(first, 1), 12)
	k := 13 - first
	for i := 0; i < k; i++ {
		out[first-1+i] = n / k
		if i < n%k {
			out[first-1+i]++
		}
	}
	return out
}
