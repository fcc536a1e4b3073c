package risk_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/org"
	"anwei/internal/risk"
)

func actor(t *testing.T, orgs *org.Service, name string) *org.Actor {
	t.Helper()
	a, err := orgs.ActorByUsername(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestRiskPointsGradeUnderTheJurisdictionsScheme: an enterprise grades a
// point by LEC (the example D = 252, 橙), values outside the tables and
// unknown accident types are refused naming the field, the office switches
// the county to LS variant B and then to its own LEC cut-offs, and each
// re-assessment is kept; others cannot see the point.
func TestRiskPointsGradeUnderTheJurisdictionsScheme(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
		db, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		orgs, svc := s.Org, s.Risks
		ent, office, member, street := actor(t, orgs, "enterprise"), actor(t, orgs, "office"), actor(t, orgs, "member"), actor(t, orgs, "street")
		in := risk.Input{EnterpriseID: ent.Unit.ID, Name: "液氯储罐区", Activity: "液氯装卸", Factors: "液氯泄漏", Accidents: "中毒和窒息、容器爆炸",
			Measures: "紧急切断、泄漏报警、吸收装置", Responsible: "储运车间主任 王强", Emergency: "佩戴正压式空气呼吸器，启动碱液吸收", Inputs: risk.Inputs{L: 6, E: 6, C: 7}}
		bad := in
		bad.Inputs.E = 5
		if _, err := svc.Create(ctx, ent, bad); apperr.FieldOf(err) != "e" {
			t.Errorf("E = 5: %v", err)
		}
		bad = in
		bad.Accidents = "中毒、爆炸"
		if _, err := svc.Create(ctx, ent, bad); apperr.FieldOf(err) != "accidents" {
			t.Errorf("accident types not in GB 6441: %v", err)
		}
		p, err := svc.Create(ctx, ent, in)
		if err != nil {
			t.Fatal(err)
		}
		if p.Value != 252 || p.Colour != "orange" || p.Level != "较大风险" || p.ControlLevel != "workshop" || p.Inputs != "L=6 E=6 C=7" {
			t.Errorf("graded %+v", p)
		}
		if err := svc.SetScheme(ctx, ent, risk.Scheme{Method: "ls", Variant: "B"}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("an enterprise sets the scheme: %v", err)
		}
		if err := svc.SetScheme(ctx, office, risk.Scheme{Method: "ls", Variant: "C"}); apperr.FieldOf(err) != "variant" {
			t.Errorf("variant C: %v", err)
		}
		if err := svc.SetScheme(ctx, office, risk.Scheme{Method: "ls", Variant: "B"}); err != nil {
			t.Fatal(err)
		}
		in.Inputs = risk.Inputs{L: 3, S: 4}
		in.Note = "改用风险矩阵"
		if p, err = svc.Reassess(ctx, ent, p.ID, in); err != nil || p.Value != 12 || p.Colour != "orange" || p.Method != "ls" {
			t.Errorf("LS B, R = 12: %+v %v", p, err)
		}
		if err := svc.SetScheme(ctx, office, risk.Scheme{Method: "lec", Red: 100, Orange: 50, Yellow: 60}); apperr.FieldOf(err) != "red" {
			t.Errorf("cut-offs not rising: %v", err)
		}
		if err := svc.SetScheme(ctx, office, risk.Scheme{Method: "lec", Red: 300, Orange: 150, Yellow: 60}); err != nil {
			t.Fatal(err)
		}
		in.Inputs = risk.Inputs{L: 10, E: 1, C: 7} // D = 70: 蓝 by default, 黄 above the county's 60
		if p, err = svc.Reassess(ctx, ent, p.ID, in); err != nil || p.Value != 70 || p.Colour != "yellow" {
			t.Errorf("own cut-offs: %+v %v", p, err)
		}
		hist, err := svc.ListAssessments(ctx, member, p.ID)
		if err != nil || len(hist) != 3 || hist[0].Colour != "yellow" || hist[1].Note != "改用风险矩阵" || hist[2].Value != 252 {
			t.Errorf("history %+v %v", hist, err)
		}
		if _, err := svc.Get(ctx, street, p.ID); street.Unit.Region != p.Region[:9] && !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a street of another territory: %v", err)
		}
		if shares, err := svc.CountColours(ctx, office, 0); err != nil || len(shares) != 1 || shares[0].Yellow != 1 || shares[0].Name == "" {
			t.Errorf("by street: %+v %v", shares, err)
		}
		if shares, err := svc.CountColours(ctx, ent, ent.Unit.ID); err != nil || len(shares) != 1 || shares[0].Total() != 1 {
			t.Errorf("the enterprise's own: %+v %v", shares, err)
		}
		pdf, err := p.Card("0531-88886666").PDF()
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Errorf("告知卡: %v", err)
		}
		if _, err := audit.Verify(ctx, db); err != nil {
			t.Errorf("audit: %v", err)
		}
	})
}
