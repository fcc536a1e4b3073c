package enforce

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"anwei/internal/docs"
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

// CaseLedger is the cases the actor may see, filtered as the list, as the
// department's 行政处罚台账: one row per case with its dates, amounts,
// decision 文号 and publication.
func (s *Service) CaseLedger(ctx context.Context, a *org.Actor, f CaseFilter) (docs.Sheet, error) {
	sh := docs.Sheet{Name: "行政处罚台账", Header: []string{"序号", "案件编号", "执法部门", "当事人", "统一社会信用代码", "案件来源", "违法事实", "处罚条款", "事故等级", "承办人",
		"立案日期", "告知日期", "拟罚款 (元)", "决定日期", "决定书文号", "处罚决定", "罚款 (元)", "送达日期", "缴纳期限", "缴纳日期", "缴纳金额 (元)",
		"其中加处罚款 (元)", "催告日期", "申请强制执行日期", "结案日期", "状态", "公示日期", "撤销或变更"},
		Widths: []float64{6, 22, 18, 26, 20, 12, 40, 16, 8, 14, 11, 11, 12, 11, 22, 14, 12, 11, 11, 11, 12, 12, 11, 11, 11, 10, 11, 30}}
	officerNames := map[int64]string{}
	// Every page of the list, paging.Max at a time.
	for off := 0; ; off += paging.Max {
		f.Page = paging.Page{Offset: off, Limit: paging.Max}
		cs, _, err := s.Cases(ctx, a, f)
		if err != nil {
			return sh, err
		}
		ids := make([]int64, len(cs))
		for i, c := range cs {
			ids[i] = c.ID
		}
		writs, pubs, err := s.ledgerExtras(ctx, ids)
		if err != nil {
			return sh, err
		}
		codes, err := s.creditCodes(ctx, cs)
		if err != nil {
			return sh, err
		}
		for _, c := range cs {
			var who []string
			for _, id := range c.Officers { // a department has a few officers: each read once
				if _, ok := officerNames[id]; !ok {
					ms, err := team(ctx, s.db, []int64{id})
					if err != nil {
						return sh, err
					}
					officerNames[id] = ms[0].Name
				}
				who = append(who, officerNames[id])
			}
			decision := ""
			switch {
			case c.Waived:
				decision = "不予行政处罚"
			case c.DecidedOn != "":
				decision = "罚款"
				if c.Simple {
					decision = "当场罚款"
				}
				if c.Suspension {
					decision += "；责令停产停业整顿"
				}
			}
			money := func(y float64, show bool) string {
				if !show {
					return ""
				}
				return fmt.Sprintf("%.2f", y)
			}
			source := c.SourceName
			if c.SourceRef != "" {
				source += " (" + c.SourceRef + ")"
			}
			revised := ""
			if c.RevokedOn != "" {
				revised = c.RevokedOn + " " + c.RevokeNote
			}
			sh.Rows = append(sh.Rows, []string{strconv.Itoa(len(sh.Rows) + 1), c.Number, c.Unit, c.Enterprise, codes[c.EnterpriseID], source, c.Facts, c.ArticleName, c.Grade,
				strings.Join(who, "、"), c.FiledOn, c.NoticedOn, money(c.Proposed, c.NoticedOn != ""), c.DecidedOn, writs[c.ID], decision,
				money(c.Fine, c.DecidedOn != "" && !c.Waived), c.ServedOn, c.PayBy, c.PaidOn, money(c.Paid, c.PaidOn != ""),
				money(c.Surcharge, c.PaidOn != "" && c.Surcharge > 0), c.RemindedOn, c.CourtOn, c.ClosedOn, c.StateName, pubs[c.ID], revised})
		}
		if len(cs) < paging.Max {
			return sh, nil
		}
	}
}

// ledgerExtras are the decision 文号 and the publication date of each case
// of a page, in one query each.
func (s *Service) ledgerExtras(ctx context.Context, ids []int64) (map[int64]string, map[int64]string, error) {
	writs, pubs := map[int64]string{}, map[int64]string{}
	if len(ids) == 0 {
		return writs, pubs, nil
	}
	in, args := store.InIDs("case_id", ids)
	rows, err := s.db.Query(ctx, "SELECT case_id, number FROM enforce_case_writs WHERE kind IN ('decision', 'spot', 'waive') AND "+in+" ORDER BY id", args...)
	err = store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var n string
		if err := r.Scan(&id, &n); err != nil {
			return err
		}
		writs[id] = n
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	rows, err = s.db.Query(ctx, "SELECT case_id, MAX(published_on) FROM enforce_publications WHERE published_on <> '' AND "+in+" GROUP BY case_id", args...)
	err = store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var on string
		if err := r.Scan(&id, &on); err != nil {
			return err
		}
		pubs[id] = on
		return nil
	})
	return writs, pubs, err
}

// creditCodes are the parties' 统一社会信用代码, in one query.
func (s *Service) creditCodes(ctx context.Context, cs []PenaltyCase) (map[int64]string, error) {
	out := map[int64]string{}
	if len(cs) == 0 {
		return out, nil
	}
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.EnterpriseID
	}
	in, args := store.InIDs("e.unit_id", ids)
	rows, err := s.db.Query(ctx, "SELECT e.unit_id, e.credit_code FROM "+enterprise.PartyView+" e WHERE "+in, args...)
	err = store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var code string
		if err := r.Scan(&id, &code); err != nil {
			return err
		}
		out[id] = code
		return nil
	})
	return out, err
}
