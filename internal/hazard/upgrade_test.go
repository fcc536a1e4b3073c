package hazard_test

import (
	"fmt"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/hazard"
)

// TestExpertRequestsBeforeTheUpgradeAreTheirs: a request asked before the
// inbox knew its addressees (00015) becomes its expert's on the upgrade,
// not the whole pool's (second review: every expert of the pool then held
// its colleagues' requests in their 待办, and could not answer them); what
// the asking department was told stays the department's.
func TestExpertRequestsBeforeTheUpgradeAreTheirs(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		w := newWorld(t, dialect)
		expert := actor(t, w.orgs, "expert")
		h, err := w.svc.Report(w.ctx, w.ent, hazard.ReportInput{Place: "液氯汽化器", Description: "温度联锁失效"})
		if err != nil {
			t.Fatal(err)
		}
		os, err := w.svc.AskExperts(w.ctx, w.member, h.ID, hazard.AskInput{ExpertIDs: []int64{expert.UserID}, Question: "是否构成重大事故隐患？"})
		if err != nil || len(os) != 1 {
			t.Fatalf("ask: %v %v", os, err)
		}
		if _, err := w.svc.Answer(w.ctx, expert, os[0].ID, hazard.AnswerInput{Level: hazard.General, Reasoning: "联锁可在线修复"}); err != nil {
			t.Fatal(err)
		}
		if err := w.db.MigrateTo(w.ctx, 14); err != nil {
			t.Fatal(err)
		}
		if _, err := w.db.Migrate(w.ctx); err != nil {
			t.Fatal(err)
		}
		addressee := func(dedup string) int64 {
			var u *int64
			if err := w.db.QueryRow(w.ctx, "SELECT user_id FROM inbox WHERE dedup = ?", dedup).Scan(&u); err != nil {
				t.Fatalf("%s: %v", dedup, err)
			}
			if u == nil {
				return 0
			}
			return *u
		}
		occ := fmt.Sprintf("hazard.opinion:%d", os[0].ID)
		if got := addressee(occ); got != expert.UserID {
			t.Errorf("the request's addressee after the upgrade: %d, want the expert %d", got, expert.UserID)
		}
		if got := addressee(occ + ":answered"); got != 0 {
			t.Errorf("the department's message is now user %d's", got)
		}
	})
}
