package enforce_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/enforce"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

func TestMain(m *testing.M) { os.Exit(apptest.Main(m)) }

// demoAt is the demo (100 enterprises, with its year of hazards and of
// enforcement) on 2026-11-20.
func demoAt(t *testing.T, dialect string) (*store.DB, *app.Services) {
	clock := calendar.NewFixed(time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
	return apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 100, true)
}

func actor(t *testing.T, s *app.Services, name string) *org.Actor {
	t.Helper()
	a, err := s.Org.ActorByUsername(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// routine counts each enterprise's routine inspections of the year, as
// stored.
func routine(t *testing.T, db *store.DB, year int) map[int64]int {
	t.Helper()
	rows, err := db.Query(context.Background(), "SELECT enterprise_id, COUNT(*) FROM enforce_inspections WHERE year = ? AND kind = 'routine' GROUP BY enterprise_id", year)
	out := map[int64]int{}
	if err := store.Each(rows, err, func(r store.Scanner) error {
		var id int64
		var n int
		err := r.Scan(&id, &n)
		out[id] = n
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestThePlanFromDraftToPublication: the demo's plan shows its arithmetic
// and was published with its 重点 inspections scheduled within the caps; a
// plan is approved only by someone other than its drafter and only when it
// fits, and says plainly when it does not; a published plan is not edited.
func TestThePlanFromDraftToPublication(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db, s := demoAt(t, dialect)
		member, head, office := actor(t, s, "member"), actor(t, s, "head"), actor(t, s, "office")
		ps, err := s.Enforce.ListPlans(ctx, office, enforce.PlanFilter{Year: 2026})
		if err != nil || len(ps) != 1 {
			t.Fatalf("the office sees %d plans (%v), want the department's one", len(ps), err)
		}
		p, err := s.Enforce.GetPlan(ctx, member, ps[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		f := p.Figures
		if p.State != enforce.Published || p.ApprovedBy != "周振华" || f.Capacity.WorkdaysPerOfficer != 248 || f.Capacity.TotalDays != 248*8 ||
			f.Capacity.InspectionDays != 248*8-620-540 || f.Capacity.Inspections != (248*8-620-540)/3 {
			t.Errorf("plan %s by %q: capacity %+v", p.State, p.ApprovedBy, f.Capacity)
		}
		if f.KeyEnterprises == 0 || f.Pool == 0 || f.Sampled != (f.Pool*20+99)/100 || f.Demand != f.KeyInspections+f.Sampled || !f.Fits {
			t.Errorf("figures: %d key (%d inspections), pool %d sampled %d, demand %d, fits %v", f.KeyEnterprises, f.KeyInspections, f.Pool, f.Sampled, f.Demand, f.Fits)
		}
		sum := 0
		for _, m := range f.Months {
			sum += m
		}
		if sum != f.Demand {
			t.Errorf("the months hold %d inspections, the plan %d", sum, f.Demand)
		}
		var planned int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM enforce_inspections WHERE plan_id = ?", p.ID).Scan(&planned); err != nil || planned != f.KeyInspections {
			t.Errorf("%d inspections scheduled by the plan (%v), its figures say %d", planned, err, f.KeyInspections)
		}
		for _, k := range f.Key {
			if k.Planned != len(k.Months) || (k.HasCap && k.Already+k.Planned > k.Cap) {
				t.Errorf("%s: %d planned in months %v, %d before, cap %d", k.Name, k.Planned, k.Months, k.Already, k.Cap)
			}
		}
		if _, err := s.Enforce.SavePlan(ctx, member, enforce.PlanInput{Year: 2026, Officers: 8, OtherEnforcementDays: 1, NonEnforcementDays: 1,
			TeamSize: 2, DaysPerInspection: 1, SamplePercent: 10, FirstMonth: 1}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a published plan changed: %v", err)
		}

		// Next year's: every bad field told at once.
		_, err = s.Enforce.SavePlan(ctx, member, enforce.PlanInput{Year: 2027, Officers: 1, TeamSize: 1, SamplePercent: 120, FirstMonth: 13})
		for _, field := range []string{"officers", "team_size", "days_per_inspection", "sample_percent", "first_month"} {
			if !strings.Contains(apperr.As(err).All(), apperr.On(apperr.As(err), field)) || apperr.On(apperr.As(err), field) == "" {
				t.Errorf("field %s not told: %v", field, err)
			}
		}
		// A plan that cannot fit: two officers, most of their days elsewhere.
		tight := enforce.PlanInput{Year: 2027, Officers: 2, OtherEnforcementDays: 300, NonEnforcementDays: 150, TeamSize: 2,
			DaysPerInspection: 2, SamplePercent: 50, FirstMonth: 1}
		id, err := s.Enforce.SavePlan(ctx, member, tight)
		if err != nil {
			t.Fatal(err)
		}
		p, err = s.Enforce.GetPlan(ctx, member, id)
		if err != nil || p.Figures.Fits || !strings.HasPrefix(p.Figures.Verdict, "排不下") || !p.Figures.Capacity.Provisional {
			t.Fatalf("a tight 2027 plan: fits %v, %q, provisional %v (%v)", p.Figures.Fits, p.Figures.Verdict, p.Figures.Capacity.Provisional, err)
		}
		if err := s.Enforce.ApprovePlan(ctx, member, id, p.Version); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("the drafter approves the own plan: %v", err)
		}
		if err := s.Enforce.ApprovePlan(ctx, head, id, p.Version); !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "排不下") {
			t.Errorf("a plan that cannot fit approved: %v", err)
		}
		tight.SamplePercent = p.Figures.MaxPercent
		tight.OtherEnforcementDays = 0
		if _, err := s.Enforce.SavePlan(ctx, member, tight); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.ApprovePlan(ctx, head, id, p.Version); !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "又被修改过") {
			t.Errorf("the head approves a draft saved after the figures it saw: %v", err)
		}
		if p, err = s.Enforce.GetPlan(ctx, head, id); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.ApprovePlan(ctx, head, id, p.Version); err != nil {
			t.Errorf("the head approves a plan that fits: %v", err)
		}
		if err := s.Enforce.ApprovePlan(ctx, office, id, p.Version); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("the office approves a department's plan: %v", err)
		}
		var n int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_events WHERE action LIKE 'enforce.plan.%'").Scan(&n); err != nil || n < 6 {
			t.Errorf("%d plan events audited (%v)", n, err)
		}
	})
}

// TestCapsHoldForRoutineInspections: with the county's caps set low, no
// draw's 名录库 holds an enterprise at its cap and no routine inspection
// passes it; 督导检查 stop at their own cap; case inspections are exempt,
// recorded as such and flagged when frequent.
func TestCapsHoldForRoutineInspections(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db, s := demoAt(t, dialect)
		member, office := actor(t, s, "member"), actor(t, s, "office")
		caps := enforce.DefaultCaps()
		for i := range caps.Rows {
			for k := range caps.Rows[i].Caps {
				caps.Rows[i].Caps[k] = 1
			}
		}
		if err := s.Enforce.SetCaps(ctx, member, caps); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a department sets the caps: %v", err)
		}
		bad := enforce.DefaultCaps()
		bad.Rows[3].Caps["2"] = -1
		if err := s.Enforce.SetCaps(ctx, office, bad); apperr.FieldOf(err) != "cap_other_2" {
			t.Errorf("a negative cap: %v", err)
		}
		if err := s.Enforce.SetCaps(ctx, office, caps); err != nil {
			t.Fatal(err)
		}
		before := routine(t, db, 2026)
		in := enforce.DrawInput{Count: 1, PerEnterprise: 2, IncludeKey: true, PublicSource: "见证人", PublicFormat: `^\d+$`}
		pv, err := s.Enforce.PreviewDraw(ctx, member, in)
		if err != nil {
			t.Fatal(err)
		}
		id, err := s.Enforce.CommitDraw(ctx, member, in)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := s.Enforce.DrawRecordOf(ctx, member, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Enterprises) != pv.Enterprises || rec.Share != "" || rec.Seed != "" || len(rec.Result) != 0 {
			t.Errorf("before the draw: %d enterprises (preview %d), share %q, seed %q, %d picks", len(rec.Enterprises), pv.Enterprises, rec.Share, rec.Seed, len(rec.Result))
		}
		for _, e := range rec.Enterprises {
			if before[e.ID] >= 1 {
				t.Errorf("%s has %d routine inspections and is in the 名录库 under a cap of 1", e.Name, before[e.ID])
			}
		}
		if err := s.Enforce.RunDraw(ctx, member, id, "42"); err != nil {
			t.Fatal(err)
		}
		for e, n := range routine(t, db, 2026) {
			if n > max(before[e], 1) {
				t.Errorf("enterprise %d: %d routine inspections after the draw, cap 1 (%d before)", e, n, before[e])
			}
		}
		// 督导检查: three, then refused; case inspections: recorded, flagged from the fourth.
		firm := rec.Enterprises[0].ID
		for i := 0; i < 3; i++ {
			if _, err := s.Enforce.AddInspection(ctx, member, enforce.InspectionInput{EnterpriseID: firm, Basis: enforce.BasisSupervisory}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Enforce.AddInspection(ctx, member, enforce.InspectionInput{EnterpriseID: firm, Basis: enforce.BasisSupervisory}); apperr.FieldOf(err) != "basis" {
			t.Errorf("a fourth 督导检查: %v", err)
		}
		if _, err := s.Enforce.AddInspection(ctx, member, enforce.InspectionInput{EnterpriseID: firm, Basis: enforce.BasisDraw}); apperr.FieldOf(err) != "basis" {
			t.Errorf("a drawn inspection added by hand: %v", err)
		}
		var last enforce.Inspection
		for i := 0; i < 4; i++ {
			if last, err = s.Enforce.AddInspection(ctx, member, enforce.InspectionInput{EnterpriseID: firm, Basis: enforce.BasisTip, Note: "举报"}); err != nil {
				t.Fatal(err)
			}
			if last.Kind != enforce.Case || last.Frequent != (i == 3) {
				t.Errorf("case inspection %d: kind %s, frequent %v", i+1, last.Kind, last.Frequent)
			}
		}
		is, n, err := s.Enforce.ListInspections(ctx, office, enforce.InspectionFilter{EnterpriseID: firm, Kind: enforce.Case, Page: paging.Page{Limit: 50}})
		if err != nil || n != 4 || len(is) != 4 || !is[0].Frequent {
			t.Errorf("the office lists %d case inspections of the firm (%d rows, %v), flagged %v", n, len(is), err, len(is) > 0 && is[0].Frequent)
		}
		if r := routine(t, db, 2026); r[firm] > 1 {
			t.Errorf("case inspections counted as routine: %d", r[firm])
		}
	})
}

// TestDrawsInThreeStepsAndRecusals: the demo's draws verify against their
// commitments; a declared conflict keeps an officer off that enterprise; a
// recusal redraws only its slot, never an officer already on the team or
// in conflict, at most a team's size of them; the local rule keeps the
// last team away; a public value outside the committed format is refused.
func TestDrawsInThreeStepsAndRecusals(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db, s := demoAt(t, dialect)
		member, officer := actor(t, s, "member"), actor(t, s, "officer")
		ds, err := s.Enforce.ListDraws(ctx, officer, enforce.DrawFilter{Year: 2026})
		if err != nil || len(ds) != 2 {
			t.Fatalf("the officer sees %d draws (%v), want the demo's two", len(ds), err)
		}
		for _, d := range ds {
			v, err := s.Enforce.VerifyDraw(ctx, officer, d.ID)
			if err != nil || !v.OK {
				t.Errorf("%s does not verify: %+v %v", d.Title, v, err)
			}
		}
		// A draw rewritten in the database — lists, commitment, seed and
		// result made consistent again with the share — no longer verifies:
		// the page checks against the commitment step 1 put in the audit chain.
		rec, err := s.Enforce.DrawRecordOf(ctx, member, ds[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		forged := rec.DrawLists
		// Struck: an enterprise without a last team (whether the first
		// has one depends on the demo's random share).
		for i, e := range forged.Enterprises {
			if _, last := forged.ExcludeLast[strconv.FormatInt(e.ID, 10)]; !last {
				forged.Enterprises = append(slices.Clip(forged.Enterprises[:i]), forged.Enterprises[i+1:]...)
				break
			}
		}
		share, _ := hex.DecodeString(rec.Share)
		again, err := enforce.MakeDraw(forged, share, rec.PublicValue)
		if err != nil {
			t.Fatal(err)
		}
		lists, _ := json.Marshal(forged)
		result, _ := json.Marshal(again.Result)
		if err := db.Tx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, "UPDATE enforce_draws SET lists = ?, lists_hash = ?, commitment = ?, seed = ?, result = ? WHERE id = ?",
				string(lists), again.ListsHash, again.Commitment, again.Seed, string(result), ds[0].ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if v, err := s.Enforce.VerifyDraw(ctx, officer, ds[0].ID); err != nil || v.OK || !strings.Contains(strings.Join(v.Problems, "；"), "≠ 公布的") {
			t.Errorf("a draw rewritten in the database: %+v %v", v, err)
		}
		first, err := s.Enforce.GetDraw(ctx, member, ds[len(ds)-1].ID)
		if err != nil || len(first.Recusals) != 1 {
			t.Fatalf("the first draw has %d recusals, want the demo's one", len(first.Recusals))
		}
		os, err := s.Enforce.ListOfficers(ctx, member)
		if err != nil || len(os) != 8 {
			t.Fatalf("%d officers (%v)", len(os), err)
		}
		// Declare a conflict for every officer but four with the target:
		// a draw of it may only send those four.
		// The target: an enterprise of the 名录库 as it stands (under its cap).
		probe, err := s.Enforce.CommitDraw(ctx, member, enforce.DrawInput{Count: 1, PerEnterprise: 2, IncludeKey: true, PublicSource: "见证人", PublicFormat: `^\d+$`})
		if err != nil {
			t.Fatal(err)
		}
		pr, err := s.Enforce.DrawRecordOf(ctx, member, probe)
		if err != nil {
			t.Fatal(err)
		}
		target := pr.Enterprises[len(pr.Enterprises)/2].ID
		var free []int64
		for _, o := range os {
			if len(free) < 4 && !slices.ContainsFunc(o.Conflicts, func(c enforce.Conflict) bool { return c.EnterpriseID == target }) {
				free = append(free, o.UserID)
				continue
			}
			if err := s.Enforce.DeclareConflict(ctx, member, o.UserID, enforce.ConflictInput{EnterpriseID: target, Reason: "近亲属任职"}); err != nil {
				t.Fatal(err)
			}
		}
		in := enforce.DrawInput{PerEnterprise: 2, IncludeKey: true, PublicSource: "见证人", PublicFormat: `^\d{2}$`}
		pv, err := s.Enforce.PreviewDraw(ctx, member, in)
		if err != nil {
			t.Fatal(err)
		}
		in.Count = pv.Enterprises // the whole 名录库: the target is drawn
		id, err := s.Enforce.CommitDraw(ctx, member, in)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.RunDraw(ctx, member, id, "123"); apperr.FieldOf(err) != "public_value" {
			t.Fatalf("a value outside ^\\d{2}$: %v", err)
		}
		if err := s.Enforce.RunDraw(ctx, member, id, "17"); err != nil {
			t.Fatal(err)
		}
		if err := s.Enforce.RunDraw(ctx, member, id, "17"); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("drawn twice: %v", err)
		}
		d, err := s.Enforce.GetDraw(ctx, member, id)
		if err != nil {
			t.Fatal(err)
		}
		at := slices.IndexFunc(d.Result, func(p enforce.PickView) bool { return p.EnterpriseID == target })
		if at < 0 {
			t.Fatalf("the target is not among the %d drawn of %d", len(d.Result), pv.Enterprises)
		}
		team := d.Result[at].OfficerIDs
		for _, o := range team {
			if !slices.Contains(free, o) {
				t.Errorf("officer %d drawn for an enterprise it declared a conflict with", o)
			}
		}
		r, err := s.Enforce.Recuse(ctx, member, id, enforce.RecusalInput{EnterpriseID: target, OfficerID: team[0], Reason: "当事人申请"})
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(team, r.Replacement) || !slices.Contains(free, r.Replacement) {
			t.Errorf("replacement %d: team %v, free %v", r.Replacement, team, free)
		}
		r2, err := s.Enforce.Recuse(ctx, member, id, enforce.RecusalInput{EnterpriseID: target, OfficerID: r.Replacement, Reason: "再次申请"})
		if err != nil || r2.Replacement == team[0] || r2.Replacement == team[1] || !slices.Contains(free, r2.Replacement) {
			t.Errorf("a second recusal: %+v %v (team %v)", r2, err, team)
		}
		if _, err := s.Enforce.Recuse(ctx, member, id, enforce.RecusalInput{EnterpriseID: target, OfficerID: team[1], Reason: "第三次"}); apperr.FieldOf(err) != "officer_id" {
			t.Errorf("more recusals than a team's size: %v", err)
		}
		d, _ = s.Enforce.GetDraw(ctx, member, id)
		var officers string
		want := sid(r2.Replacement) + "," + sid(team[1])
		if slices.Index(d.Result[at].OfficerIDs, team[1]) == 0 {
			want = sid(team[1]) + "," + sid(r2.Replacement)
		}
		if err := db.QueryRow(ctx, "SELECT officers FROM enforce_inspections WHERE draw_id = ? AND enterprise_id = ?", id, target).Scan(&officers); err != nil || officers != want {
			t.Errorf("the inspection's team %q after two recusals, want %q (%v)", officers, want, err)
		}
		if v, err := s.Enforce.VerifyDraw(ctx, member, id); err != nil || !v.OK {
			t.Errorf("after the recusal: %+v %v", v, err)
		}
		// The local rule: the next draw of the target keeps its last team away.
		in.ExcludeLast, in.Count = true, 1
		id2, err := s.Enforce.CommitDraw(ctx, member, in)
		if err != nil {
			t.Fatal(err)
		}
		rec, err = s.Enforce.DrawRecordOf(ctx, member, id2)
		if err != nil {
			t.Fatal(err)
		}
		last := rec.ExcludeLast[sid(target)]
		if len(last) != 2 || !slices.Contains(last, r2.Replacement) || !slices.Contains(last, team[1]) {
			t.Errorf("the target's last team kept away: %v (team now %v)", last, d.Result[at].OfficerIDs)
		}
		if rec.Share != "" {
			t.Error("the share is out before the draw")
		}
	})
}

func sid(n int64) string { return strconv.FormatInt(n, 10) }
