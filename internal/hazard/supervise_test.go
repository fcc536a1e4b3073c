package hazard_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/enterprise"
	"anwei/internal/files"
	"anwei/internal/hazard"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/store"
)

type world struct {
	ctx                               context.Context
	db                                *store.DB
	clock                             *calendar.Fixed
	orgs                              *org.Service
	ents                              *enterprise.Service
	svc                               *hazard.Service
	inbox                             *inbox.Service
	ent, member, office, city, street *org.Actor
}

func newWorld(t *testing.T, dialect string) *world {
	w := &world{ctx: context.Background(), clock: calendar.NewFixed(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))}
	db, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: w.clock}, 20, false)
	w.db = db
	w.orgs, w.ents, w.svc, w.inbox = s.Org, s.Ents, s.Hazards, s.Inbox
	w.ent, w.member, w.office = actor(t, w.orgs, "enterprise"), actor(t, w.orgs, "member"), actor(t, w.orgs, "office")
	w.city, w.street = actor(t, w.orgs, "city"), actor(t, w.orgs, "street")
	return w
}

// major reports a hazard at the demo enterprise and has the member judge
// it major and assign it with the deadline.
func (w *world) major(t *testing.T, place, deadline string) hazard.Hazard {
	t.Helper()
	h, err := w.svc.Report(w.ctx, w.ent, hazard.ReportInput{EnterpriseID: w.ent.Unit.ID, Place: place, Description: place + "安全设施缺失"})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []hazard.Step{{Action: hazard.Judge, Level: hazard.Major, Criterion: "hg121-5"},
		{Action: hazard.Assign, Deadline: deadline, Writ: "天应急责改〔2026〕" + place}} {
		if h, err = w.svc.Act(w.ctx, w.member, h.ID, st); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

func unread(t *testing.T, w *world, a *org.Actor, kind string) int {
	t.Helper()
	ms, _, _, err := w.inbox.ListInbox(w.ctx, a, paging.Page{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range ms {
		if m.Kind == kind {
			n++
		}
	}
	return n
}

// TestListingDecidesWhoCloses: the county office lists a major hazard with a
// numbered 督办通知书; from then only it closes the hazard, not the
// department that assigned it; the city lists it higher and takes over;
// closing lifts the listings and reopening restores them.
func TestListingDecidesWhoCloses(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		w := newWorld(t, dialect)
		h := w.major(t, "液氯储罐区", "2026-12-20")
		g, err := w.svc.Report(w.ctx, w.ent, hazard.ReportInput{EnterpriseID: w.ent.Unit.ID, Place: "配电室", Description: "电缆沟积水"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.AddListing(w.ctx, w.office, g.ID, hazard.ListingInput{Deadline: "2026-12-31"}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("listing an unjudged hazard: %v", err)
		}
		if _, err := w.svc.AddListing(w.ctx, w.member, h.ID, hazard.ListingInput{Deadline: "2026-12-31"}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("a department lists: %v", err)
		}
		if _, err := w.svc.AddListing(w.ctx, w.office, h.ID, hazard.ListingInput{Deadline: "2026-11-01"}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a past deadline: %v", err)
		}
		l, err := w.svc.AddListing(w.ctx, w.office, h.ID, hazard.ListingInput{Deadline: "2026-12-31"})
		if err != nil || l.DocNumber != "天安办督〔2026〕1号" || l.Tier != "county" {
			t.Fatalf("county listing: %+v %v", l, err)
		}
		if _, err := w.svc.AddListing(w.ctx, w.office, h.ID, hazard.ListingInput{Deadline: "2026-12-31"}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("listed twice at one level: %v", err)
		}
		got, err := w.svc.Get(w.ctx, w.ent, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Deadline != "2026-12-31" || got.Closer() != w.office.Unit.ID {
			t.Errorf("after listing: deadline %s closer %d", got.Deadline, got.Closer())
		}
		if unread(t, w, w.ent, "hazard.listed") != 1 || unread(t, w, w.member, "hazard.listed") != 1 {
			t.Error("the enterprise and the assigning department are told of the listing")
		}
		pdf, err := l.Letter().PDF()
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Errorf("督办通知书: %v", err)
		}
		// As printed: 抄送 the departments supervising the enterprise (and
		// the street), the listing official as 联系人, a 版记.
		if got, err := w.svc.GetListing(w.ctx, w.office, l.ID); err != nil || got.Contact == "" || len(got.CopyTo) == 0 ||
			got.Letter().PrintedBy != got.Office || got.Letter().Note != "" {
			t.Errorf("督办通知书 parties: %+v %v", got, err)
		}
		for _, st := range []hazard.Step{{Action: hazard.Start}, {Action: hazard.Submit, Evidence: "更换紧急切断阀",
			Photos: []files.Upload{{Name: "整改后.jpg", ContentType: "image/jpeg", Body: strings.NewReader("\xff\xd8\xff\xe0 after")}}}} {
			if _, err := w.svc.Act(w.ctx, w.ent, h.ID, st); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.svc.Act(w.ctx, w.member, h.ID, hazard.Step{Action: hazard.Pass}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("the assigning department closes a listed hazard: %v", err)
		}
		// The city lists it too: now only the city closes it.
		cl, err := w.svc.AddListing(w.ctx, w.city, h.ID, hazard.ListingInput{Deadline: "2027-01-15", DocPrefix: "济安办"})
		if err != nil || cl.Tier != "city" || cl.DocNumber != "济安办督〔2026〕1号" {
			t.Fatalf("city listing: %+v %v", cl, err)
		}
		if _, err := w.svc.Act(w.ctx, w.office, h.ID, hazard.Step{Action: hazard.Pass}); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("the county closes a city-listed hazard: %v", err)
		}
		if ls, n, err := w.svc.Listings(w.ctx, w.member, hazard.ListingFilter{Active: true}); err != nil || n != 2 || ls[0].Office != "济南市安全生产委员会办公室" {
			t.Errorf("the supervising department sees both listings: %d %v", n, err)
		}
		closed, err := w.svc.Act(w.ctx, w.city, h.ID, hazard.Step{Action: hazard.Pass})
		if err != nil || closed.State != hazard.Closed {
			t.Fatalf("the city closes: %v", err)
		}
		if e, err := w.ents.Get(w.ctx, w.office, w.ent.Unit.ID); err != nil || strings.Contains(e.ClassReason, "重大隐患") {
			t.Errorf("closed: no open major hazard in the class: %s %v", e.ClassReason, err)
		}
		if _, n, err := w.svc.Listings(w.ctx, w.office, hazard.ListingFilter{Active: true}); err != nil || n != 0 {
			t.Errorf("closing lifts the listings: %d active %v", n, err)
		}
		if _, err := w.svc.Act(w.ctx, w.city, h.ID, hazard.Step{Action: hazard.Reopen, Reason: "复查发现联锁未投用"}); err != nil {
			t.Fatal(err)
		}
		again, err := w.svc.Get(w.ctx, w.ent, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again.State != hazard.Rectifying || again.ClosedAt != nil || again.Closer() != w.city.Unit.ID {
			t.Errorf("reopened: %+v", again)
		}
		ps, err := w.svc.ListPhotos(w.ctx, w.ent, h.ID)
		if err != nil || len(ps) != 1 || ps[0].Stage != hazard.StageRectified || !ps[0].IsImage() {
			t.Errorf("photos: %+v %v", ps, err)
		}
		if e, _ := w.ents.Get(w.ctx, w.office, w.ent.Unit.ID); !strings.Contains(e.ClassReason, "未销号重大隐患 1 项") {
			t.Errorf("the reopened major hazard is a class input: %s", e.ClassReason)
		}
		if _, err := audit.Verify(w.ctx, w.db); err != nil {
			t.Errorf("audit chain: %v", err)
		}
	})
}

// TestOverdueEscalationOnceAcrossRestarts: a newly overdue major hazard
// goes to the next level's office once; a general one is not escalated; a
// second service (a restart) and a second sweep do nothing; a listed one
// goes to the office above its listing; a new deadline allows a new one.
func TestOverdueEscalationOnceAcrossRestarts(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		w := newWorld(t, dialect)
		a := w.major(t, "液氨罐区", "2026-11-30")
		b := w.major(t, "装卸站台", "2026-12-01")
		g, err := w.svc.Report(w.ctx, w.ent, hazard.ReportInput{EnterpriseID: w.ent.Unit.ID, Place: "配电室", Description: "电缆沟积水"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Act(w.ctx, w.member, g.ID, hazard.Step{Action: hazard.Judge, Level: hazard.General}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Act(w.ctx, w.member, g.ID, hazard.Step{Action: hazard.Assign, Deadline: "2026-11-30", Writ: "天应急改〔2026〕3号"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.AddListing(w.ctx, w.office, b.ID, hazard.ListingInput{Deadline: "2026-12-02"}); err != nil {
			t.Fatal(err)
		}
		if n, err := w.svc.SweepOverdue(w.ctx); err != nil || n != 0 {
			t.Fatalf("nothing overdue yet: %d %v", n, err)
		}
		w.clock.Advance(15 * 24 * time.Hour)
		n, err := w.svc.SweepOverdue(w.ctx)
		if err != nil || n != 2 {
			t.Fatalf("sweep: %d %v", n, err)
		}
		restarted := apptest.New(t, w.db, app.Wiring{Clock: w.clock}).Hazards
		if n, err := restarted.SweepOverdue(w.ctx); err != nil || n != 0 {
			t.Errorf("after a restart: %d %v", n, err)
		}
		// a (unlisted) went to the county office, b (listed by the county) to the city.
		if hs, _, _ := w.svc.List(w.ctx, w.office, hazard.Filter{Escalated: true}); len(hs) != 1 || hs[0].ID != a.ID {
			t.Errorf("county office's escalations: %+v", hs)
		}
		if hs, _, _ := w.svc.List(w.ctx, w.city, hazard.Filter{Escalated: true}); len(hs) != 1 || hs[0].ID != b.ID {
			t.Errorf("city office's escalations: %+v", hs)
		}
		if unread(t, w, w.ent, "hazard.overdue") != 2 || unread(t, w, w.member, "hazard.overdue") != 2 || unread(t, w, w.office, "hazard.overdue") != 1 {
			t.Error("enterprise, department and office reminded once per hazard")
		}
		if od, n, _ := w.svc.List(w.ctx, w.office, hazard.Filter{Overdue: true}); n != 3 || !od[0].Overdue {
			t.Errorf("overdue stays derived for all three: %d", n)
		}
		// A new deadline from the city clears the mark; overdue again, it is escalated again: no province office here, so the city keeps it.
		if _, err := w.svc.AddListing(w.ctx, w.city, a.ID, hazard.ListingInput{Deadline: "2026-12-10"}); err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(5 * 24 * time.Hour)
		if n, err := w.svc.SweepOverdue(w.ctx); err != nil || n != 1 {
			t.Errorf("after the new deadline passes: %d %v", n, err)
		}
		if hs, _, _ := w.svc.List(w.ctx, w.city, hazard.Filter{Escalated: true}); len(hs) != 2 {
			t.Errorf("city now has both: %d", len(hs))
		}
		var events int
		if err := w.db.QueryRow(w.ctx, "SELECT COUNT(*) FROM audit_events WHERE action = 'hazard.escalate'").Scan(&events); err != nil {
			t.Fatal(err)
		}
		if events != 3 {
			t.Errorf("escalation audit events: %d", events)
		}
	})
}

// TestFiguresMatchTheHazards: the counts the dashboard reads agree with
// counting the hazards, and the bulletin and ledger carry them.
func TestFiguresMatchTheHazards(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		w := newWorld(t, dialect)
		open := w.major(t, "液氯储罐区", "2026-12-20")
		done := w.major(t, "液氨罐区", "2026-12-20")
		for _, st := range []hazard.Step{{Action: hazard.Start}, {Action: hazard.Submit, Evidence: "已整改"}} {
			if _, err := w.svc.Act(w.ctx, w.ent, done.ID, st); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.svc.Act(w.ctx, w.member, done.ID, hazard.Step{Action: hazard.Fail, Reason: "未做联锁测试"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Act(w.ctx, w.ent, done.ID, hazard.Step{Action: hazard.Submit, Evidence: "联锁测试合格"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Act(w.ctx, w.member, done.ID, hazard.Step{Action: hazard.Pass}); err != nil {
			t.Fatal(err)
		}
		gen, err := w.svc.Report(w.ctx, w.member, hazard.ReportInput{EnterpriseID: w.ent.Unit.ID, Place: "配电室", Description: "电缆沟积水", Source: "inspection"})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range []hazard.Step{{Action: hazard.Judge, Level: hazard.General},
			{Action: hazard.Assign, Deadline: "2026-11-25", Writ: "天应急改〔2026〕9号"}} {
			if _, err := w.svc.Act(w.ctx, w.member, gen.ID, st); err != nil {
				t.Fatal(err)
			}
		}
		w.clock.Advance(3 * 24 * time.Hour)
		f, err := w.svc.Figures(w.ctx, w.office, 2026)
		if err != nil {
			t.Fatal(err)
		}
		var total, closed, openMajor int
		if err := w.db.QueryRow(w.ctx, "SELECT COUNT(*), SUM(CASE WHEN state = 'closed' THEN 1 ELSE 0 END), SUM(CASE WHEN state <> 'closed' AND level = 'major' THEN 1 ELSE 0 END) FROM hazards").
			Scan(&total, &closed, &openMajor); err != nil {
			t.Fatal(err)
		}
		want := hazard.Count{Total: 3, Closed: 1, Major: 2, MajorClosed: 1, OpenMajor: 1, Overdue: 1}
		if f.All != want || total != 3 || closed != 1 || openMajor != 1 {
			t.Errorf("figures %+v, counted %d/%d/%d", f.All, total, closed, openMajor)
		}
		if f.All.Rate() != 33.3 || f.All.MajorRate() != 50 {
			t.Errorf("rates %v %v", f.All.Rate(), f.All.MajorRate())
		}
		if len(f.BySource) != 2 || len(f.ByRegion) != 1 || len(f.ByCategory) == 0 || len(f.ByDept) == 0 || f.ByDept[0].Total != 3 {
			t.Errorf("breakdowns %+v", f)
		}
		for _, line := range f.BySource {
			var n, shut, late int
			if err := w.db.QueryRow(w.ctx, `SELECT COUNT(*), SUM(CASE WHEN state = 'closed' THEN 1 ELSE 0 END),
				SUM(CASE WHEN state <> 'closed' AND deadline > '' AND deadline < ? THEN 1 ELSE 0 END) FROM hazards WHERE source = ?`, f.Today, line.Key).
				Scan(&n, &shut, &late); err != nil {
				t.Fatal(err)
			}
			if line.Total != n || line.Closed != shut || line.Overdue != late {
				t.Errorf("source %s: figures %+v, counted %d/%d/%d", line.Key, line, n, shut, late)
			}
		}
		// The enterprise's street sees its three hazards; another street of the county none.
		if sf, err := w.svc.Figures(w.ctx, w.street, 2026); err != nil || sf.All.Total != 3 {
			t.Errorf("the enterprise's street sees %d (%v), want 3", sf.All.Total, err)
		}
		other := w.otherStreet(t)
		if of, err := w.svc.Figures(w.ctx, other, 2026); err != nil || of.All != (hazard.Count{}) || len(of.ByRegion) != 0 {
			t.Errorf("another street (%s) sees %+v (%v), want nothing", other.Unit.Region, of.All, err)
		}
		if _, err := w.svc.AddListing(w.ctx, w.office, open.ID, hazard.ListingInput{Deadline: "2026-12-30"}); err != nil {
			t.Fatal(err)
		}
		b, err := w.svc.Bulletin(w.ctx, w.office, "2026-11-01", "2026-11-30")
		if err != nil || b.Figures.All.Total != 3 || b.Figures.All.Closed != 1 || len(b.Majors) != 1 || b.Listed[open.ID] == "" {
			t.Fatalf("bulletin %+v %v", b, err)
		}
		if _, err := w.svc.Bulletin(w.ctx, w.office, "2026-11-30", "2026-11-01"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("reversed period: %v", err)
		}
		l := b.Letter()
		if !strings.Contains(l.Body[0], "全区共排查上报事故隐患3项，其中重大事故隐患2项") || l.Tables[3].Rows[0][0] != open.Number {
			t.Errorf("bulletin letter %q %v", l.Body[0], l.Tables[3].Rows)
		}
		if pdf, err := l.PDF(); err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Errorf("bulletin pdf: %v", err)
		}
		sh, err := w.svc.Ledger(w.ctx, w.office, hazard.Filter{})
		if err != nil || len(sh.Rows) != 3 {
			t.Fatalf("ledger %d %v", len(sh.Rows), err)
		}
		var row []string
		for _, r := range sh.Rows {
			if r[0] == done.Number {
				row = r
			}
		}
		if row == nil || row[15] != "已销号" || !strings.Contains(row[20], "复查不通过：未做联锁测试") || row[19] == "" {
			t.Errorf("ledger row %q", row)
		}
	})
}

// otherStreet is a territorial user of a street of the county other than
// the demo enterprise's.
func (w *world) otherStreet(t *testing.T) *org.Actor {
	t.Helper()
	us, _, err := w.orgs.ListUnits(w.ctx, org.System, org.UnitFilter{Kind: org.KindStreet, Page: paging.Page{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		if u.RegionCode != w.street.Unit.Region && strings.HasPrefix(u.RegionCode, w.office.Unit.Region) {
			nu, err := w.orgs.CreateUser(w.ctx, org.System, org.UserInput{Username: "street2", DisplayName: "另一街道", UnitID: u.ID,
				Roles: []org.Role{org.RoleTerritorial}, Password: "Anquan2026"})
			if err != nil {
				t.Fatal(err)
			}
			a, err := w.orgs.ActorByID(w.ctx, nu.ID)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
	}
	t.Fatalf("no other street in %s", w.office.Unit.Region)
	return nil
}

// copies writes n more hazards like h straight into the table, numbered
// T-1 … T-n.
func (w *world) copies(t *testing.T, h hazard.Hazard, n int) {
	t.Helper()
	if err := w.db.Tx(w.ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(w.ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
			INSERT INTO hazards (number, unit_id, region_code, place, description, source, level, deadline, writ, state, created_at, created_by, updated_at)
			SELECT 'T-' || CAST(n.i AS TEXT), h.unit_id, h.region_code, h.place, h.description, h.source, h.level, h.deadline, h.writ, h.state,
			h.created_at, h.created_by, h.updated_at FROM hazards h, n WHERE h.id = ?`, n, h.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// TestLedgerPagesThroughEveryHazard: the 台账 export reads page after page
// (500 at a time, each below the last) and carries every hazard once.
func TestLedgerPagesThroughEveryHazard(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		w := newWorld(t, dialect)
		first := w.major(t, "液氯储罐区", "2026-12-20")
		w.copies(t, first, 1100)
		sh, err := w.svc.Ledger(w.ctx, w.office, hazard.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, r := range sh.Rows {
			seen[r[0]] = true
		}
		if len(sh.Rows) != 1101 || len(seen) != 1101 || !seen[first.Number] || !seen["T-1100"] {
			t.Fatalf("ledger: %d rows, %d distinct", len(sh.Rows), len(seen))
		}
		if mine, err := w.svc.Ledger(w.ctx, w.ent, hazard.Filter{}); err != nil || len(mine.Rows) != 1101 {
			t.Errorf("the enterprise's own ledger: %d rows, %v", len(mine.Rows), err)
		}
	})
}

// TestListCountStopsAtTheCap: a listing counts up to ListCountCap and says
// "more" beyond it, and pages newest first whichever way it reads — a
// territory walking the table, an enterprise through its index.
func TestListCountStopsAtTheCap(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		w := newWorld(t, dialect)
		first := w.major(t, "液氯储罐区", "2026-12-20")
		w.copies(t, first, 10050)
		var newest int64
		if err := w.db.QueryRow(w.ctx, "SELECT MAX(id) FROM hazards").Scan(&newest); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			who  *org.Actor
			f    hazard.Filter
			want int
		}{
			{w.office, hazard.Filter{}, hazard.ListCountCap + 1},
			{w.office, hazard.Filter{Level: hazard.Major, Open: true}, hazard.ListCountCap + 1},
			{w.street, hazard.Filter{}, hazard.ListCountCap + 1},
			{w.member, hazard.Filter{Overdue: false, Open: true}, hazard.ListCountCap + 1},
			{w.ent, hazard.Filter{}, hazard.ListCountCap + 1},
			{w.office, hazard.Filter{EnterpriseID: w.ent.Unit.ID, Q: "T-1000"}, 11}, // T-1000 and T-10000…T-10009
			{w.office, hazard.Filter{Listed: true}, 0},
		} {
			hs, total, err := w.svc.List(w.ctx, c.who, c.f)
			if err != nil || total != c.want {
				t.Errorf("%s %+v: total %d, want %d (%v)", c.who.Username, c.f, total, c.want, err)
				continue
			}
			for i := 1; i < len(hs); i++ {
				if hs[i].ID >= hs[i-1].ID {
					t.Fatalf("%s %+v: not newest first at %d", c.who.Username, c.f, i)
				}
			}
			if c.f.Q == "" && c.want > 0 && (len(hs) != 50 || hs[0].ID != newest) {
				t.Errorf("%s %+v: first page %d rows from %d, newest is %d", c.who.Username, c.f, len(hs), hs[0].ID, newest)
			}
		}
	})
}
