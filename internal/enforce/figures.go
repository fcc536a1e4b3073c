package enforce

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"anwei/internal/enterprise"
)

// KeyRow is a 重点检查 enterprise of a plan and its inspections.
type KeyRow struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Name         string `json:"name"`
	Region       string `json:"region_code"`
	Class        string `json:"class"`
	Why          string `json:"why"`
	Wanted       int    `json:"wanted"`  // the class rule's yearly count (at least one)
	Cap          int    `json:"cap"`     // its routine cap, when the table has one
	HasCap       bool   `json:"has_cap"` // false: the table has no figure for it (asked for, never "no cap")
	Already      int    `json:"already"` // routine inspections of the year already held or planned
	Planned      int    `json:"planned"` // what the plan adds: within the cap
	Months       []int  `json:"months"`  // the month of each planned inspection
}

// Figures are a plan's capacity against its demand, worked out from the
// department's staffing, the class rule, the caps and the registry.
type Figures struct {
	Capacity       Capacity `json:"capacity"`
	Key            []KeyRow `json:"key"`
	KeyEnterprises int      `json:"key_enterprises"`
	KeyInspections int      `json:"key_inspections"`
	CapLimited     int      `json:"cap_limited"` // 重点 enterprises whose count the cap cut
	NoCap          int      `json:"no_cap"`      // enterprises the cap table has no figure for
	Pool           int      `json:"pool"`        // 一般检查: the enterprises left to 双随机
	Sampled        int      `json:"sampled"`     // inspections the sampling ratio asks of the pool
	Demand         int      `json:"demand"`
	Fits           bool     `json:"fits"`
	Verdict        string   `json:"verdict"`
	// MaxPercent is the largest sampling ratio the capacity allows, given
	// the 重点 inspections (0 when they alone do not fit).
	MaxPercent  float64  `json:"max_percent"`
	KeyDays     float64  `json:"key_days"`     // 重点检查工作日
	GeneralDays float64  `json:"general_days"` // 一般检查工作日
	Months      [12]int  `json:"months"`
	Steps       []string `json:"steps"`
}

// figures works out a plan's figures for dept.
func (s *Service) figures(ctx context.Context, q querier, dept int64, region string, in PlanInput) (Figures, error) {
	var f Figures
	c, err := in.staffing().Plan()
	if err != nil {
		return f, err
	}
	f.Capacity = c
	rule, err := s.ents.ClassRule(ctx)
	if err != nil {
		return f, err
	}
	caps, _, err := s.CapsFor(ctx, q, region)
	if err != nil {
		return f, err
	}
	rows, err := roster(ctx, q, dept, in.Year, "")
	if err != nil {
		return f, err
	}
	return plan(in, c, rule, caps, rows), nil
}

// plan is the arithmetic of figures, pure.
func plan(in PlanInput, c Capacity, rule enterprise.ClassRule, caps CapTable, rows []rosterRow) Figures {
	f := Figures{Capacity: c}
	freq := map[string]int{}
	for _, b := range rule.Classes {
		freq[b.Class] = b.Inspections
	}
	var load [12]int
	span := 13 - in.FirstMonth
	for _, r := range rows {
		key, why := r.Key()
		cap, hasCap := caps.Cap(r.Categories, "", r.StdLevel)
		if !hasCap {
			f.NoCap++
		}
		if !key {
			// The 一般检查 pool: what a draw can take (under a cap it has).
			if hasCap && r.Routine < cap {
				f.Pool++
			}
			continue
		}
		k := KeyRow{EnterpriseID: r.ID, Name: r.Name, Region: r.Region, Class: r.Class, Why: why, Wanted: max(freq[r.Class], 1),
			Cap: cap, HasCap: hasCap, Already: r.Routine}
		k.Planned = min(k.Wanted, max(cap-r.Routine, 0)) // no cap figure: nothing until the table has one
		if hasCap && k.Planned < k.Wanted {
			f.CapLimited++
		}
		k.Months = spread(&load, in.FirstMonth, span, k.Planned)
		f.Key = append(f.Key, k)
		f.KeyEnterprises++
		f.KeyInspections += k.Planned
	}
	keyMonths := load
	// Whole inspections of the pool: a ratio the verdict suggests (in
	// tenths of a per cent) gives exactly what it promises.
	f.Sampled = int(math.Ceil(float64(f.Pool)*in.SamplePercent/100 - 1e-9))
	f.Demand = f.KeyInspections + f.Sampled
	perInspection := float64(in.TeamSize) * in.DaysPerInspection
	f.KeyDays, f.GeneralDays = float64(f.KeyInspections)*perInspection, float64(f.Sampled)*perInspection
	if left := c.Inspections - f.KeyInspections; left > 0 && f.Pool > 0 {
		f.MaxPercent = float64(min(1000, left*1000/f.Pool)) / 10 // per mille, whole: never a ratio that does not fit
	}
	sampled := Months(f.Sampled, in.FirstMonth)
	for i := range f.Months {
		f.Months[i] = keyMonths[i] + sampled[i]
	}
	missing := 0
	for _, k := range f.Key {
		if !k.HasCap {
			missing++
		}
	}
	f.Fits = f.Demand <= c.Inspections && missing == 0
	f.Steps = append(slices.Clone(c.Steps),
		fmt.Sprintf("重点检查 %d 家 (A 类/重点监管名单/重大危险源)，按分级规则的年检查频次共 %d 次%s", f.KeyEnterprises, f.KeyInspections, capNote(f.CapLimited)),
		fmt.Sprintf("一般检查 (双随机) 对象 %d 家 × 抽查比例 %g%% = %d 次", f.Pool, in.SamplePercent, f.Sampled),
		fmt.Sprintf("需安排检查 %d + %d = %d 次，重点检查工作日 %g、一般检查工作日 %g", f.KeyInspections, f.Sampled, f.Demand, f.KeyDays, f.GeneralDays))
	if f.NoCap > 0 {
		f.Steps = append(f.Steps, fmt.Sprintf("有 %d 家企业在检查频次上限表中没有对应数字: 重点检查企业不排检查、一般检查企业不进名录库，请补充上限表", f.NoCap))
	}
	switch {
	case missing > 0:
		f.Verdict = fmt.Sprintf("上限表缺数字: %d 家重点检查企业在检查频次上限表中没有对应数字，补充上限表后才能审批", missing)
	case f.Fits:
		f.Verdict = fmt.Sprintf("排得下: 需 %d 次，可安排 %d 次，余 %d 次", f.Demand, c.Inspections, c.Inspections-f.Demand)
	default:
		short := f.Demand - c.Inspections
		var how []string
		if f.KeyInspections < c.Inspections && f.Pool > 0 && f.MaxPercent > 0 {
			how = append(how, fmt.Sprintf("抽查比例不超过 %g%%", f.MaxPercent))
		}
		how = append(how, fmt.Sprintf("增加约 %g 个监督检查工作日", float64(short)*perInspection))
		f.Verdict = fmt.Sprintf("排不下: 需 %d 次，只能安排 %d 次，缺 %d 次；可%s", f.Demand, c.Inspections, short, strings.Join(how, "，或"))
	}
	return f
}

func capNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("；%d 家受年检查频次上限所限已减少", n)
}

// spread places k inspections of one enterprise over the span months from
// first, evenly apart, at the offset where the months already planned
// (load) are lightest, and adds them to load: the year's 重点 inspections
// do not all start in the first month.
func spread(load *[12]int, first, span, k int) []int {
	if k <= 0 {
		return nil
	}
	gap := max(span/k, 1)
	best, bestSum := 0, -1
	for o := 0; o < gap; o++ {
		sum := 0
		for j := 0; j < k; j++ {
			sum += load[first-1+min(o+j*span/k, span-1)]
		}
		if bestSum < 0 || sum < bestSum {
			best, bestSum = o, sum
		}
	}
	out := make([]int, k)
	for j := range out {
		m := first + min(best+j*span/k, span-1)
		out[j] = m
		load[m-1]++
	}
	return out
}
