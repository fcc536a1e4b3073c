package plan_test

import (
	"context"
	"slices"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/numbering"
	"anwei/internal/paging"
	"anwei/internal/plan"
	"anwei/internal/store"
)

// TestUpgradeNoticesNumberOn: a deployment that issued 提醒函 and 交办单
// before the counters existed (schema 00010) numbers each kind on from its
// largest seq of the office and year once upgraded (migration 00011 seeds
// the counters).
func TestUpgradeNoticesNumberOn(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		// What the earlier code issued besides the demo's 天安办提〔2026〕1号.
		if err := w.db.Tx(ctx, func(tx *store.Tx) error {
			for _, n := range []struct {
				kind      string
				year, seq int
				doc       string
			}{{plan.NoticeReminder, 2026, 5, "天安办提〔2026〕5号"}, {plan.NoticeSheet, 2026, 3, "天安办交〔2026〕3号"}, {plan.NoticeReminder, 2025, 9, "天安办提〔2025〕9号"}} {
				if _, err := tx.Exec(ctx, `INSERT INTO plan_notices (office_id, unit_id, region_code, kind, year, seq, doc_number, title, issuer,
					addressee, body, issued_on, answer_by, created_at, created_by) SELECT office_id, unit_id, region_code, ?, ?, ?, ?, title, issuer,
					addressee, body, issued_on, answer_by, created_at, created_by FROM plan_notices WHERE doc_number = '天安办提〔2026〕1号'`,
					n.kind, n.year, n.seq, n.doc); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := w.db.MigrateTo(ctx, 10); err != nil {
			t.Fatal(err)
		}
		if _, err := w.db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}

		w.at(t, "2026-10-05")
		overdue, _, err := w.plans.ListInstances(ctx, w.office, plan.InstanceFilter{PlanID: w.plan, Status: plan.StatusOverdue, Page: paging.Page{Limit: 500}})
		if err != nil || len(overdue) < 2 {
			t.Fatalf("overdue duties: %d %v", len(overdue), err)
		}
		var numbers []string
		for _, kind := range []string{plan.NoticeReminder, plan.NoticeSheet} {
			ids, err := w.plans.IssueNotices(ctx, w.office, plan.NoticeInput{Kind: kind, InstanceIDs: []int64{overdue[0].ID}, AnswerBy: "2026-10-20", Again: true})
			if err != nil || len(ids) != 1 {
				t.Fatalf("%s: %v %v", kind, ids, err)
			}
			n, err := w.plans.GetNotice(ctx, w.office, ids[0])
			if err != nil {
				t.Fatal(err)
			}
			numbers = append(numbers, n.DocNumber)
		}
		if !slices.Equal(numbers, []string{"天安办提〔2026〕6号", "天安办交〔2026〕4号"}) {
			t.Errorf("after the upgrade: %q, want 天安办提〔2026〕6号 and 天安办交〔2026〕4号", numbers)
		}
		if n, err := numbering.Last(ctx, w.db, plan.NoticeNumbers(plan.NoticeReminder), numbering.ID(w.office.Unit.ID), 2025); err != nil || n != 9 {
			t.Errorf("提醒函 of 2025: last %d (%v), want 9", n, err)
		}
	})
}
