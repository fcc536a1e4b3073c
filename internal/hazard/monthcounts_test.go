package hazard_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"anwei/internal/app/apptest"
	"anwei/internal/calendar"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/store"
)

// monthRows reads hazard_month_counts as "month unit source region:
// reported/major/closed" lines (rows of nothing left out), and the same
// recounted from the hazards, on the Shanghai calendar.
func monthRows(t *testing.T, w *world) (kept, recounted []string) {
	t.Helper()
	rows, err := w.db.Query(w.ctx, "SELECT month, unit_id, source, region_code, reported, major, closed FROM hazard_month_counts")
	kept, err = store.Collect(rows, err, func(r store.Scanner) (string, error) {
		var m, src, reg string
		var unit int64
		var n, major, closed int
		err := r.Scan(&m, &unit, &src, &reg, &n, &major, &closed)
		return fmt.Sprintf("%s %d %s %s: %d/%d/%d", m, unit, src, reg, n, major, closed), err
	})
	if err != nil {
		t.Fatal(err)
	}
	kept = slices.DeleteFunc(kept, func(s string) bool { return strings.HasSuffix(s, ": 0/0/0") })
	type key struct {
		month, src, reg string
		unit            int64
	}
	counts := map[key]*[3]int{}
	bump := func(k key, i int) {
		if counts[k] == nil {
			counts[k] = new([3]int)
		}
		counts[k][i]++
	}
	rows, err = w.db.Query(w.ctx, "SELECT created_at, closed_at, unit_id, source, region_code, level FROM hazards")
	err = store.Each(rows, err, func(r store.Scanner) error {
		var created time.Time
		var closed *time.Time
		var k key
		var level string
		if err := r.Scan(&created, &closed, &k.unit, &k.src, &k.reg, &level); err != nil {
			return err
		}
		k.month = calendar.Local(created).Format("2006-01")
		bump(k, 0)
		if level == hazard.Major {
			bump(k, 1)
		}
		if closed != nil {
			k.month = calendar.Local(*closed).Format("2006-01")
			bump(k, 2)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for k, c := range counts {
		recounted = append(recounted, fmt.Sprintf("%s %d %s %s: %d/%d/%d", k.month, k.unit, k.src, k.reg, c[0], c[1], c[2]))
	}
	slices.Sort(kept)
	slices.Sort(recounted)
	return kept, recounted
}

// TestMonthCountsAreTheHazardsRecounted: the trend's month counts equal a
// recount from the hazards after reports (one fixed at once by the
// enterprise), judgements, a close in November, its reopening and second
// close in December (the November close taken back), a report in December
// and the enterprise's move to another street (its open hazards' counts go
// with them, the closed ones' stay); hazards loaded in bulk either side of
// a Shanghai month's end count in their months; the migration's backfill
// recounts the same; an expert's trend counts the hazard it was asked to
// judge, beyond the month counts of its scope (both databases).
func TestMonthCountsAreTheHazardsRecounted(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		w := newWorld(t, dialect)
		check := func(when string) {
			t.Helper()
			kept, recounted := monthRows(t, w)
			if !slices.Equal(kept, recounted) {
				t.Errorf("%s: the month counts\n%s\nthe hazards recounted\n%s", when, strings.Join(kept, "\n"), strings.Join(recounted, "\n"))
			}
		}
		act := func(a *org.Actor, id int64, st hazard.Step) {
			t.Helper()
			if _, err := w.svc.Act(w.ctx, a, id, st); err != nil {
				t.Fatal(err)
			}
		}
		check("the seeded demo")
		w.major(t, "液氯储罐区", "2026-12-20")
		// An expert sees the hazard it was asked to judge, outside any
		// enterprise of its own: its trend counts it as its listing lists it.
		expert := actor(t, w.orgs, "expert")
		asked, err := w.svc.Report(w.ctx, w.ent, hazard.ReportInput{Place: "液氯汽化器", Description: "温度联锁失效"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.AskExperts(w.ctx, w.member, asked.ID, hazard.AskInput{ExpertIDs: []int64{expert.UserID}, Question: "是否构成重大事故隐患？"}); err != nil {
			t.Fatal(err)
		}
		if tr, err := w.svc.Trend(w.ctx, expert, 2026); err != nil || tr.Months[10].Reported != 1 || tr.Months[10].Major != 0 {
			t.Errorf("the expert's November: %+v (%v), want the one hazard it was asked about", tr.Months, err)
		} else if _, n, err := w.svc.List(w.ctx, expert, hazard.Filter{Month: "2026-11"}); err != nil || n != 1 {
			t.Errorf("the expert's November lists %d (%v)", n, err)
		}
		gen, err := w.svc.Report(w.ctx, w.member, hazard.ReportInput{EnterpriseID: w.ent.Unit.ID, Place: "配电室", Description: "电缆沟积水", Source: "inspection"})
		if err != nil {
			t.Fatal(err)
		}
		act(w.member, gen.ID, hazard.Step{Action: hazard.Judge, Level: hazard.General})
		act(w.member, gen.ID, hazard.Step{Action: hazard.Assign, Deadline: "2026-12-25", Writ: "天应急改〔2026〕9号"})
		act(w.ent, gen.ID, hazard.Step{Action: hazard.Start})
		act(w.ent, gen.ID, hazard.Step{Action: hazard.Submit, Evidence: "已排水并封堵"})
		act(w.member, gen.ID, hazard.Step{Action: hazard.Pass})
		if _, err := w.svc.Report(w.ctx, w.ent, hazard.ReportInput{EnterpriseID: w.ent.Unit.ID, Place: "机修车间", Description: "砂轮机防护罩缺失", Handling: "fix",
			Measures: "已加装防护罩", Responsible: "机修班长 赵磊", Photos: jpeg("前.jpg"), AfterPhotos: jpeg("后.jpg")}); err != nil {
			t.Fatal(err)
		}
		check("November")
		w.clock.Advance(10 * 24 * time.Hour) // 3 December
		act(w.member, gen.ID, hazard.Step{Action: hazard.Reopen, Reason: "复查发现电缆沟再次积水"})
		check("reopened in December")
		act(w.ent, gen.ID, hazard.Step{Action: hazard.Submit, Evidence: "已加装排水泵"})
		act(w.member, gen.ID, hazard.Step{Action: hazard.Pass})
		if _, err := w.svc.Report(w.ctx, w.ent, hazard.ReportInput{EnterpriseID: w.ent.Unit.ID, Place: "仓库", Description: "灭火器过期"}); err != nil {
			t.Fatal(err)
		}
		check("closed again in December")
		other := w.otherStreet(t)
		if err := w.db.Tx(w.ctx, func(tx *store.Tx) error {
			_, err := w.svc.FollowEnterprise(w.ctx, tx, w.ent.Unit.ID, other.Unit.Region)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		check("the enterprise moved")
		var moved int
		if err := w.db.QueryRow(w.ctx, "SELECT COALESCE(SUM(reported), 0) FROM hazard_month_counts WHERE region_code = ?", other.Unit.Region).Scan(&moved); err != nil || moved < 2 {
			t.Errorf("the moved enterprise's open hazards counted in its new street: %d (%v)", moved, err)
		}
		// Loaded in bulk (the bench's way), either side of a Shanghai month's
		// end: 31 October 23:50 is October, 1 November 00:10 November, though
		// both are 31 October in UTC.
		sh := func(mo time.Month, d, h, min int) time.Time {
			return time.Date(2026, mo, d, h, min, 0, 0, calendar.Shanghai).UTC()
		}
		late, early := sh(10, 31, 23, 50), sh(11, 1, 0, 10)
		if err := w.db.Tx(w.ctx, func(tx *store.Tx) error {
			lc, err := hazard.Load(w.ctx, tx, []hazard.Loaded{
				{Number: "YHTEST-1", Place: "仓库", Description: "消防通道堵塞", Source: "inspection", Level: hazard.Major, UnitID: w.ent.Unit.ID,
					Region: other.Unit.Region, State: hazard.Closed, CreatedAt: late, UpdatedAt: early, CreatedBy: 1, ClosedAt: &early},
				{Number: "YHTEST-2", Place: "仓库", Description: "消防通道堵塞", Source: "grid", Level: hazard.General, UnitID: w.ent.Unit.ID,
					Region: other.Unit.Region, State: hazard.Reported, CreatedAt: early, UpdatedAt: early, CreatedBy: 1},
			})
			if err != nil {
				return err
			}
			return hazard.WriteCounts(w.ctx, tx, lc)
		}); err != nil {
			t.Fatal(err)
		}
		check("loaded in bulk")
		// The migration's backfill counts the same (00020, on both databases).
		if err := w.db.MigrateTo(w.ctx, 19); err != nil {
			t.Fatal(err)
		}
		if _, err := w.db.Migrate(w.ctx); err != nil {
			t.Fatal(err)
		}
		check("recounted by the migration")
		tr, err := w.svc.Trend(w.ctx, w.office, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if nov, dec := tr.Months[10], tr.Months[11]; fmt.Sprint(tr.Months[9].Reported, tr.Months[9].Major, nov.Reported, nov.Major, nov.Closed, dec.Reported, dec.Closed) != "1 1 5 1 2 1 1" {
			t.Errorf("the trend's November %+v and December %+v", nov, dec)
		}
	})
}
