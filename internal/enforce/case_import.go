package enforce

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/docs"
	"anwei/internal/org"
	"anwei/internal/store"
)

// CaseImport is what an import of past cases did: the cases it stored and
// every row it refused with its reasons.
type CaseImport struct {
	Imported int              `json:"imported"`
	Rejected []CaseRowRefusal `json:"rejected"`
	SHA256   string           `json:"sha256"`
}

// CaseRowRefusal is a refused row and why.
type CaseRowRefusal struct {
	Row     int      `json:"row"`
	Number  string   `json:"number,omitempty"`
	Reasons []string `json:"reasons"`
}

// CaseImportMax is the most rows one import reads (a department's year).
const CaseImportMax = 5000

// ImportCases stores a department's past decided cases from a sheet (the
// 行政处罚台账's columns, CaseSheetHeader) as history: each row a case of
// an enterprise the department supervises, decided (罚款 within its
// article's range, or 不予行政处罚), with the dates it has — served, paid,
// closed. The 案件编号 and 决定书文号 are kept as written (they were not
// issued by anwei's numbering, so no writ is made); a number already on
// file, or twice in the sheet, is refused. The rows that pass are stored
// together in one transaction, the refused ones are listed with every
// reason, and nothing already stored changes. The enterprises' classes
// take the imported penalties (近12个月违法行为); no publication is due and
// no escalation is raised for history.
func (s *Service) ImportCases(ctx context.Context, a *org.Actor, f docs.File) (CaseImport, error) {
	if err := department(a, org.PermEnforcePenalty); err != nil {
		return CaseImport{}, err
	}
	hash, err := f.Hash()
	if err != nil {
		return CaseImport{}, err
	}
	rows, err := docs.Open(f, CaseImportMax)
	if err != nil {
		return CaseImport{}, apperr.Field("file", err.Error())
	}
	defer rows.Close()
	at, err := docs.Columns(rows.Header(), caseSheetRequired...)
	if err != nil {
		return CaseImport{}, apperr.Field("file", err.Error()+" (导入模板的列: "+strings.Join(CaseSheetHeader, "、")+")")
	}
	now := s.clock.Now()
	today := calendar.Local(now).Format(day)
	out := CaseImport{SHA256: hash}
	var parsed []CaseRow
	for {
		line, raw, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return CaseImport{}, apperr.Field("file", err.Error())
		}
		c, bad := ParseCaseRow(at, line, raw, today)
		if len(bad) > 0 {
			out.Rejected = append(out.Rejected, CaseRowRefusal{Row: line, Number: c.Number, Reasons: bad})
			continue
		}
		parsed = append(parsed, c)
	}
	roster, err := roster(ctx, s.db, a.Unit.ID, calendar.Local(now).Year(), "")
	if err != nil {
		return CaseImport{}, err
	}
	byName, byCode := map[string][]rosterRow{}, map[string]rosterRow{}
	for _, r := range roster {
		byName[r.Name] = append(byName[r.Name], r)
		if r.CreditCode != "" {
			byCode[r.CreditCode] = r
		}
	}
	refused := len(out.Rejected) // by the rows themselves; a retried transaction starts from here
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		out.Imported, out.Rejected = 0, out.Rejected[:refused]
		rows, err := tx.Query(ctx, "SELECT number FROM enforce_cases WHERE unit_id = ?", a.Unit.ID)
		have, err := store.Collect(rows, err, store.Value[string])
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, n := range have {
			seen[n] = true
		}
		moved := map[int64]bool{}
		for _, c := range parsed {
			var bad []string
			party, ok := byCode[c.CreditCode]
			switch {
			case c.CreditCode != "" && !ok:
				bad = append(bad, "统一社会信用代码: "+quoted(c.CreditCode)+" 不是本部门监管的企业")
			case c.CreditCode != "" && c.Party != "" && party.Name != c.Party:
				bad = append(bad, "当事人: "+quoted(c.Party)+"与统一社会信用代码 "+c.CreditCode+" 的企业「"+party.Name+"」不符")
			case c.CreditCode == "" && len(byName[c.Party]) == 1:
				party, ok = byName[c.Party][0], true
			case c.CreditCode == "" && len(byName[c.Party]) > 1:
				bad = append(bad, "当事人: "+quoted(c.Party)+"有同名企业，请填写统一社会信用代码")
			case c.CreditCode == "":
				bad = append(bad, "当事人: "+quoted(c.Party)+"不是本部门监管的企业 (名称须与企业档案一致)")
			}
			if seen[c.Number] {
				bad = append(bad, "案件编号: "+c.Number+" 已有 (本部门已登记或表中重复)")
			}
			if len(bad) > 0 {
				out.Rejected = append(out.Rejected, CaseRowRefusal{Row: c.Line, Number: c.Number, Reasons: bad})
				continue
			}
			seen[c.Number] = true
			if err := s.importCase(ctx, tx, a, f.Name, c, party); err != nil {
				return err
			}
			moved[party.ID] = true
			out.Imported++
		}
		for id := range moved {
			if err := s.ents.Reclass(ctx, tx, id); err != nil {
				return err
			}
		}
		slices.SortFunc(out.Rejected, func(x, y CaseRowRefusal) int { return x.Row - y.Row })
		return audit.Append(ctx, tx, now, a.Who(), audit.Entry{Action: "enforce.case.import", ObjectKind: "import", ObjectID: hash[:12],
			Region: a.Unit.Region, After: map[string]any{"file": f.Name, "sha256": hash, "imported": out.Imported, "rejected": len(out.Rejected)}})
	})
	return out, err
}

// importCase stores one checked row as a decided case of party.
func (s *Service) importCase(ctx context.Context, tx *store.Tx, a *org.Actor, file string, r CaseRow, party rosterRow) error {
	now := s.clock.Now()
	c := PenaltyCase{UnitID: a.Unit.ID, Unit: a.Unit.Name, EnterpriseID: party.ID, Enterprise: party.Name, Region: party.Region, Number: r.Number,
		Source: r.Source, SourceRef: "历史导入", Article: r.Article, Grade: r.Grade, Facts: r.Facts, State: r.state(), FiledOn: r.FiledOn,
		DecideBy: DecideBy(r.FiledOn, 0), DecidedOn: r.DecidedOn, Waived: r.Waived, fineFen: r.FineFen, proposedFen: r.FineFen, ServedOn: r.ServedOn,
		PaidOn: r.PaidOn, paidFen: r.PaidFen, ClosedOn: r.ClosedOn}
	if r.ServedOn != "" && !r.Waived {
		c.PayBy = PayBy(r.ServedOn)
	}
	if r.PaidFen > r.FineFen {
		c.surchargeFen = r.PaidFen - r.FineFen
	}
	c.Year, _ = strconv.Atoi(r.FiledOn[:4])
	c.DueOn, c.DueWhat = nextDue(c)
	var err error
	c.ID, err = tx.InsertID(ctx, `INSERT INTO enforce_cases (unit_id, region_code, enterprise_id, year, number, source, source_ref, violation, article,
		grade, facts, officers, state, proposed_fen, waived, fine_fen, filed_on, decide_by, decided_on, served_on, serve_how, pay_by, paid_on, paid_fen,
		surcharge_fen, closed_on, due_on, due_what, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.UnitID, c.Region, c.EnterpriseID, c.Year, c.Number, c.Source, c.SourceRef, c.Article, c.Grade, c.Facts, c.State, c.proposedFen, c.Waived,
		c.fineFen, c.FiledOn, c.DecideBy, c.DecidedOn, c.ServedOn, map[bool]string{true: "历史记录", false: ""}[c.ServedOn != ""], c.PayBy, c.PaidOn,
		c.paidFen, c.surchargeFen, c.ClosedOn, c.DueOn, c.DueWhat, a.UserID, now, now)
	if err != nil {
		return err
	}
	note := fmt.Sprintf("自 %s 第 %d 行导入", file, r.Line)
	if r.DecisionNo != "" {
		note += "；决定书文号 " + r.DecisionNo
	}
	if r.Officers != "" {
		note += "；承办人 " + r.Officers
	}
	return addStep(ctx, tx, a, now, c, "import", note, nil)
}
