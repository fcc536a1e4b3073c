package risk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/risk"
)

// TestTextsHaveLimits: each free-text field of a risk point is refused past
// its limit, naming it, on creation and on reassessment, and nothing is
// stored; a text of exactly its limit is kept (issue 14.5).
func TestTextsHaveLimits(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: calendar.NewFixed(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))}, 20, false)
		ent := actor(t, s.Org, "enterprise")
		count := func() (n int) {
			if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM risk_assessments").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()
		in := risk.Input{EnterpriseID: ent.Unit.ID, Name: "液氯储罐区", Activity: "液氯装卸", Factors: "液氯泄漏", Accidents: "中毒和窒息",
			Measures: "紧急切断", Responsible: "王强", Emergency: "启动碱液吸收", Inputs: risk.Inputs{L: 6, E: 6, C: 7}}
		long := func(field string) string { return strings.Repeat("长", risk.Limits[field]+1) }
		for field, set := range map[string]func(*risk.Input){
			"name": func(in *risk.Input) { in.Name = long("name") }, "activity": func(in *risk.Input) { in.Activity = long("activity") },
			"factors": func(in *risk.Input) { in.Factors = long("factors") }, "measures": func(in *risk.Input) { in.Measures = long("measures") },
			"emergency":   func(in *risk.Input) { in.Emergency = long("emergency") },
			"responsible": func(in *risk.Input) { in.Responsible = long("responsible") },
			"note":        func(in *risk.Input) { in.Note = long("note") },
		} {
			bad := in
			set(&bad)
			if _, err := s.Risks.Create(ctx, ent, bad); apperr.FieldOf(err) != field || !strings.Contains(err.Error(), "不能超过") {
				t.Errorf("a %s too long: %v", field, err)
			}
		}
		if n := count(); n != before {
			t.Errorf("refused points were assessed: %d → %d", before, n)
		}
		in.Factors = strings.Repeat("泄", risk.Limits["factors"])
		p, err := s.Risks.Create(ctx, ent, in)
		if err != nil {
			t.Fatalf("factors of exactly the limit: %v", err)
		}
		in.Note = long("note")
		if _, err := s.Risks.Reassess(ctx, ent, p.ID, in); apperr.FieldOf(err) != "note" {
			t.Errorf("a reassessment's note too long: %v", err)
		}
	})
}
