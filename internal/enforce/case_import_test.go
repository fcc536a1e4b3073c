package enforce_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"anwei/internal/calendar"
	"anwei/internal/docs"
	"anwei/internal/enforce"
	"anwei/internal/paging"
)

// TestImportCases on both databases: a department's past cases come in
// from a sheet — by the party's name or credit code, closed, paid or only
// decided — and every other row is refused with all its reasons naming
// their columns (a party it does not supervise, a fine outside the
// article's range, dates out of order, a number twice, a row with nothing
// right); the party's class counts the imported penalties; the exported
// 行政处罚台账 reads back, every case refused as already on file.
func TestImportCases(t *testing.T) {
	dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 9, 14, 2, 0, 0, 0, time.UTC))
		db, s, crew := setUp(t, dialect, clock)
		member := crew.Planner
		firm := supervised(t, db, crew, false)
		e, err := s.Ents.Get(ctx, member, firm)
		if err != nil {
			t.Fatal(err)
		}
		sheet := func(rows ...[]string) docs.File {
			var b bytes.Buffer
			if err := (docs.Sheet{Name: "案件", Header: enforce.CaseSheetHeader, Rows: rows}).XLSX(&b); err != nil {
				t.Fatal(err)
			}
			return docs.File{Name: "2025年行政处罚台账.xlsx", Data: b.Bytes()}
		}
		//            案件编号, 当事人, 统一社会信用代码, 案件来源, 处罚条款, 事故等级, 违法事实, 承办人, 立案, 决定, 决定书文号, 处罚决定, 罚款, 送达, 缴纳, 缴纳金额, 结案
		res, err := s.Enforce.ImportCases(ctx, member, sheet(
			[]string{"天应急立〔2025〕41号", e.Name, "", "执法检查发现", "第九十九条", "", "配电室未设置安全警示标志", "赵明、孙丽娜", "2025-11-03", "2025/11/20", "天应急罚〔2025〕37号", "罚款", "20,000", "2025-11-21", "2025-12-01", "20000", "2025-12-05"},
			[]string{"天应急立〔2026〕7号", "", e.CreditCode, "举报", "101", "", "动火作业未安排专人现场安全管理", "", "2026-03-02", "2026-03-20", "", "", "30000", "", "", "", ""},
			[]string{"天应急立〔2026〕8号", "济南不存在有限公司", "", "", "99", "", "x", "", "2026-03-02", "2026-03-20", "", "", "1000", "", "", "", ""},
			[]string{"天应急立〔2026〕9号", e.Name, "", "", "99", "", "x", "", "2026-03-02", "2026-03-20", "", "", "300000", "", "", "", ""},
			[]string{"天应急立〔2026〕10号", e.Name, "", "", "99", "", "x", "", "2026-04-02", "2026-03-20", "", "", "1000", "", "", "", ""},
			[]string{"天应急立〔2025〕41号", e.Name, "", "", "99", "", "x", "", "2026-03-02", "2026-03-20", "", "", "1000", "", "", "", ""},
			[]string{"", "", "", "检查", "第八条", "特大", "", "", "2026-13-01", "2027-01-01", "", "警告", "-5", "", "2026-05-01", "", ""},
		))
		if err != nil {
			t.Fatal(err)
		}
		if res.Imported != 2 || len(res.Rejected) != 5 {
			t.Fatalf("imported %d, refused %+v", res.Imported, res.Rejected)
		}
		want := map[int][]string{4: {"当事人"}, 5: {"罚款 (元)", "法定幅度"}, 6: {"决定日期", "早于立案日期"}, 7: {"案件编号", "已有"},
			8: {"案件编号: 请填写", "当事人: 请填写", "违法事实: 请填写", "案件来源", "处罚条款", "事故等级", "立案日期", "决定日期", "处罚决定", "罚款 (元)", "送达日期"}}
		for _, r := range res.Rejected {
			all := strings.Join(r.Reasons, "；")
			for _, w := range want[r.Row] {
				if !strings.Contains(all, w) {
					t.Errorf("row %d: %q does not say %q", r.Row, all, w)
				}
			}
			delete(want, r.Row)
		}
		if len(want) != 0 {
			t.Errorf("rows not refused: %v", want)
		}
		cs, _, err := s.Enforce.Cases(ctx, member, enforce.CaseFilter{Enterprise: firm, Page: paging.Page{Limit: 50}})
		if err != nil || len(cs) != 2 {
			t.Fatalf("the party's cases: %d %v", len(cs), err)
		}
		states := map[string]enforce.PenaltyCase{}
		for _, c := range cs {
			states[c.Number] = c
		}
		if c := states["天应急立〔2025〕41号"]; c.State != enforce.CaseClosed || c.Fine != 20000 || c.Year != 2025 || c.PaidOn != "2025-12-01" || c.Overdue {
			t.Errorf("the closed case: %+v", c)
		}
		if c := states["天应急立〔2026〕7号"]; c.State != enforce.CaseDecided || c.Source != "tip" || c.Article != 101 || !c.Overdue {
			t.Errorf("the decided case (not served, so overdue for service): %+v", c)
		}
		if e, _ = s.Ents.Get(ctx, member, firm); !strings.Contains(e.ClassReason, "近12个月违法行为 2 次") {
			t.Errorf("the class does not count the imported penalties: %q", e.ClassReason)
		}

		// The department's exported ledger reads back: every case on file.
		led, err := s.Enforce.CaseLedger(ctx, member, enforce.CaseFilter{})
		if err != nil || len(led.Rows) < 3 {
			t.Fatalf("the ledger: %d rows, %v", len(led.Rows), err)
		}
		var b bytes.Buffer
		if err := led.XLSX(&b); err != nil {
			t.Fatal(err)
		}
		back, err := s.Enforce.ImportCases(ctx, member, docs.File{Name: "台账.xlsx", Data: b.Bytes()})
		if err != nil || back.Imported != 0 || len(back.Rejected) != len(led.Rows) {
			t.Fatalf("the ledger read back: imported %d, refused %d of %d (%v)", back.Imported, len(back.Rejected), len(led.Rows), err)
		}
		decidedAt := slices.Index(led.Header, "决定日期")
		for _, r := range back.Rejected {
			decided := led.Rows[r.Row-2][decidedAt] != "" // the header is line 1
			if decided && (len(r.Reasons) != 1 || !strings.Contains(r.Reasons[0], "已有")) {
				t.Errorf("decided ledger row %d refused for more than being on file: %v", r.Row, r.Reasons)
			}
			if !decided && !strings.Contains(strings.Join(r.Reasons, ""), "决定日期: 请填写") {
				t.Errorf("a case not yet decided (row %d) is refused for: %v", r.Row, r.Reasons)
			}
		}
		if _, err := s.Enforce.ImportCases(ctx, crew.Team[0], sheet()); err != nil {
			t.Errorf("an officer of the department imports: %v", err)
		}
		if _, err := s.Enforce.ImportCases(ctx, enterpriseActor(t, ctx, s, firm), sheet()); err == nil {
			t.Error("an enterprise imported cases")
		}
	})
}
