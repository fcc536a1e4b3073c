package hazard

import (
	"context"
	"fmt"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/codes"
	"anwei/internal/docs"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// ledgerHeader is the 台账 (台账制): every field of a hazard and its history;
// 整改方式 tells 即查即改 and 企业自行整改 from the department's 判定交办.
var ledgerHeader = []string{"隐患编号", "企业", "街道", "行业", "监管部门", "隐患部位", "隐患描述", "来源", "等级", "判定依据", "整改措施", "责任人", "整改资金(元)",
	"整改期限", "整改通知书", "状态", "是否逾期", "挂牌督办", "上报时间", "销号时间", "处理记录", "整改方式"}

// Ledger is the 台账 of the hazards the actor may see that match f, as a
// sheet: one row per hazard with every field, its listings and its whole
// history in the last column.
func (s *Service) Ledger(ctx context.Context, a *org.Actor, f Filter) (docs.Sheet, error) {
	sh := docs.Sheet{Name: "隐患台账", Header: ledgerHeader,
		Widths: []float64{22, 24, 12, 20, 24, 14, 30, 10, 8, 30, 24, 8, 10, 12, 20, 12, 8, 20, 17, 17, 60, 12}}
	f.Page = paging.Page{Limit: paging.Max}
	f.Sort = paging.Sort{} // keyset pages run in id order
	for before := int64(0); ; {
		// Keyset pages: each starts below the last id of the one before,
		// so the export reads every hazard once however many there are.
		hs, _, err := s.list(ctx, a, f, before, false)
		if err != nil {
			return sh, err
		}
		if len(sh.Rows)+len(hs) > ledgerMaxRows {
			return sh, apperr.New(apperr.Invalid, fmt.Sprintf("台账超过 Excel 工作表的行数上限 (%d 行)，请按状态、等级、来源或企业缩小范围后再导出", ledgerMaxRows))
		}
		ids := make([]int64, len(hs))
		for i, h := range hs {
			ids[i] = h.ID
		}
		hist, listed, err := s.ledgerDetail(ctx, ids)
		if err != nil {
			return sh, err
		}
		for _, h := range hs {
			sh.Rows = append(sh.Rows, ledgerRow(h, hist[h.ID], listed[h.ID]))
		}
		if len(hs) < f.Limit {
			return sh, nil
		}
		before = hs[len(hs)-1].ID
	}
}

// ledgerMaxRows is what one .xlsx sheet holds below its header row.
const ledgerMaxRows = 1<<20 - 1

func ledgerRow(h Hazard, hist []Event, listed []string) []string {
	var log []string
	for _, e := range hist {
		line := calendar.Local(e.At).Format("2006-01-02 15:04") + " " + e.Actor + " " + ActionName(e.Action)
		if e.Note != "" {
			line += "：" + e.Note
		}
		log = append(log, line)
	}
	basis := CriterionText(h.Criterion)
	if basis == "" && h.Reasoning != "" {
		basis = "专家判定：" + h.Reasoning
	}
	closed := ""
	if h.ClosedAt != nil {
		closed = calendar.Local(*h.ClosedAt).Format("2006-01-02 15:04")
	}
	trade := h.IndustryName
	if c := h.Categories(); c != "" {
		trade = strings.TrimPrefix(trade+"；"+c, "；")
	}
	return []string{h.Number, h.Enterprise, h.StreetName, trade, h.Depts(), h.Place, h.Description, codes.NameOf(Sources, h.Source), LevelName(h.Level), basis,
		h.Measures, h.Responsible, amount(h.Funds), h.Deadline, h.Writ, h.State.Name(), yes(h.Overdue), strings.Join(listed, "；"),
		calendar.Local(h.CreatedAt).Format("2006-01-02 15:04"), closed, strings.Join(log, "\n"), codes.NameOf(Handlings, h.Handling)}
}

// amount is a sum of money in 元, empty when none was given (a report
// leaves 整改资金 blank when nobody knows it yet).
func amount(v float64) string {
	if v == 0 {
		return ""
	}
	return fmt.Sprintf("%.2f", v)
}

func yes(b bool) string {
	if b {
		return "是"
	}
	return ""
}

// ledgerDetail reads the history and the listings of hazards already
// scope-checked, in one query each.
func (s *Service) ledgerDetail(ctx context.Context, ids []int64) (map[int64][]Event, map[int64][]string, error) {
	hist, listed := map[int64][]Event{}, map[int64][]string{}
	if len(ids) == 0 {
		return hist, listed, nil
	}
	in := "(?" + strings.Repeat(", ?", len(ids)-1) + ")"
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.db.Query(ctx, "SELECT hazard_id, at, actor, unit_id, action, from_state, to_state, note FROM hazard_history WHERE hazard_id IN "+in+" ORDER BY id", args...)
	if err := store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var e Event
		var from, to string
		if err := r.Scan(&id, &e.At, &e.Actor, &e.UnitID, &e.Action, &from, &to, &e.Note); err != nil {
			return err
		}
		e.Note = noteText(e.Note)
		e.From, e.To = State(from), State(to)
		hist[id] = append(hist[id], e)
		return nil
	}); err != nil {
		return nil, nil, err
	}
	rows, err = s.db.Query(ctx, `SELECT l.hazard_id, o.name, l.tier, l.doc_number, l.lifted_at IS NOT NULL FROM hazard_listings l JOIN `+org.UnitsView+` o ON o.id = l.office_id
		WHERE l.hazard_id IN `+in+" ORDER BY l.id", args...)
	if err := store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var office, tier, doc string
		var lifted bool
		if err := r.Scan(&id, &office, &tier, &doc, &lifted); err != nil {
			return err
		}
		x := TierName(tier) + " " + office + " " + doc
		if lifted {
			x += " (已摘牌)"
		}
		listed[id] = append(listed[id], x)
		return nil
	}); err != nil {
		return nil, nil, err
	}
	return hist, listed, nil
}
