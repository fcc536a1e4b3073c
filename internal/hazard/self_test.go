package hazard_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/files"
	"anwei/internal/hazard"
)

func jpeg(name string) []files.Upload {
	return []files.Upload{{Name: name, ContentType: "image/jpeg", Body: strings.NewReader("\xff\xd8\xff\xe0 " + name)}}
}

// ledgerRow is the ledger's row of a hazard, by column name.
func ledgerRow(t *testing.T, w *world, number string) map[string]string {
	t.Helper()
	sh, err := w.svc.Ledger(w.ctx, w.office, hazard.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sh.Rows {
		if r[0] == number {
			out := map[string]string{}
			for i, c := range sh.Header {
				out[c] = r[i]
			}
			return out
		}
	}
	t.Fatalf("%s not in the ledger", number)
	return nil
}

// handlingsAgree checks that the list's 整改方式 filter (SQL) and the
// record's (HandlingOf) agree on every hazard the office sees.
func handlingsAgree(t *testing.T, w *world) {
	t.Helper()
	_, all, err := w.svc.List(w.ctx, w.office, hazard.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, k := range hazard.Handlings {
		hs, n, err := w.svc.List(w.ctx, w.office, hazard.Filter{Handling: k.Key})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hs {
			if h.Handling != k.Key {
				t.Errorf("%s listed as %s is %s", h.Number, k.Key, h.Handling)
			}
		}
		sum += n
	}
	if sum != all {
		t.Errorf("the handlings list %d of %d hazards", sum, all)
	}
}

// TestEnterpriseFixesItsOwnGeneralHazardAtOnce: 即查即改 — the enterprise
// reports a general hazard it found and closes it in the same step, with
// photos before and after; the department sees it closed, in its figures
// and in the ledger marked 即查即改. Without a photo after, or from a
// department, nothing is stored.
func TestEnterpriseFixesItsOwnGeneralHazardAtOnce(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		w := newWorld(t, dialect)
		before, err := w.svc.Figures(w.ctx, w.member, 0)
		if err != nil {
			t.Fatal(err)
		}
		in := hazard.ReportInput{EnterpriseID: w.ent.Unit.ID, Place: "机修车间", Description: "砂轮机防护罩缺失", Handling: "fix",
			Measures: "已加装防护罩并调整托架间隙", Responsible: "机修班长 赵磊", Photos: jpeg("前.jpg")}
		if _, err := w.svc.Report(w.ctx, w.ent, in); apperr.FieldOf(err) != "after_files" {
			t.Errorf("a fix without a photo after: %v", err)
		}
		gov := in
		gov.Photos, gov.AfterPhotos, gov.Source = jpeg("前.jpg"), jpeg("后.jpg"), "inspection"
		if _, err := w.svc.Report(w.ctx, w.member, gov); apperr.FieldOf(err) != "handling" {
			t.Errorf("a department fixes its own finding: %v", err)
		}
		if _, n, _ := w.svc.List(w.ctx, w.office, hazard.Filter{}); n != 0 {
			t.Fatalf("refused reports stored: %d", n)
		}
		in.Photos, in.AfterPhotos = jpeg("前.jpg"), jpeg("后.jpg")
		h, err := w.svc.Report(w.ctx, w.ent, in)
		if err != nil {
			t.Fatal(err)
		}
		if h.State != hazard.Closed || h.Level != hazard.General || h.ClosedAt == nil || h.Handling != "fix" || h.Source != "self" {
			t.Errorf("fixed: %+v", h)
		}
		got, err := w.svc.Get(w.ctx, w.member, h.ID)
		if err != nil || got.State != hazard.Closed || got.Handling != "fix" || got.ClosedAt == nil {
			t.Errorf("the department sees %+v %v", got, err)
		}
		if acts := hazard.Allowed(w.ent, got); len(acts) != 0 {
			t.Errorf("steps left on a fixed hazard: %v", acts)
		}
		ps, err := w.svc.ListPhotos(w.ctx, w.member, h.ID)
		if err != nil || len(ps) != 2 || ps[0].Stage != hazard.StageReport || ps[1].Stage != hazard.StageRectified {
			t.Errorf("photos: %+v %v", ps, err)
		}
		hist, err := w.svc.GetHistory(w.ctx, w.member, h.ID)
		if err != nil || len(hist) != 2 || hist[1].Action != "fix" || hist[1].To != hazard.Closed || hist[1].Note != in.Measures {
			t.Errorf("history: %+v %v", hist, err)
		}
		row := ledgerRow(t, w, h.Number)
		if row["整改方式"] != "即查即改" || row["状态"] != "已销号" || row["等级"] != "一般" || !strings.Contains(row["处理记录"], "即查即改：已加装防护罩") {
			t.Errorf("ledger row: %v", row)
		}
		if fixed, n, _ := w.svc.List(w.ctx, w.office, hazard.Filter{Handling: "fix"}); n != 1 || fixed[0].ID != h.ID {
			t.Errorf("listed as fixed: %d", n)
		}
		if _, n, _ := w.svc.List(w.ctx, w.office, hazard.Filter{Handling: "department"}); n != 0 {
			t.Errorf("listed as the department's: %d", n)
		}
		after, err := w.svc.Figures(w.ctx, w.member, 0)
		if err != nil {
			t.Fatal(err)
		}
		if after.All.Total != before.All.Total+1 || after.All.Closed != before.All.Closed+1 || after.All.Major != before.All.Major {
			t.Errorf("figures %+v, before %+v", after.All, before.All)
		}
		if b, err := w.svc.Bulletin(w.ctx, w.office, "", ""); err != nil || b.Figures.All.Total != 1 || b.Figures.All.Closed != 1 || b.Figures.All.Overdue != 0 {
			t.Errorf("bulletin %+v %v", b.Figures.All, err)
		}
		// Found not fixed, the department reopens it, reviews it and closes
		// it (review finding: nobody could reopen a hazard the enterprise
		// closed itself); the enterprise may not reopen its own.
		if acts := hazard.Allowed(w.member, got); !slices.Equal(acts, []hazard.Action{hazard.Reopen}) {
			t.Errorf("the department may %v on a fixed hazard", acts)
		}
		re, err := w.svc.Act(w.ctx, w.member, h.ID, hazard.Step{Action: hazard.Reopen, Reason: "现场检查发现防护罩未固定"})
		if err != nil || re.State != hazard.Rectifying || re.AssignedBy != w.member.Unit.ID || re.Handling != "department" {
			t.Fatalf("reopened: %+v %v", re, err)
		}
		for _, st := range []hazard.Step{{Action: hazard.Submit, Evidence: "防护罩已用螺栓固定"}} {
			if _, err := w.svc.Act(w.ctx, w.ent, h.ID, st); err != nil {
				t.Fatal(err)
			}
		}
		if closed, err := w.svc.Act(w.ctx, w.member, h.ID, hazard.Step{Action: hazard.Pass}); err != nil || closed.State != hazard.Closed {
			t.Errorf("closed again by the department: %+v %v", closed, err)
		}
		handlingsAgree(t, w)
		if _, err := audit.Verify(w.ctx, w.db); err != nil {
			t.Error(err)
		}
	})
}

// TestEnterpriseRectifiesItsOwnGeneralHazard: 自行整改 — the enterprise
// sets the deadline, the responsible person and the measures, rectifies,
// and closes it after its own acceptance; the department sees it open
// meanwhile and may take it over instead.
func TestEnterpriseRectifiesItsOwnGeneralHazard(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		w := newWorld(t, dialect)
		in := hazard.ReportInput{EnterpriseID: w.ent.Unit.ID, Place: "仓库", Description: "货架未固定，层板变形", Handling: "self",
			Measures: "更换层板，货架与墙体固定", Responsible: "仓储主管 刘洋", Deadline: "2026-11-23"}
		if _, err := w.svc.Report(w.ctx, w.ent, in); apperr.FieldOf(err) != "deadline" {
			t.Errorf("a deadline of today: %v", err)
		}
		in.Deadline = "2026-12-05"
		h, err := w.svc.Report(w.ctx, w.ent, in)
		if err != nil {
			t.Fatal(err)
		}
		if h.State != hazard.SelfRectifying || h.Level != hazard.General || h.Deadline != "2026-12-05" || h.Handling != "self" {
			t.Errorf("self: %+v", h)
		}
		h, _ = w.svc.Get(w.ctx, w.member, h.ID)
		if got := hazard.Allowed(w.ent, h); !slices.Equal(got, []hazard.Action{hazard.Accept}) {
			t.Errorf("the enterprise may %v", got)
		}
		if got := hazard.Allowed(w.member, h); !slices.Equal(got, []hazard.Action{hazard.Judge}) {
			t.Errorf("the department may %v", got)
		}
		if _, n, _ := w.svc.List(w.ctx, w.member, hazard.Filter{Open: true, Handling: "self"}); n != 1 {
			t.Errorf("the department's open self-rectified: %d", n)
		}
		if _, err := w.svc.Act(w.ctx, w.member, h.ID, hazard.Step{Action: hazard.Accept, Evidence: "x"}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("the department accepts the enterprise's own: %v", err)
		}
		if _, err := w.svc.Act(w.ctx, w.ent, h.ID, hazard.Step{Action: hazard.Accept}); apperr.FieldOf(err) != "evidence" {
			t.Errorf("accepted without what was done: %v", err)
		}
		done, err := w.svc.Act(w.ctx, w.ent, h.ID, hazard.Step{Action: hazard.Accept, Evidence: "层板已更换，货架已固定，经安全科验收合格", Photos: jpeg("验收.jpg")})
		if err != nil || done.State != hazard.Closed || done.ClosedAt == nil || done.Handling != "self" {
			t.Fatalf("accept: %+v %v", done, err)
		}
		if row := ledgerRow(t, w, h.Number); row["整改方式"] != "企业自行整改" || row["整改期限"] != "2026-12-05" || row["责任人"] != "仓储主管 刘洋" {
			t.Errorf("ledger row: %v", row)
		}
		f, err := w.svc.Figures(w.ctx, w.office, 0)
		if err != nil || f.All.Total != 1 || f.All.Closed != 1 || f.All.Overdue != 0 {
			t.Errorf("figures %+v %v", f.All, err)
		}
		// Past its deadline, an open self-rectification is overdue in the
		// figures and the bulletin like any other.
		late, err := w.svc.Report(w.ctx, w.ent, hazard.ReportInput{EnterpriseID: w.ent.Unit.ID, Place: "泵房", Description: "排风扇损坏",
			Handling: "self", Measures: "更换排风扇", Responsible: "设备主管 孙涛", Deadline: "2026-11-25"})
		if err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(5 * 24 * time.Hour)
		if f, err := w.svc.Figures(w.ctx, w.office, 0); err != nil || f.All.Total != 2 || f.All.Closed != 1 || f.All.Overdue != 1 {
			t.Errorf("figures with one overdue %+v %v", f.All, err)
		}
		if b, err := w.svc.Bulletin(w.ctx, w.office, "2026-11-01", ""); err != nil || b.Figures.All.Total != 2 || b.Figures.All.Closed != 1 || b.Figures.All.Overdue != 1 {
			t.Errorf("bulletin %+v %v", b.Figures.All, err)
		}
		if got, _ := w.svc.Get(w.ctx, w.member, late.ID); !got.Overdue {
			t.Error("an overdue self-rectification is not marked")
		}
		// Taken over past the enterprise's deadline, it is the department's
		// to time: not overdue, not escalated, until it assigns a deadline.
		taken, err := w.svc.Act(w.ctx, w.member, late.ID, hazard.Step{Action: hazard.Judge, Level: hazard.General})
		if err != nil {
			t.Fatal(err)
		}
		if taken, _ = w.svc.Get(w.ctx, w.member, late.ID); taken.Deadline != "" || taken.Overdue {
			t.Errorf("taken over past the enterprise's deadline: deadline %q, overdue %v", taken.Deadline, taken.Overdue)
		}
		if n, err := w.svc.SweepOverdue(w.ctx); err != nil || n != 0 {
			t.Errorf("the sweep escalated %d hazards after the take-over (%v)", n, err)
		}
		// A department takes over another one: it judges it 重大 and
		// assigns it; the enterprise no longer closes it.
		in.Place, in.Deadline = "配电室", "2026-12-10"
		h2, err := w.svc.Report(w.ctx, w.ent, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range []hazard.Step{{Action: hazard.Judge, Level: hazard.Major, Criterion: "hg121-5"},
			{Action: hazard.Assign, Deadline: "2026-12-20", Writ: "天应急责改〔2026〕21号"}} {
			if h2, err = w.svc.Act(w.ctx, w.member, h2.ID, st); err != nil {
				t.Fatal(err)
			}
		}
		if h2.Handling != "department" || hazard.Allowed(w.ent, h2)[0] != hazard.Start {
			t.Errorf("taken over: %+v %v", h2, hazard.Allowed(w.ent, h2))
		}
		handlingsAgree(t, w)
		if _, err := audit.Verify(w.ctx, w.db); err != nil {
			t.Error(err)
		}
	})
}

// TestEnterpriseClosesNeitherMajorNorGovernmentFindings: an enterprise
// never closes its own 重大 hazard nor a department's finding; those go
// through 判定/交办/复查 and the assigning unit closes them.
func TestEnterpriseClosesNeitherMajorNorGovernmentFindings(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		w := newWorld(t, dialect)
		major := w.major(t, "液氯储罐区", "2026-12-20") // reported by the enterprise, judged 重大 and assigned
		found, err := w.svc.Report(w.ctx, w.member, hazard.ReportInput{EnterpriseID: w.ent.Unit.ID, Place: "配电室", Description: "电缆沟积水", Source: "inspection"})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range []hazard.Step{{Action: hazard.Judge, Level: hazard.General}, {Action: hazard.Assign, Deadline: "2026-12-01", Writ: "天应急改〔2026〕5号"}} {
			if _, err := w.svc.Act(w.ctx, w.member, found.ID, st); err != nil {
				t.Fatal(err)
			}
		}
		for _, h := range []hazard.Hazard{major, found} {
			for _, st := range []hazard.Step{{Action: hazard.Start}, {Action: hazard.Submit, Evidence: "已整改"}} {
				if _, err := w.svc.Act(w.ctx, w.ent, h.ID, st); err != nil {
					t.Fatal(err)
				}
			}
			for _, st := range []hazard.Step{{Action: hazard.Pass}, {Action: hazard.Accept, Evidence: "自行验收合格"}, {Action: hazard.Fix, Measures: "x", Photos: jpeg("后.jpg")}} {
				if _, err := w.svc.Act(w.ctx, w.ent, h.ID, st); err == nil {
					t.Errorf("the enterprise took %s on %s", st.Action, h.Place)
				}
			}
			got, _ := w.svc.Get(w.ctx, w.member, h.ID)
			if got.State != hazard.Rectified || got.Handling != "department" {
				t.Errorf("%s: %+v", h.Place, got)
			}
			if _, err := w.svc.Act(w.ctx, w.member, h.ID, hazard.Step{Action: hazard.Pass}); err != nil {
				t.Errorf("the department closes %s: %v", h.Place, err)
			}
		}
		// Reported to the department, not yet judged: the enterprise waits
		// for the 判定 (it chose the department).
		h, err := w.svc.Report(w.ctx, w.ent, hazard.ReportInput{EnterpriseID: w.ent.Unit.ID, Place: "罐区", Description: "可能构成重大隐患", Handling: "department"})
		if err != nil || h.State != hazard.Reported {
			t.Fatalf("reported: %+v %v", h, err)
		}
		if acts := hazard.Allowed(w.ent, h); len(acts) != 0 {
			t.Errorf("the enterprise may %v before the 判定", acts)
		}
	})
}
