package enforce

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/docs"
	"anwei/internal/org"
	"anwei/internal/rules"
	"anwei/internal/store"
)

// CaseWritKinds are the writs of a case, with the 2017 catalogue's marks
// (REGULATIONS.md §14.2 [C]; 听通 and 强申 are ours [U]).
var CaseWritKinds = []WritKind{
	{"file", "立案审批表", "立", false},
	{"notice", "行政处罚告知书", "罚告", true},
	{"hearing", "听证通知书", "听通", true},
	{"decision", "行政处罚决定书", "罚", true},
	{"spot", "当场处罚决定书", "罚当", true},
	{"waive", "不予行政处罚决定书", "不罚", true},
	{"remind", "缴纳罚款催告书", "催", true},
	{"surcharge", "加处罚款决定书", "加罚", true},
	{"court", "强制执行申请书", "强申", false},
	{"close", "结案审批表", "结", false},
	{"transfer", "涉嫌犯罪案件移送书", "移", false},
}

// KindOfCaseWrit is a case writ kind by key.
func KindOfCaseWrit(key string) (WritKind, bool) {
	for _, k := range CaseWritKinds {
		if k.Key == key {
			return k, true
		}
	}
	return WritKind{}, false
}

// CaseWrit is a writ of a case as issued.
type CaseWrit struct {
	ID       int64        `json:"id"`
	CaseID   int64        `json:"case_id"`
	Kind     string       `json:"kind"`
	Title    string       `json:"title"`
	Number   string       `json:"number"`
	IssuedOn string       `json:"issued_on"`
	Fields   []docs.Field `json:"fields"`
	Basis    string       `json:"basis"`
}

// issueCaseWrit numbers and stores a writ of a case in tx.
func issueCaseWrit(ctx context.Context, tx *store.Tx, now time.Time, a *org.Actor, c PenaltyCase, kind string, fields []docs.Field, basis string) (CaseWrit, error) {
	k, ok := KindOfCaseWrit(kind)
	if !ok {
		return CaseWrit{}, fmt.Errorf("unknown case writ kind %q", kind)
	}
	// Numbered in a series of its own per kind: "case.notice" (罚告) is not
	// the inspection's "notice" (检通).
	series := k
	series.Key = "case." + k.Key
	year, number, on, err := takeNumber(ctx, tx, now, a, c.UnitID, series, c.Enterprise, fields, basis)
	if err != nil {
		return CaseWrit{}, err
	}
	w := CaseWrit{CaseID: c.ID, Kind: kind, Title: k.Title, Number: number, IssuedOn: on, Fields: fields, Basis: basis}
	raw, _ := json.Marshal(fields)
	w.ID, err = tx.InsertID(ctx, `INSERT INTO enforce_case_writs (case_id, unit_id, kind, year, number, fields, basis, issued_on, issued_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.UnitID, kind, year, number, string(raw), basis, on, a.UserID, now)
	return w, err
}

func caseWritsOf(ctx context.Context, q querier, caseID int64) ([]CaseWrit, error) {
	rows, err := q.Query(ctx, "SELECT id, case_id, kind, number, issued_on, fields, basis FROM enforce_case_writs WHERE case_id = ? ORDER BY id", caseID)
	return store.Collect(rows, err, func(r store.Scanner) (CaseWrit, error) {
		var w CaseWrit
		var raw string
		if err := r.Scan(&w.ID, &w.CaseID, &w.Kind, &w.Number, &w.IssuedOn, &raw, &w.Basis); err != nil {
			return w, err
		}
		k, _ := KindOfCaseWrit(w.Kind)
		w.Title = k.Title
		return w, json.Unmarshal([]byte(raw), &w.Fields)
	})
}

const punishLaw = "《中华人民共和国行政处罚法》"

// remedies are a decision's rights (行政处罚法 Art. 59 (五)): 行政复议
// within 60 days (行政复议法 Art. 20), 行政诉讼 within 6 months (行政诉讼法
// Art. 46); the decision is not suspended meanwhile (Art. 73).
func remedies(unit string) []string {
	return []string{fmt.Sprintf("如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"),
		"行政复议或者行政诉讼期间，本决定不停止执行，法律另有规定的除外 (行政处罚法第七十三条)。", "作出决定的机关: " + unit + "。"}
}

// payWords tell how and by when a fine is paid (Art. 67, 72).
func payWords(fen int64) []string {
	return []string{fmt.Sprintf("罚款%s (%.2f 元)，限你单位自收到本决定书之日起十五日内缴至指定银行或者通过电子支付系统缴纳 (行政处罚法第六十七条)。", yuanWords(fen), yuanOf(fen)),
		"到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额 (第七十二条)；本机关将依法申请人民法院强制执行。"}
}

// caseWritFields is what a case's writ of kind says, and its legal basis;
// extra carries a step's own words (the hearing's time and place, …).
func (s *Service) caseWritFields(ctx context.Context, q querier, c PenaltyCase, kind string, extra map[string]string) ([]docs.Field, string, error) {
	p, err := partyOf(ctx, q, c.EnterpriseID)
	if err != nil {
		return nil, "", err
	}
	ms, err := team(ctx, q, c.Officers)
	if err != nil {
		return nil, "", err
	}
	f := func(label string, v ...string) docs.Field { return docs.Field{Label: label, Value: v} }
	fields := p.head()
	fields[0].Label = "当事人" // a case's party, not an inspected unit
	violated, punish := lawWords(c)
	cite := strings.SplitN(punish, "：", 2)[0] // the citation alone, for the basis line
	evidence, err := evidenceWords(ctx, q, c.ID)
	if err != nil {
		return nil, "", err
	}
	switch kind {
	case "file":
		src := c.SourceName
		if c.SourceRef != "" {
			src += " (" + c.SourceRef + ")"
		}
		fields = append(fields, f("案件来源", src), f("违法事实", c.Facts), f("涉嫌违反", violated), f("承办人", teamWords(ms)),
			f("立案日期", docs.ChineseDate(c.FiledOn)), f("办案期限", "应当在"+docs.ChineseDate(c.DecideBy)+"前作出处理决定 (行政处罚法第六十条)"))
		return fields, punishLaw + "第五十四条、第六十条", nil
	case "notice":
		rights := []string{fmt.Sprintf("你单位有权进行陈述和申辩，请于%s前 (%s个工作日内) 向本机关提出，或者通过本平台在线提交；逾期视为放弃 (行政处罚法第四十四条、第四十五条)。",
			docs.ChineseDate(c.StatementBy), extra["statement_days"])}
		if c.HearingBy != "" {
			rights = append(rights, fmt.Sprintf("你单位有权要求听证，请于%s前 (告知后五个工作日内) 提出；逾期视为放弃 (第六十三条、第六十四条)。", docs.ChineseDate(c.HearingBy)))
		}
		rights = append(rights, "本机关不会因你单位陈述、申辩而给予更重的处罚 (第四十五条)。")
		fields = append(fields, f("违法事实", c.Facts), f("证据", evidence...), f("违反的规定", violated), f("处罚依据", punish),
			f("裁量情节", c.Tier+extra["circumstance"]), f("拟作出的行政处罚", proposedWords(c)...), f("告知事项", rights...))
		return fields, punishLaw + "第四十四条、第四十五条、第六十三条、第六十四条", nil
	case "hearing":
		fields = append(fields, f("听证时间", extra["when"]), f("听证地点", extra["place"]), f("听证主持人", extra["chair"]),
			f("告知事项", "你单位可以亲自参加听证，也可以委托一至二人代理；认为主持人与本案有直接利害关系的，有权申请回避 (行政处罚法第六十四条)。",
				"无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利，本机关终止听证。"))
		return fields, punishLaw + "第六十四条", nil
	case "decision", "spot":
		heard := []string{extra["heard"]}
		fields = append(fields, f("违法事实", c.Facts), f("证据", evidence...), f("陈述申辩和听证情况", heard...), f("违反的规定", violated),
			f("处罚依据", punish))
		decision := []string{fmt.Sprintf("对你单位处以罚款%s (%.2f 元)。", yuanWords(c.fineFen), c.Fine)}
		if c.Source == "daily" {
			decision = []string{fmt.Sprintf("你单位被责令改正且受到罚款处罚后拒不改正，依照《中华人民共和国安全生产法》第一百一十二条，自责令改正之日的次日起按照原处罚数额按日连续处罚: %s。", extra["daily"]),
				fmt.Sprintf("合计罚款%s (%.2f 元)。", yuanWords(c.fineFen), c.Fine)}
		}
		if c.Suspension {
			decision = append(decision, "责令你单位停产停业整顿。")
		}
		fields = append(fields, f("处罚决定", decision...), f("履行方式和期限", payWords(c.fineFen)...), f("救济途径", remedies(c.Unit)...))
		if kind == "spot" {
			return fields, punishLaw + "第五十一条、第五十二条；" + cite, nil
		}
		return fields, punishLaw + "第五十七条、第五十九条；" + cite, nil
	case "waive":
		fields = append(fields, f("违法事实", c.Facts), f("违反的规定", violated), f("不予处罚的理由", extra["reason"]),
			f("决定", "依照《中华人民共和国行政处罚法》第三十三条，决定对你单位不予行政处罚。你单位应当继续保持整改，再次违法的将依法处罚。"))
		return fields, punishLaw + "第三十三条", nil
	case "remind", "surcharge":
		fee, days := extra["fee"], extra["days"]
		fields = append(fields, f("处罚决定", fmt.Sprintf("本机关于%s作出行政处罚决定，对你单位处以罚款%s，决定书于%s送达，缴纳期限至%s届满。",
			docs.ChineseDate(c.DecidedOn), yuanWords(c.fineFen), docs.ChineseDate(c.ServedOn), docs.ChineseDate(c.PayBy))))
		if kind == "remind" {
			fields = append(fields, f("催告事项", "你单位至今未缴纳罚款。截至"+docs.ChineseDate(extra["on"])+"已逾期 "+days+" 日，依法加处罚款 "+fee+" 元 (每日百分之三，不超过罚款数额)。",
				"请于收到本催告书之日起十日内履行；有权进行陈述和申辩。逾期仍不履行的，本机关将依法申请人民法院强制执行 (行政强制法第三十五条、第五十四条)。"))
			return fields, "《中华人民共和国行政强制法》第三十五条、第五十四条；" + punishLaw + "第七十二条", nil
		}
		fields = append(fields, f("加处罚款", "截至"+docs.ChineseDate(extra["on"])+"逾期 "+days+" 日，每日按罚款数额的百分之三加处罚款，计 "+fee+" 元 (不超出罚款数额)。"),
			f("救济途径", remedies(c.Unit)...))
		return fields, punishLaw + "第七十二条；《中华人民共和国行政强制法》第四十五条", nil
	case "court":
		fields = append(fields, f("申请事项", fmt.Sprintf("请求人民法院强制执行本机关%s作出的行政处罚决定 (%s)：罚款%s，加处罚款 %s 元。",
			docs.ChineseDate(c.DecidedOn), extra["decision"], yuanWords(c.fineFen), extra["fee"])),
			f("事实和理由", "决定书于"+docs.ChineseDate(c.ServedOn)+"送达；当事人在法定期限内未申请行政复议或者提起行政诉讼，又不履行；本机关于"+
				docs.ChineseDate(c.RemindedOn)+"催告后仍未履行。"), f("附件", "行政处罚决定书、送达回执、缴纳罚款催告书及其送达回执"))
		return fields, "《中华人民共和国行政强制法》第五十三条、第五十四条", nil
	case "transfer":
		fields[0].Label = "涉案单位"
		fields = append(fields, f("接收机关", extra["to"]), f("案件编号", c.Number), f("案件基本情况", c.Facts),
			f("涉嫌犯罪的事实和依据", extra["grounds"]), f("移送材料", extra["note"]),
			f("移送事项", "本案涉嫌犯罪，依照《行政执法机关移送涉嫌犯罪案件的规定》移送你机关，请依法审查；本机关作出的行政处罚决定不因移送而停止执行。"))
		return fields, punishLaw + "第二十七条；《行政执法机关移送涉嫌犯罪案件的规定》(国务院令第310号) 第三条", nil
	case "close":
		result := "不予行政处罚"
		if !c.Waived {
			result = fmt.Sprintf("罚款 %.2f 元", c.Fine)
			if c.PaidOn != "" {
				result += fmt.Sprintf("，已于%s缴纳 %.2f 元 (含加处罚款 %.2f 元)", docs.ChineseDate(c.PaidOn), c.Paid, c.Surcharge)
			} else if c.CourtOn != "" {
				result += "，已于" + docs.ChineseDate(c.CourtOn) + "申请人民法院强制执行"
			}
		}
		fields = append(fields, f("案件编号", c.Number), f("违法事实", c.Facts), f("处理结果", result), f("执行情况", extra["note"]),
			f("立案和决定日期", docs.ChineseDate(c.FiledOn)+"立案，"+docs.ChineseDate(c.DecidedOn)+"决定"), f("承办人", teamWords(ms)))
		return fields, punishLaw + "第五十七条", nil
	}
	return nil, "", fmt.Errorf("unknown case writ kind %q", kind)
}

// lawWords are the provision a case's party broke and the one it is
// punished under.
func lawWords(c PenaltyCase) (violated, punish string) {
	law, _ := rules.CalcPenalty(rules.PenaltyInput{Article: c.Article, Uncorrected: c.Uncorrected, Grade: c.Grade, Income: 1, Fine: 1, Ordered: "2000-01-01", Until: "2000-01-02"})
	punish = law.Basis
	if law.Text != "" {
		punish += "：" + law.Text
	}
	violated = law.Basis
	if v, ok := rules.ViolationOf(c.Violation); ok {
		violated = v.Basis() + "：" + v.Text
	}
	return violated, punish
}

// proposedWords are the penalty a 告知书 proposes.
func proposedWords(c PenaltyCase) []string {
	out := []string{fmt.Sprintf("拟对你单位处以罚款%s (%.2f 元)。", yuanWords(c.proposedFen), c.Proposed)}
	if c.Suspension {
		out = append(out, "拟责令你单位停产停业整顿。")
	}
	return out
}

// evidenceWords list a case's evidence as the writs cite it.
func evidenceWords(ctx context.Context, q querier, caseID int64) ([]string, error) {
	rows, err := q.Query(ctx, "SELECT kind, on_date, note, name FROM enforce_case_steps WHERE case_id = ? AND kind IN ('evidence', 'interview') ORDER BY id", caseID)
	out, err := store.Collect(rows, err, func(r store.Scanner) (string, error) {
		var kind, on, note, name string
		if err := r.Scan(&kind, &on, &note, &name); err != nil {
			return "", err
		}
		what := "证据"
		if kind == "interview" {
			what = "询问笔录"
		}
		s := fmt.Sprintf("%s (%s)：%s", what, on, firstLine(note, 80))
		if name != "" {
			s += " [" + name + "]"
		}
		return s, nil
	})
	if len(out) == 0 {
		out = []string{"现场检查记录及所附照片"}
	}
	return out, err
}

func firstLine(s string, n int) string {
	s = strings.TrimSpace(strings.SplitN(s, "\n", 2)[0])
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// CaseWritForm is a writ of a case the actor may see, as the form to print.
func (s *Service) CaseWritForm(ctx context.Context, a *org.Actor, caseID, writID int64) (docs.Form, error) {
	d, err := s.GetCase(ctx, a, caseID)
	if err != nil {
		return docs.Form{}, err
	}
	for _, w := range d.Writs {
		if w.ID != writID {
			continue
		}
		k, _ := KindOfCaseWrit(w.Kind)
		f := docs.Form{Issuer: d.Unit, Title: k.Title, DocNumber: w.Number, Fields: w.Fields, Basis: w.Basis, Receipt: k.Receipt, Party: d.Enterprise}
		date := docs.ChineseDate(w.IssuedOn)
		// The department's own forms carry the officers' and the head's
		// signatures; the 当场处罚决定书 the officer's (Art. 52); a writ
		// served on the party the department's seal alone.
		if !k.Receipt || w.Kind == "spot" {
			ms, err := team(ctx, s.db, d.Officers)
			if err != nil {
				return f, err
			}
			for _, m := range ms {
				f.Signers = append(f.Signers, docs.Signer{Role: map[bool]string{true: "执法人员", false: "承办人"}[w.Kind == "spot"], Name: m.Name, Certificate: m.Cert, Date: date})
			}
		}
		if w.Kind == "file" || w.Kind == "close" {
			f.Signers = append(f.Signers, docs.Signer{Role: "负责人 (审批)", Name: d.DecidedBy, Date: date})
		}
		return f, nil
	}
	return docs.Form{}, apperr.New(apperr.NotFound, "文书不存在")
}
