package enforce

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/docs"
	"anwei/internal/hazard"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/store"
)

// CloseInput is what the 现场检查记录 says besides the checklist, the
// findings and the signatures (安全生产法 Art. 68: time, place, content,
// problems found and their handling).
type CloseInput struct {
	Place     string `json:"place"`      // 检查地点
	Party     string `json:"party"`      // 现场负责人
	PartyPost string `json:"party_post"` // 职务
	Summary   string `json:"summary"`    // 检查情况
	Handling  string `json:"handling"`   // 处理情况 (the writs are added)
	// Measures are the 现场处理措施 ordered on the spot (Art. 65 (三):
	// 从危险区域撤出作业人员, 暂时停产停业, 停止使用设施设备); "" none.
	Measures string `json:"measures"`
}

// RecheckDays is how long after the latest deadline the re-check task's
// window stays open (a design choice; the rules set none).
const RecheckDays = 10

// Close ends an inspection on site once every checklist item is marked
// and the record is signed by both officers and by the party (or its
// refusal recorded). In one transaction it issues the 现场检查记录; a
// 现场处理措施决定书 when measures were ordered; and when findings carry a
// deadline, a 责令限期整改指令书 listing them, the hazards among them in
// the hazard mechanism (source 执法检查, judged, under the order), and the
// re-check task in the officers' 待办. A re-check closes with the 整改复查
// 意见书: each finding rectified is closed (its hazard 销号), each not is
// marked 拒不改正 (part 3 makes it a case and 按日连续处罚).
func (s *Service) Close(ctx context.Context, a *org.Actor, id int64, in CloseInput) (Detail, error) {
	in.trim()
	var c apperr.Checks
	c.If(in.Place == "", "place", "请填写检查地点")
	c.If(in.Party == "", "party", "请填写被检查单位现场负责人")
	c.If(in.Summary == "", "summary", "请填写检查情况")
	for _, f := range []struct{ key, label, v string }{{"place", "检查地点", in.Place}, {"party", "现场负责人", in.Party},
		{"party_post", "职务", in.PartyPost}, {"summary", "检查情况", in.Summary}, {"handling", "处理情况", in.Handling}, {"measures", "现场处理措施", in.Measures}} {
		if n := len([]rune(f.v)); n > Limits[f.key] {
			c.Add(f.key, fmt.Sprintf("%s最多 %d 字 (现为 %d 字)", f.label, Limits[f.key], n))
		}
	}
	if err := c.Err(); err != nil {
		return Detail{}, err
	}
	err := s.onSite(ctx, a, id, []string{StateStarted}, func(tx *store.Tx, i Inspection, now time.Time) error {
		return s.close(ctx, tx, a, i, in, now)
	})
	if err != nil {
		return Detail{}, err
	}
	return s.GetInspection(ctx, a, id)
}

func (in *CloseInput) trim() {
	for _, p := range []*string{&in.Place, &in.Party, &in.PartyPost, &in.Summary, &in.Handling, &in.Measures} {
		*p = strings.TrimSpace(*p)
	}
}

func (s *Service) close(ctx context.Context, tx *store.Tx, a *org.Actor, i Inspection, in CloseInput, now time.Time) error {
	items, err := s.marked(ctx, tx, i)
	if err != nil {
		return err
	}
	var missing []string
	var failed []Item
	for n, it := range items {
		switch it.Result {
		case "":
			missing = append(missing, strconv.Itoa(n+1))
		case "fail":
			failed = append(failed, it)
		}
	}
	if len(missing) > 0 {
		return apperr.Field("items", fmt.Sprintf("检查表还有 %d 项未填写 (第 %s 项)", len(missing), shortList(missing)))
	}
	sigs, err := signaturesOf(ctx, tx, i.ID)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, sg := range sigs {
		have[sg.Role] = true
	}
	var c apperr.Checks
	c.If(!have["officer1"] || !have["officer2"], "signature", "现场检查记录须由两名执法人员签名")
	c.If(!have["party"], "signature", "现场检查记录须由被检查单位现场负责人签名，拒绝签字的须注明")
	if err := c.Err(); err != nil {
		return err
	}
	findings, err := findingsOf(ctx, tx, i.ID)
	if err != nil {
		return err
	}
	if i.OfInspection == 0 && len(failed) > 0 && len(findings) == 0 {
		return apperr.Field("findings", fmt.Sprintf("检查表有 %d 项不合格，请记录发现的问题 (隐患或违法行为)", len(failed)))
	}
	p, err := partyOf(ctx, tx, i.EnterpriseID)
	if err != nil {
		return err
	}
	ms, err := team(ctx, tx, officersOf(i.Officers))
	if err != nil {
		return err
	}
	var started time.Time // when the officer started (onSite read the task, not its times)
	if err := tx.QueryRow(ctx, "SELECT started_at FROM enforce_inspections WHERE id = ?", i.ID).Scan(&started); err != nil {
		return err
	}
	var issued []Writ
	handling := in.Handling
	if i.OfInspection != 0 {
		w, err := s.review(ctx, tx, a, i, items, p, ms, now)
		if err != nil {
			return err
		}
		issued = append(issued, w)
	} else {
		if in.Measures != "" {
			w, err := issue(ctx, tx, now, a, i, WritMeasure, append(p.head(),
				docs.Field{Label: "现场发现的问题", Value: findingLines(findings)},
				docs.Field{Label: "现场处理措施", Value: []string{in.Measures}},
				docs.Field{Label: "执法人员", Value: []string{teamWords(ms)}},
				docs.Field{Label: "救济途径", Value: []string{appeal}}),
				"《中华人民共和国安全生产法》第六十五条第一款第（三）项")
			if err != nil {
				return err
			}
			issued = append(issued, w)
		}
		if w, ok, err := s.order(ctx, tx, a, i, findings, p, ms, now); err != nil {
			return err
		} else if ok {
			issued = append(issued, w)
		}
	}
	for _, w := range issued {
		handling = strings.TrimSpace(handling + " 已下达" + w.Title + " " + w.Number + "。")
	}
	if handling == "" {
		handling = "未发现问题。"
	}
	record := append(p.head(),
		docs.Field{Label: "现场负责人", Value: []string{strings.TrimSpace(in.Party + " " + in.PartyPost)}},
		docs.Field{Label: "检查时间", Value: []string{calendar.Local(started).Format("2006年1月2日 15:04") + " 至 " + calendar.Local(now).Format("15:04")}},
		docs.Field{Label: "检查地点", Value: []string{in.Place}},
		docs.Field{Label: "执法人员", Value: []string{teamWords(ms) + "，已出示执法证件"}},
		docs.Field{Label: "检查事由", Value: []string{i.BasisName}},
		docs.Field{Label: "检查内容", Value: checklistLines(items)},
		docs.Field{Label: "检查情况", Value: []string{in.Summary}},
		docs.Field{Label: "发现的问题", Value: problemLines(i, findings, items)},
		docs.Field{Label: "处理情况", Value: []string{handling}})
	if in.Measures != "" {
		record = append(record, docs.Field{Label: "现场处理措施", Value: []string{in.Measures}})
	}
	rw, err := issue(ctx, tx, now, a, i, WritRecord, record, "《中华人民共和国安全生产法》第六十五条、第六十八条")
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE enforce_inspections SET state = ?, closed_at = ?, place = ?, party = ?, party_post = ?, summary = ?,
		handling = ?, measures = ? WHERE id = ?`, StateClosed, now, in.Place, in.Party, in.PartyPost, in.Summary, handling, in.Measures, i.ID); err != nil {
		return err
	}
	for _, o := range officersOf(i.Officers) {
		if err := inbox.Settle(ctx, tx, now, fmt.Sprintf("enforce:%d:task:%d", i.ID, o), "已完成执法检查: "+p.Name); err != nil {
			return err
		}
	}
	numbers := []string{rw.Number}
	for _, w := range issued {
		numbers = append(numbers, w.Number)
	}
	if err := inbox.Send(ctx, tx, now, i.EnterpriseID, "enforce.writs", fmt.Sprintf("%s 对本单位的执法检查已完成，文书: %s", a.Unit.Name,
		strings.Join(numbers, "、")), fmt.Sprintf("/enforce/inspections/%d", i.ID), fmt.Sprintf("enforce:%d:writs", i.ID)); err != nil {
		return err
	}
	if err := s.drawResultDue(ctx, tx, now, i); err != nil {
		return err
	}
	return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.close", ObjectKind: "enforce_inspection", ObjectID: fmt.Sprint(i.ID),
		Region: i.Region, Before: map[string]any{"state": StateStarted}, After: map[string]any{"state": StateClosed, "writs": numbers,
			"findings": len(findings), "place": in.Place, "party": in.Party, "summary": in.Summary, "measures": in.Measures}})
}

// appeal is the remedy every decision served on the party states.
const appeal = "如不服本决定，可以依法在六十日内申请行政复议，或者在六个月内依法向人民法院提起行政诉讼，但本决定不停止执行。"

// order issues the 责令限期整改指令书 of the findings with a deadline,
// makes the hazards among them, and sets the re-check task; ok false when
// no finding has a deadline.
func (s *Service) order(ctx context.Context, tx *store.Tx, a *org.Actor, i Inspection, fs []Finding, p party, ms []teamMember, now time.Time) (Writ, bool, error) {
	var due []Finding
	last := ""
	for _, f := range fs {
		if f.Deadline != "" {
			due = append(due, f)
			last = max(last, f.Deadline)
		}
	}
	if len(due) == 0 {
		return Writ{}, false, nil
	}
	var lines, bases []string
	seen := map[string]bool{}
	for n, f := range due {
		line := fmt.Sprintf("%d. %s: %s (限 %s 前整改完毕)", n+1, f.Place, f.Description, docs.ChineseDate(f.Deadline))
		if f.Violation != "" {
			line += "。违反" + strings.SplitN(violationWords(f.Violation), " ", 2)[0]
		}
		lines = append(lines, line)
		if f.Violation != "" && !seen[f.Violation] {
			seen[f.Violation] = true
			bases = append(bases, strings.SplitN(violationWords(f.Violation), " ", 2)[0])
		}
	}
	basis := "《中华人民共和国安全生产法》第六十五条第一款第（三）项、第一百零二条"
	if len(bases) > 0 {
		basis += "；" + strings.Join(bases, "；")
	}
	w, err := issue(ctx, tx, now, a, i, WritOrder, append(p.head(),
		docs.Field{Label: "检查发现的问题", Value: lines},
		docs.Field{Label: "整改要求", Value: []string{"现责令你单位对上述问题于所列期限前整改完毕，达到有关法律法规规章和国家标准或者行业标准的要求，并将整改情况书面报告本机关。" +
			"整改期间应当采取措施保证安全。逾期不整改或者整改不合格的，本机关将依法予以处理。"}},
		docs.Field{Label: "执法人员", Value: []string{teamWords(ms)}},
		docs.Field{Label: "救济途径", Value: []string{appeal}}), basis)
	if err != nil {
		return w, false, err
	}
	for _, f := range due {
		if !f.Hazard {
			continue
		}
		h, err := s.hazards.Found(ctx, tx, now, a, hazard.FoundInput{EnterpriseID: i.EnterpriseID, Region: p.Region, Enterprise: p.Name,
			Place: f.Place, Description: f.Description, Level: f.Level, Criterion: f.Criterion, Deadline: f.Deadline, Writ: w.Number})
		if err != nil {
			return w, false, err
		}
		if _, err := tx.Exec(ctx, "UPDATE enforce_findings SET hazard_id = ? WHERE id = ?", h.ID, f.ID); err != nil {
			return w, false, err
		}
	}
	// The re-check task: the same team, approved with the inspection (the
	// order told the enterprise the deadline), a case inspection (exempt).
	d, _ := time.Parse("2006-01-02", last)
	to := d.AddDate(0, 0, RecheckDays).Format("2006-01-02")
	// A re-check follows the order: it is no new inspection of the
	// enterprise, so it is neither capped nor counted toward the 个案
	// frequency flag.
	rid, err := tx.InsertID(ctx, `INSERT INTO enforce_inspections (unit_id, enterprise_id, region_code, year, month, kind, basis, officers, note, state,
		due_from, due_to, approved_by, approved_at, of_inspection, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		i.UnitID, i.EnterpriseID, i.Region, d.Year(), int(d.Month()), Case, BasisRecheck, i.Officers, "复查 "+w.Number, StateApproved,
		last, to, i.ApprovedBy, now, i.ID, a.UserID, now)
	if err != nil {
		return w, false, err
	}
	for _, o := range officersOf(i.Officers) {
		if err := inbox.AskUser(ctx, tx, now, i.UnitID, o, "enforce.task", fmt.Sprintf("整改复查: %s (%s，%s 至 %s)", p.Name, w.Number, last, to),
			fmt.Sprintf("/enforce/inspections/%d", rid), fmt.Sprintf("enforce:%d:task:%d", rid, o), to); err != nil {
			return w, false, err
		}
	}
	return w, true, nil
}

// review applies a re-check's marks to the findings it re-checked and
// issues the 整改复查意见书.
func (s *Service) review(ctx context.Context, tx *store.Tx, a *org.Actor, i Inspection, items []Item, p party, ms []teamMember, now time.Time) (Writ, error) {
	var lines []string
	refused := 0
	for n, it := range items {
		fid, _ := strconv.ParseInt(strings.TrimPrefix(it.Key, "f"), 10, 64)
		var hid int64
		if err := tx.QueryRow(ctx, "SELECT COALESCE(hazard_id, 0) FROM enforce_findings WHERE id = ?", fid).Scan(&hid); err != nil {
			return Writ{}, err
		}
		state, verdict := FindingCorrected, "已整改"
		if it.Result == "fail" {
			state, verdict = FindingRefused, "未整改，拒不改正"
			refused++
		}
		if _, err := tx.Exec(ctx, "UPDATE enforce_findings SET state = ?, review_note = ?, reviewed_at = ? WHERE id = ?", state, it.Note, now, fid); err != nil {
			return Writ{}, err
		}
		if hid != 0 {
			if err := s.hazards.Rechecked(ctx, tx, now, a, hid, it.Result == "pass", it.Note); err != nil {
				return Writ{}, err
			}
		}
		line := fmt.Sprintf("%d. %s —— %s", n+1, it.Text, verdict)
		if it.Note != "" {
			line += " (" + it.Note + ")"
		}
		lines = append(lines, line)
	}
	opinion := "经复查，上述问题已整改完毕。"
	if refused > 0 {
		opinion = fmt.Sprintf("经复查，有 %d 项问题逾期未整改。对拒不改正的，本机关将依法立案查处，并可以自责令改正之日的次日起按照原处罚数额按日连续处罚 (安全生产法第一百一十二条)。", refused)
		if err := inbox.Send(ctx, tx, now, i.UnitID, "enforce.refused", fmt.Sprintf("%s 有 %d 项问题复查拒不改正，待立案查处", p.Name, refused),
			fmt.Sprintf("/enforce/inspections/%d", i.ID), fmt.Sprintf("enforce:%d:refused", i.ID)); err != nil {
			return Writ{}, err
		}
	}
	var orderNo string
	if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(number), '') FROM enforce_writs WHERE inspection_id = ? AND kind = ?", i.OfInspection, WritOrder).Scan(&orderNo); err != nil {
		return Writ{}, err
	}
	return issue(ctx, tx, now, a, i, WritReview, append(p.head(),
		docs.Field{Label: "原指令书", Value: []string{orderNo}},
		docs.Field{Label: "复查情况", Value: lines},
		docs.Field{Label: "复查意见", Value: []string{opinion}},
		docs.Field{Label: "执法人员", Value: []string{teamWords(ms)}}),
		"《中华人民共和国安全生产法》第六十五条、第一百零二条、第一百一十二条")
}

// checklistLines sums up the checklist for the record: how many items,
// and each not passed.
func checklistLines(items []Item) []string {
	count := map[string]int{}
	var failed []string
	for n, it := range items {
		count[it.Result]++
		if it.Result == "fail" {
			line := fmt.Sprintf("第 %d 项 %s", n+1, it.Text)
			if it.Note != "" {
				line += " (" + it.Note + ")"
			}
			failed = append(failed, line)
		}
	}
	out := []string{fmt.Sprintf("按检查表逐项检查 %d 项: 合格 %d 项，不合格 %d 项，不涉及 %d 项。", len(items), count["pass"], count["fail"], count["na"])}
	if len(failed) > 0 {
		out = append(out, "不合格项: "+strings.Join(failed, "；"))
	}
	return out
}

// problemLines are the record's 发现的问题: the findings, or on a re-check
// the problems found not rectified.
func problemLines(i Inspection, fs []Finding, items []Item) []string {
	if i.OfInspection == 0 {
		return findingLines(fs)
	}
	var out []string
	for _, it := range items {
		if it.Result == "fail" {
			out = append(out, fmt.Sprintf("%d. %s —— 逾期未整改 (%s)", len(out)+1, it.Text, it.Note))
		}
	}
	if len(out) == 0 {
		return []string{"原责令整改的问题均已整改。"}
	}
	return out
}

func findingLines(fs []Finding) []string {
	if len(fs) == 0 {
		return []string{"未发现问题。"}
	}
	var out []string
	for n, f := range fs {
		var kinds []string
		if f.Hazard {
			kinds = append(kinds, hazard.LevelName(f.Level)+"事故隐患")
		}
		if f.Violation != "" {
			kinds = append(kinds, "违反"+strings.SplitN(violationWords(f.Violation), " ", 2)[0])
		}
		line := fmt.Sprintf("%d. %s: %s (%s)", n+1, f.Place, f.Description, strings.Join(kinds, "，"))
		if f.Deadline == "" {
			line += "，已当场整改"
		} else {
			line += "，限 " + docs.ChineseDate(f.Deadline) + " 前整改"
		}
		out = append(out, line)
	}
	return out
}

func shortList(ns []string) string {
	if len(ns) > 8 {
		return strings.Join(ns[:8], "、") + " 等"
	}
	return strings.Join(ns, "、")
}
