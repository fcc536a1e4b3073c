package hazard_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/hazard"
)

// TestTextsHaveLimits: a description longer than its limit is refused
// naming the field and nothing is stored (issue 14.5: 21,600 characters
// were); a step's reason too.
func TestTextsHaveLimits(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
		db, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		ent, member := actor(t, s.Org, "enterprise"), actor(t, s.Org, "member")
		var before int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM hazards").Scan(&before); err != nil {
			t.Fatal(err)
		}
		long := strings.Repeat("线路老化", 5400) // 21,600 characters
		_, err := s.Hazards.Report(ctx, ent, hazard.ReportInput{Place: "仓库", Description: long, Source: "self"})
		if apperr.FieldOf(err) != "description" || !strings.Contains(err.Error(), "不能超过 1000 字") {
			t.Fatalf("a 21,600-character description: %v", err)
		}
		var after int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM hazards").Scan(&after); err != nil || after != before {
			t.Errorf("hazards stored: %d → %d (%v)", before, after, err)
		}
		h, err := s.Hazards.Report(ctx, ent, hazard.ReportInput{Place: "仓库", Description: strings.Repeat("线", 1000), Source: "self"})
		if err != nil {
			t.Fatalf("a description of exactly 1000 characters: %v", err)
		}
		if _, err := s.Hazards.Act(ctx, member, h.ID, hazard.Step{Action: hazard.Judge, Level: hazard.Major, Reasoning: strings.Repeat("理", 1001)}); apperr.FieldOf(err) != "reasoning" {
			t.Errorf("a 1001-character reasoning: %v", err)
		}
		// The 督办要求 printed in the 督办通知书, and the 文号's prefix.
		if _, err := s.Hazards.Act(ctx, member, h.ID, hazard.Step{Action: hazard.Judge, Level: hazard.Major, Reasoning: "罐区无紧急切断"}); err != nil {
			t.Fatal(err)
		}
		office := actor(t, s.Org, "office")
		for field, in := range map[string]hazard.ListingInput{
			"requirement": {Deadline: "2026-12-31", Requirement: strings.Repeat("要", hazard.Limits["requirement"]+1)},
			"doc_prefix":  {Deadline: "2026-12-31", DocPrefix: strings.Repeat("天", hazard.Limits["doc_prefix"]+1)},
		} {
			if _, err := s.Hazards.AddListing(ctx, office, h.ID, in); apperr.FieldOf(err) != field {
				t.Errorf("a %s over its limit: %v", field, err)
			}
		}
	})
}
