package enforce

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/org"
	"anwei/internal/rules"
	"anwei/internal/store"
)

// CaseRules are a region's figures for cases that the law leaves to a
// rule not obtained ([U] in REGULATIONS.md): set by the office of a level
// (or inherited from the level above), else DefaultCaseRules. Each figure
// carries its note on the settings page.
type CaseRules struct {
	// HearingUnit and HearingPerson are the 较大数额 from which a fine
	// gives the party a hearing (行政处罚法 Art. 63; 应急管理部令第18号 was
	// not obtained: the old default, organisation ≥ 5万, person ≥ 2万 [U]).
	HearingUnit   float64 `json:"hearing_unit"`
	HearingPerson float64 `json:"hearing_person"`
	// StatementDays are the working days the party has for its 陈述申辩
	// after the 告知书 ([U]: the old 令第15号 gave 3 days).
	StatementDays int `json:"statement_days"`
	// ExtensionDays is how long one approved extension of the 90 days
	// runs (Art. 60 defers to the department's rule [U]: 30).
	ExtensionDays int `json:"extension_days"`
	// ReviewFrom is the fine from which 法制审核 is required (Art. 58:
	// 重大权益 — [U], by default the hearing threshold); a heard or complex
	// case always needs it. CollectiveFrom is the fine from which the
	// heads discuss the case collectively (Art. 57 second paragraph: 情节
	// 复杂或者重大违法行为 — [U], by default the hearing threshold).
	ReviewFrom     float64 `json:"review_from"`
	CollectiveFrom float64 `json:"collective_from"`
	// DailyDayBefore: 按日连续处罚 counts to the day before the re-check that
	// finds the violation corrected; false counts that day too (安全生产法
	// Art. 112 does not say [U]).
	DailyDayBefore bool `json:"daily_day_before"`
	// Discretion is the 裁量基准: for each article (and its 逾期未改正
	// step), circumstances and the range they allow. A province's table
	// replaces the default, which cuts each legal range in three ([U]).
	Discretion []DiscretionRow `json:"discretion"`
	// DrawPublishDays are the working days within which a 双随机
	// inspection's result is published (REGULATIONS.md §7.3: 20 is 市场
	// 监管's practice; a rule of 应急管理 fixing it is [U]).
	DrawPublishDays int `json:"draw_publish_days"`
	// CreditGrounds are the decisions that propose a 严重失信 listing
	// (应急管理部令第11号; its full list of grounds was not obtained [U]).
	CreditGrounds []CreditGround `json:"credit_grounds"`
}

// CreditGround is a kind of decision the blacklist rules name: a penalty
// under one of Articles, from an accident of at least MinGrade (” any),
// and only the 逾期未改正 (拒不执行) step when Uncorrected.
type CreditGround struct {
	Name        string `json:"name"`
	Articles    []int  `json:"articles"`
	MinGrade    string `json:"min_grade,omitempty"`
	Uncorrected bool   `json:"uncorrected,omitempty"`
}

// Holds tells whether a decided case is of the ground's kind.
func (g CreditGround) Holds(c PenaltyCase) bool {
	if c.Waived || !slices.Contains(g.Articles, c.Article) || (g.Uncorrected && !c.Uncorrected && c.Source != "daily") {
		return false
	}
	if g.MinGrade == "" {
		return true
	}
	return slices.Index(rules.Grades, c.Grade) >= slices.Index(rules.Grades, g.MinGrade)
}

// defaultCreditGrounds are the grounds public notices of 令第11号 name
// that a penalty decision shows (REGULATIONS.md §13 [B], articles ours [U]).
func defaultCreditGrounds() []CreditGround {
	return []CreditGround{
		{Name: "发生较大及以上生产安全责任事故", Articles: []int{95, 114}, MinGrade: "较大"},
		{Name: "重大事故隐患拒不整改 (按日连续处罚)", Articles: []int{112}},
		{Name: "拒不执行消除事故隐患的指令", Articles: []int{102}, Uncorrected: true},
	}
}

// DiscretionRow is a row of the 裁量基准: an article's circumstance and the
// fine range it allows, yuan, both ends included.
type DiscretionRow struct {
	Article      int     `json:"article"`
	Uncorrected  bool    `json:"uncorrected"`
	Tier         string  `json:"tier"` // 较轻 | 一般 | 较重
	Circumstance string  `json:"circumstance"`
	Min          float64 `json:"min"`
	Max          float64 `json:"max"`
}

// CaseRuleNotes say where each figure comes from, for the settings page.
var CaseRuleNotes = map[string]string{
	"hearing_unit":      "较大数额罚款的听证标准 (单位)。行政处罚法第六十三条；应急管理部令第18号原文未取得，原令第15号为 5 万元 [U]",
	"hearing_person":    "较大数额罚款的听证标准 (个人)，原令第15号为 2 万元 [U]",
	"statement_days":    "陈述申辩期限 (工作日)，原令第15号为 3 日 [U]",
	"extension_days":    "经负责人批准延长决定期限，每次天数 (行政处罚法第六十条“另有规定的从其规定”) [U]",
	"review_from":       "罚款达到此数额须法制审核 (第五十八条“重大权益”) [U]；听证过或情节复杂的案件均须审核",
	"collective_from":   "罚款达到此数额须负责人集体讨论 (第五十七条第二款“重大违法行为”) [U]；情节复杂的案件均须讨论",
	"daily_day_before":  "按日连续处罚计至复查认定已改正之日的前一日；否则计至当日 (安全生产法第一百一十二条未明定) [U]",
	"discretion":        "裁量基准: 各条款按情节分档的罚款幅度；默认把法定幅度三等分，应以省级应急管理部门公布的裁量基准替换 [U]",
	"draw_publish_days": "双随机抽查结果公示期限 (工作日)。国办发〔2018〕118号对执法决定为 20 个工作日，应急管理部门对抽查结果的期限未见明文 [U]；行政处罚决定为 7 个工作日 (安全生产法第七十八条，法定)",
	"credit_grounds":    "提出列入严重失信主体名单的处罚决定种类 (应急管理部令第11号的完整列入情形未取得 [U])；由作出处罚决定的部门确认后列入",
}

// DefaultCaseRules are the figures when no level set its own.
func DefaultCaseRules() CaseRules {
	r := CaseRules{HearingUnit: 50000, HearingPerson: 20000, StatementDays: 3, ExtensionDays: 30, ReviewFrom: 50000, CollectiveFrom: 50000,
		DrawPublishDays: 20}
	r.Discretion = defaultDiscretion()
	r.CreditGrounds = defaultCreditGrounds()
	return r
}

// tiers are the default cut of a legal range: the share of (max − min) each
// tier spans.
var tiers = []struct {
	name, words string
	from, to    float64
}{
	{"较轻", "初次违法、未造成危害后果、积极配合整改", 0, 0.3},
	{"一般", "违法情节一般", 0.3, 0.7},
	{"较重", "多次违法、拒不配合或者造成一定后果", 0.7, 1},
}

// defaultDiscretion cuts each violation article's ranges (first and not
// corrected) in three.
func defaultDiscretion() []DiscretionRow {
	var out []DiscretionRow
	seen := map[string]bool{}
	vs, _ := rules.Violations()
	for _, v := range vs {
		n := articleNumber(v.Article)
		for _, unc := range []bool{false, true} {
			k := fmt.Sprint(n, unc)
			if seen[k] || n == 0 {
				continue
			}
			seen[k] = true
			p, err := rules.CalcPenalty(rules.PenaltyInput{Article: n, Uncorrected: unc})
			if err != nil || p.Max == 0 {
				continue
			}
			for _, t := range tiers {
				lo := math.Round(p.Min + (p.Max-p.Min)*t.from)
				hi := math.Round(p.Min + (p.Max-p.Min)*t.to)
				out = append(out, DiscretionRow{Article: n, Uncorrected: unc, Tier: t.name, Circumstance: t.words, Min: lo, Max: hi})
			}
		}
	}
	return out
}

// articleNumber reads 第九十七条 as 97.
func articleNumber(s string) int {
	for n := 90; n <= 120; n++ {
		if rules.ArticleName(n) == s {
			return n
		}
	}
	return 0
}

// Rows are the discretion rows of an article's step.
func (r CaseRules) Rows(article int, uncorrected bool) []DiscretionRow {
	var out []DiscretionRow
	for _, d := range r.Discretion {
		if d.Article == article && d.Uncorrected == uncorrected {
			out = append(out, d)
		}
	}
	return out
}

// Validate checks the figures.
func (r CaseRules) Validate() error {
	for k, v := range map[string]float64{"hearing_unit": r.HearingUnit, "hearing_person": r.HearingPerson, "review_from": r.ReviewFrom, "collective_from": r.CollectiveFrom} {
		if err := finite(k, v); err != nil {
			return err
		}
	}
	if len(r.Discretion) > 2000 {
		return apperr.Field("discretion", "裁量基准至多 2000 行")
	}
	switch {
	case r.HearingUnit <= 0 || r.HearingPerson <= 0:
		return apperr.Field("hearing_unit", "听证标准须大于 0")
	case r.StatementDays < 1 || r.StatementDays > 30:
		return apperr.Field("statement_days", "陈述申辩期限须为 1 至 30 个工作日")
	case r.ExtensionDays < 1 || r.ExtensionDays > 90:
		return apperr.Field("extension_days", "延长期限须为 1 至 90 日")
	case r.ReviewFrom < 0 || r.CollectiveFrom < 0:
		return apperr.Field("review_from", "法制审核、集体讨论的数额不能为负")
	case r.DrawPublishDays < 1 || r.DrawPublishDays > 60:
		return apperr.Field("draw_publish_days", "抽查结果公示期限须为 1 至 60 个工作日")
	case len(r.CreditGrounds) > 50:
		return apperr.Field("credit_grounds", "失信列入情形至多 50 行")
	}
	for i, g := range r.CreditGrounds {
		bad := g.Name == "" || len([]rune(g.Name)) > 100 || len(g.Articles) == 0 || len(g.Articles) > 20 ||
			(g.MinGrade != "" && !slices.Contains(rules.Grades, g.MinGrade))
		for _, n := range g.Articles {
			bad = bad || rules.ArticleName(n) == "" || n < 90 || n > 120
		}
		if bad {
			return apperr.Field("credit_grounds", fmt.Sprintf("失信列入情形第 %d 行: 须有名称 (不超过 100 字)、安全生产法条款 (第九十条至第一百二十条) 和事故等级 (可空)", i+1))
		}
	}
	for i, d := range r.Discretion {
		if finite("discretion", d.Min) != nil || finite("discretion", d.Max) != nil || len([]rune(d.Tier)) > 20 || len([]rune(d.Circumstance)) > 200 {
			return apperr.Field("discretion", fmt.Sprintf("裁量基准第 %d 行: 金额须为非负数，档次不超过 20 字，情节不超过 200 字", i+1))
		}
		law, err := rules.CalcPenalty(rules.PenaltyInput{Article: d.Article, Uncorrected: d.Uncorrected})
		if err != nil {
			return apperr.Field("discretion", fmt.Sprintf("裁量基准第 %d 行: %v", i+1, err))
		}
		if d.Tier == "" || d.Min < law.Min || d.Max > law.Max || d.Min > d.Max {
			return apperr.Field("discretion", fmt.Sprintf("裁量基准第 %d 行 (%s%s): 幅度 %.0f–%.0f 元须在法定幅度 %.0f–%.0f 元之内且注明档次",
				i+1, rules.ArticleName(d.Article), map[bool]string{true: " 逾期未改正", false: ""}[d.Uncorrected], d.Min, d.Max, law.Min, law.Max))
		}
	}
	return nil
}

// caseRulesKey is the setting holding a region's case rules.
func caseRulesKey(region string) string { return "enforce.cases:" + region }

// CaseRulesFor is the case rules in force for a region: its own, its
// nearest ancestor's, else the default; and the region whose setting
// applies ("" for the default).
func (s *Service) CaseRulesFor(ctx context.Context, q org.RowQuerier, region string) (CaseRules, string, error) {
	for r := region; r != ""; r = parentRegion(r) {
		raw, ok, err := org.ReadSetting(ctx, q, caseRulesKey(r))
		if err != nil {
			return CaseRules{}, "", err
		}
		if ok {
			t := DefaultCaseRules() // a figure added later keeps its default
			if err := json.Unmarshal([]byte(raw), &t); err != nil {
				return CaseRules{}, "", fmt.Errorf("行政处罚案件设置损坏: %w", err)
			}
			return t, r, nil
		}
	}
	return DefaultCaseRules(), "", nil
}

// CaseRulesOf is the rules in force for the actor's region.
func (s *Service) CaseRulesOf(ctx context.Context, a *org.Actor) (CaseRules, string, error) {
	if err := a.Require(org.PermEnforceRead); err != nil {
		return CaseRules{}, "", err
	}
	return s.CaseRulesFor(ctx, s.db, a.Unit.Region)
}

// SetCaseRules sets the case rules of the actor's region (the office of a
// level, as the caps).
func (s *Service) SetCaseRules(ctx context.Context, a *org.Actor, r CaseRules) error {
	if err := a.Require(org.PermEnforceConfig); err != nil {
		return err
	}
	if a.Unit.Region == "" {
		return apperr.New(apperr.Forbidden, "本单位没有行政区划，不能设置")
	}
	if len(r.Discretion) == 0 {
		r.Discretion = defaultDiscretion()
	}
	if r.CreditGrounds == nil { // not given (an empty list is "none")
		r.CreditGrounds = defaultCreditGrounds()
	}
	if err := r.Validate(); err != nil {
		return err
	}
	before, _, err := s.CaseRulesFor(ctx, s.db, a.Unit.Region)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		if err := org.WriteSetting(ctx, tx, caseRulesKey(a.Unit.Region), string(raw)); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.case_rules", ObjectKind: "region", ObjectID: a.Unit.Region,
			Region: a.Unit.Region, Before: before.summary(), After: r.summary()})
	})
}

func (r CaseRules) summary() string {
	return fmt.Sprintf("听证 单位≥%.0f 个人≥%.0f；陈述申辩 %d 个工作日；延长 %d 日；法制审核≥%.0f；集体讨论≥%.0f；按日连续处罚计至%s；裁量基准 %d 行；抽查结果公示 %d 个工作日；失信列入情形 %d 行",
		r.HearingUnit, r.HearingPerson, r.StatementDays, r.ExtensionDays, r.ReviewFrom, r.CollectiveFrom,
		map[bool]string{true: "前一日", false: "复查当日"}[r.DailyDayBefore], len(r.Discretion), r.DrawPublishDays, len(r.CreditGrounds))
}

// yuanWords writes an amount in fen as a writ does: 人民币叁万伍仟元整.
func yuanWords(fen int64) string {
	digits := []string{"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"}
	units := []string{"", "拾", "佰", "仟"}
	big := []string{"", "万", "亿"}
	y, jiao, f := fen/100, (fen/10)%10, fen%10
	var b strings.Builder
	if y == 0 {
		b.WriteString("零")
	}
	var groups []int64
	for n := y; n > 0; n /= 10000 {
		groups = append(groups, n%10000)
	}
	zero := false
	for gi := len(groups) - 1; gi >= 0; gi-- {
		g := groups[gi]
		if g == 0 {
			zero = b.Len() > 0
			continue
		}
		for i := 3; i >= 0; i-- {
			d := (g / int64(math.Pow10(i))) % 10
			if d == 0 {
				zero = b.Len() > 0
				continue
			}
			if zero {
				b.WriteString("零")
				zero = false
			}
			b.WriteString(digits[d] + units[i])
		}
		b.WriteString(big[gi])
	}
	b.WriteString("元")
	if jiao == 0 && f == 0 {
		b.WriteString("整")
	} else {
		if jiao > 0 {
			b.WriteString(digits[jiao] + "角")
		} else {
			b.WriteString("零")
		}
		if f > 0 {
			b.WriteString(digits[f] + "分")
		}
	}
	return "人民币" + b.String()
}
