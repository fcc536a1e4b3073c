package enterprise_test

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
	"anwei/internal/docs"
	"anwei/internal/enterprise"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/rules"
	"anwei/internal/store"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// world is the demo jurisdiction with a 20-enterprise registry on a clock
// standing at 1 March 2026.
type world struct {
	db                                  *store.DB
	clock                               *calendar.Fixed
	orgs                                *org.Service
	ents                                *enterprise.Service
	inbox                               *inbox.Service
	office, member, street, ent, expert *org.Actor
}

func newWorld(t *testing.T, dialect string) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{clock: calendar.NewFixed(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))}
	db, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: w.clock}, 20, false)
	w.db = db
	w.orgs, w.ents, w.inbox = s.Org, s.Ents, s.Inbox
	for name, p := range map[string]**org.Actor{"office": &w.office, "member": &w.member, "street": &w.street, "enterprise": &w.ent, "expert": &w.expert} {
		c, err := w.orgs.CredentialsFor(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		if *p, err = w.orgs.ActorByID(ctx, c.UserID); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// chemicalWorks registers a 危险化学品 enterprise (标准化二级) in the
// demo street with a 液氯/液氨 storage that is a 三级 major hazard source
// (R = 44), as it stood before the installation was added.
func (w *world) chemicalWorks(t *testing.T, name, credit17 string) (enterprise.Enterprise, enterprise.Installation) {
	t.Helper()
	ctx := context.Background()
	e, err := w.ents.Create(ctx, w.member, enterprise.Input{Name: name, CreditCode: code(t, credit17),
		RegionCode: w.street.Unit.Region, Categories: "危险化学品", StdLevel: "二级"})
	if err != nil {
		t.Fatal(err)
	}
	inst, err := w.ents.SaveInstallation(ctx, w.member, e.UnitID, 0, enterprise.InstallationInput{Name: "液氯储罐区", Kind: "storage", People: 200,
		Holdings: []rules.Holding{{Chemical: "液氯", Tonnes: 20}, {Chemical: "液氨", Tonnes: 30}}})
	if err != nil {
		t.Fatal(err)
	}
	return e, inst
}

func code(t *testing.T, first17 string) string {
	t.Helper()
	c, err := rules.CreditCheckChar(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(c)
}

func xlsx(t *testing.T, rows [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := (docs.Sheet{Header: rows[0], Rows: rows[1:]}).XLSX(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func row(name, credit, street, cats string, extra ...string) []string {
	r := make([]string, len(enterprise.SheetHeader))
	r[0], r[1], r[2], r[6] = name, credit, street, cats
	for i := 0; i+1 < len(extra); i += 2 {
		for j, h := range enterprise.SheetHeader {
			if strings.TrimSuffix(h, "*") == extra[i] {
				r[j] = extra[i+1]
			}
		}
	}
	return r
}

func TestImportReportsEveryBadRowAndIsIdempotent(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		good1, good2 := code(t, "91370105MA3T00001"), code(t, "91370105MA3T00002")
		bad := good1[:17] + map[bool]string{true: "1", false: "0"}[good1[17] == '0']
		rows := [][]string{enterprise.SheetHeader,
			row("济南测试化工有限公司", good1, "无影山街道", "危险化学品", "从业人数", "50", "安责险到期日", "2026/9/1"),
			row("济南测试建筑有限公司", good2, "370105001", "建筑施工", "标准化等级", "二级"),
			row("校验位错误公司", bad, "无影山街道", "工贸"),
			row("", code(t, "91370105MA3T00004"), "无影山街道", "工贸"),
			row("未知街道公司", code(t, "91370105MA3T00005"), "火星街道", "工贸"),
			row("重复代码公司", good1, "无影山街道", "工贸"),
			row("坏日期公司", code(t, "91370105MA3T00007"), "无影山街道", "工贸", "安责险到期日", "2026-13-45"),
			row("坏类别公司", code(t, "91370105MA3T00008"), "无影山街道", "星际旅行"),
			row("外区公司", code(t, "91370102MA3T00009"), "370102001", "工贸"),
		}
		res, err := w.ents.Import(ctx, w.office, docs.File{Name: "企业.xlsx", Data: xlsx(t, rows)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"第4行: 统一社会信用代码校验位错误", "第5行: 请填写企业名称", "第6行: 未知的街道「火星街道」",
			"第7行: 统一社会信用代码 " + good1 + " 与第2行重复", "第8行: 安责险到期日「2026-13-45」不是有效日期",
			"第9行: 未知的监管类别: 星际旅行", "第10行: 所在街道「370102001」不在您的管辖范围内"}
		if res.Imported != 2 || len(res.Rejected) != len(want) {
			t.Fatalf("import: %+v", res)
		}
		for i, r := range res.Rejected {
			if !strings.HasPrefix(r.Reason, want[i]) {
				t.Errorf("rejection %d: %q, want %q…", i, r.Reason, want[i])
			}
		}
		again, err := w.ents.Import(ctx, w.office, docs.File{Name: "企业.xlsx", Data: xlsx(t, rows)}, nil)
		if err != nil || again.Imported != 0 || again.Updated != 0 || again.Unchanged != 2 {
			t.Fatalf("re-import: %+v %v", again, err)
		}
		// A changed row updates; a CSV in GBK reads the same.
		rows[2][7] = "中型"
		csv := "企业名称,统一社会信用代码,所在街道,监管类别,规模\n济南测试建筑有限公司," + good2 + ",无影山街道,建筑施工,中型\n"
		gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(csv))
		upd, err := w.ents.Import(ctx, w.office, docs.File{Name: "企业.csv", Data: gbk}, nil)
		if err != nil || upd.Updated != 1 {
			t.Fatalf("update by csv: %+v %v", upd, err)
		}
		es, _, err := w.ents.List(ctx, w.office, enterprise.Filter{Q: "测试建筑"})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 1 || es[0].Scale != "medium" || es[0].Class == "" {
			t.Fatalf("updated record: %+v", es)
		}
		// The supervising department (区住房城乡建设局 for 建筑施工) was assigned by the duty rules.
		sv, err := w.ents.Supervisors(ctx, w.office, es[0].UnitID)
		if err != nil || len(sv) == 0 || !strings.Contains(sv[0].DeptName, "住") {
			t.Errorf("supervisors: %+v %v", sv, err)
		}
		evs, _, err := audit.List(ctx, w.db, org.System.Scope, audit.Filter{Action: "enterprise.import"})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 4 || !strings.Contains(evs[0].After, `"sha256"`) { // the demo's own import, then three
			t.Errorf("import events: %d", len(evs))
		}
		// Members of other permissions: an expert cannot import.
		if _, err := w.ents.Import(ctx, w.expert, docs.File{Name: "企业.xlsx", Data: xlsx(t, rows)}, nil); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("expert import: %v", err)
		}
		// A file without the required columns names them.
		if _, err := w.ents.Import(ctx, w.office, docs.File{Name: "a.csv", Data: []byte("名称,代码\nx,y\n")}, nil); err == nil || !strings.Contains(err.Error(), "统一社会信用代码") {
			t.Errorf("missing columns: %v", err)
		}
	})
}

func TestScopeOfTheRegistry(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		if _, err := w.ents.Create(ctx, w.street, enterprise.Input{Name: "济南街道小超市有限公司", CreditCode: code(t, "91370105MA3T00011"),
			RegionCode: w.street.Unit.Region, Categories: "九小场所"}); err != nil {
			t.Fatal(err)
		}
		_, all, err := w.ents.List(ctx, w.office, enterprise.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		street, ns, err := w.ents.List(ctx, w.street, enterprise.Filter{Page: paging.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range street {
			if !strings.HasPrefix(e.RegionCode, w.street.Unit.Region) {
				t.Errorf("street sees %s in %s", e.Name, e.RegionCode)
			}
		}
		member, nm, err := w.ents.List(ctx, w.member, enterprise.Filter{Page: paging.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range member {
			sv, err := w.ents.Supervisors(ctx, w.office, e.UnitID)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, s := range sv {
				found = found || s.DeptID == w.member.Unit.ID
			}
			if !found {
				t.Errorf("区应急局 sees %s which it does not supervise", e.Name)
			}
		}
		own, no, err := w.ents.List(ctx, w.ent, enterprise.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if no != 1 || own[0].UnitID != w.ent.Unit.ID {
			t.Errorf("the enterprise sees %d records", no)
		}
		if !(ns < all && nm < all && ns > 0 && nm > 0) {
			t.Errorf("office %d, street %d, member %d", all, ns, nm)
		}
		// The street cannot fetch an enterprise of another street.
		others, _, err := w.ents.List(ctx, w.office, enterprise.Filter{Page: paging.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		tried := false
		for _, e := range others {
			if !strings.HasPrefix(e.RegionCode, w.street.Unit.Region) {
				if _, err := w.ents.Get(ctx, w.street, e.UnitID); !apperr.Is(err, apperr.NotFound) {
					t.Errorf("street gets %s: %v", e.Name, err)
				}
				tried = true
				break
			}
		}
		if !tried {
			t.Error("no enterprise outside the street to try")
		}
		// Blind spots: an enterprise of a category with no duty rule has no supervisor.
		e, err := w.ents.Create(ctx, w.office, enterprise.Input{Name: "济南无主贸易有限公司", CreditCode: code(t, "91370105MA3T00010"),
			RegionCode: w.street.Unit.Region, Categories: "其他"})
		if err != nil {
			t.Fatal(err)
		}
		blind, _, err := w.ents.List(ctx, w.office, enterprise.Filter{Unsupervised: true, Page: paging.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, b := range blind {
			found = found || b.UnitID == e.UnitID
		}
		if !found {
			t.Error("监管盲区 misses an enterprise nobody supervises")
		}
		if err := w.ents.SetSupervisor(ctx, w.office, e.UnitID, w.member.Unit.ID, w.member.UserID); err != nil {
			t.Fatal(err)
		}
		if sv, _ := w.ents.Supervisors(ctx, w.member, e.UnitID); len(sv) != 1 || sv[0].OfficerName != w.member.Name {
			t.Errorf("named officer: %+v", sv)
		}
	})
}

func TestKeyFieldChangesAreReviewed(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		e, err := w.ents.Get(ctx, w.ent, w.ent.Unit.ID)
		if err != nil {
			t.Fatal(err)
		}
		in := enterprise.Input{Name: "济南泺口新材料有限公司", CreditCode: e.CreditCode, RegionCode: e.RegionCode, Categories: "危险化学品、有限空间",
			Principal: "孙新", Staff: 200, StdLevel: "三级", IndustryCode: e.IndustryCode, Scale: "中型"}
		after, change, err := w.ents.Update(ctx, w.ent, e.UnitID, in)
		if err != nil || change == 0 {
			t.Fatalf("update by the enterprise: %v %d", err, change)
		}
		if after.Name != e.Name || after.Principal != "孙新" || after.Staff != 200 {
			t.Errorf("key field applied at once or plain field lost: %+v", after)
		}
		// A street outside 泺口化工's territory (the demo street holds it).
		streets, _, err := w.orgs.ListUnits(ctx, w.office, org.UnitFilter{Kind: org.KindStreet, Page: paging.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		var outside *org.Actor
		for _, u := range streets {
			if !strings.HasPrefix(e.RegionCode, u.RegionCode) {
				outside = org.NewActor(w.street.UserID, "other", "外街道", org.UnitRef{ID: u.ID, Name: u.Name, Kind: u.Kind, Level: u.Level, Region: u.RegionCode},
					[]org.Role{org.RoleTerritorial})
				break
			}
		}
		if err := w.ents.DecideChange(ctx, outside, change, true, ""); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a street outside the enterprise's territory decided: %v", err)
		}
		if err := w.ents.DecideChange(ctx, w.member, change, false, ""); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("reject without reason: %v", err)
		}
		// The supervising department is told of the request; once decided,
		// its message says so and the enterprise is told.
		newest := func(a *org.Actor) inbox.Message {
			ms, _, _, err := w.inbox.ListInbox(ctx, a, paging.Page{Limit: 1})
			if err != nil || len(ms) == 0 {
				t.Fatalf("%s's inbox: %v %v", a.Username, ms, err)
			}
			return ms[0]
		}
		if m := newest(w.member); !strings.Contains(m.Title, "申请变更企业信息，待审核") {
			t.Errorf("the department of a change request: %q", m.Title)
		}
		if err := w.ents.DecideChange(ctx, w.member, change, true, ""); err != nil {
			t.Fatal(err)
		}
		if m := newest(w.member); !strings.Contains(m.Title, "已通过") || m.ReadAt == nil {
			t.Errorf("the department's message once decided: %q, read %v", m.Title, m.ReadAt)
		}
		if m := newest(w.ent); !strings.Contains(m.Title, "变更申请已通过") {
			t.Errorf("the enterprise of the decision: %q", m.Title)
		}
		if got, _ := w.ents.Get(ctx, w.office, e.UnitID); got.Name != "济南泺口新材料有限公司" {
			t.Errorf("approved name not applied: %s", got.Name)
		}
		if err := w.ents.DecideChange(ctx, w.member, change, true, ""); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("deciding twice: %v", err)
		}
		// Another enterprise's record is out of reach.
		if _, _, err := w.ents.Update(ctx, w.ent, e.UnitID+1, in); err == nil {
			t.Error("an enterprise edited another")
		}
	})
}

func TestClassInstallationsAndCredit(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		e, inst := w.chemicalWorks(t, "济南分级化工有限公司", "91370105MA3T00020")
		if e.Class != "C" || !strings.Contains(e.ClassReason, "危险化学品 +3") { // 3 - 1 = 2
			t.Errorf("class without installations: %s %q", e.Class, e.ClassReason)
		}
		if inst.Result.Grade != "三级" || inst.Result.R != 44 {
			t.Fatalf("installation: %+v", inst.Result)
		}
		if _, err := w.ents.SaveInstallation(ctx, w.member, e.UnitID, 0, enterprise.InstallationInput{Name: "x", Kind: "storage",
			Holdings: []rules.Holding{{Chemical: "可乐", Tonnes: 1}}}); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "可乐") {
			t.Errorf("unknown chemical: %v", err)
		}
		got, err := w.ents.Get(ctx, w.member, e.UnitID)
		if err != nil {
			t.Fatal(err)
		}
		if got.MajorGrade != "三级" || got.Class != "B" { // 3 + 2 - 1 = 4
			t.Errorf("after the installation: %s %s %q", got.MajorGrade, got.Class, got.ClassReason)
		}
		// Blacklist: +3 → A, the flag and the 12-month repair rule.
		if _, err := w.ents.AddToBlacklist(ctx, w.member, e.UnitID, enterprise.ListingInput{Reason: "瞒报事故", Basis: "办法第八条", ListedOn: "2026-02-20"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.ents.AddToBlacklist(ctx, w.member, e.UnitID, enterprise.ListingInput{Reason: "x", Basis: "y", ListedOn: "2026-02-21"}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("second listing: %v", err)
		}
		f, err := w.ents.FlagsOf(ctx, e.UnitID)
		if err != nil || !f.Blacklisted || f.Until != "2029-02-20" || f.Class != "A" || f.Inspections != 4 {
			t.Errorf("flags: %+v %v", f, err)
		}
		ls, err := w.ents.ListCredit(ctx, w.member, e.UnitID)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.ents.RepairCredit(ctx, w.member, ls[0].ID, "已整改"); !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "2027-02-20") {
			t.Errorf("repair before 12 months: %v", err)
		}
		if err := w.ents.RepairCredit(ctx, w.office, ls[0].ID, "已整改"); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("repair by another authority: %v", err)
		}
		w.clock.Advance(time.Duration(366) * 24 * time.Hour)
		if err := w.ents.RepairCredit(ctx, w.member, ls[0].ID, "已整改并复查合格，同意修复"); err != nil {
			t.Fatal(err)
		}
		if f, _ := w.ents.FlagsOf(ctx, e.UnitID); f.Blacklisted || f.Class != "B" {
			t.Errorf("after repair: %+v", f)
		}
		// The key list follows class A unless adjusted by hand, with a reason.
		if err := w.ents.SetKeyList(ctx, w.member, e.UnitID, true, ""); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("key list without reason: %v", err)
		}
		if err := w.ents.SetKeyList(ctx, w.member, e.UnitID, true, "临近居民区，列入重点"); err != nil {
			t.Fatal(err)
		}
		if on, why, _ := w.ents.OnKeyList(ctx, w.member, e.UnitID); !on || !strings.Contains(why, "临近居民区") {
			t.Errorf("key list: %v %s", on, why)
		}
		keyed, _, err := w.ents.List(ctx, w.office, enterprise.Filter{KeyList: true, Page: paging.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, k := range keyed {
			found = found || k.UnitID == e.UnitID
		}
		if !found {
			t.Error("hand-listed enterprise missing from the key list")
		}
	})
}

func TestCertificatesAndSearch(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		c, err := w.ents.AddCertificate(ctx, w.ent, w.ent.Unit.ID, enterprise.CertificateInput{Person: "周电工", Post: "特种作业人员",
			WorkType: "电工作业", Number: "T1", IssuedOn: "2020-03-20", ReviewedOn: "2023-03-25"})
		if err != nil || c.ExpiresOn != "2026-03-20" || c.ReviewDue != "2026-03-20" {
			t.Fatalf("special certificate: %+v %v", c, err)
		}
		if _, err := w.ents.AddCertificate(ctx, w.ent, w.ent.Unit.ID, enterprise.CertificateInput{Person: "x", Post: "特种作业人员", Number: "T2", IssuedOn: "2025-01-01"}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("special without work type: %v", err)
		}
		p30, err := w.ents.Expiring(ctx, w.office, 30)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, x := range p30.Certificates {
			found = found || x.ID == c.ID
		}
		if !found {
			t.Error("a certificate expiring in 19 days is not in the 30-day list")
		}
		// No days asked for are the 30 days of the usual warning.
		if p0, err := w.ents.Expiring(ctx, w.office, 0); err != nil || len(p0.Certificates) != len(p30.Certificates) || len(p0.Licences) != len(p30.Licences) {
			t.Errorf("expiring, no days: %d certificates, %d licences (%v); want the 30 days' %d, %d", len(p0.Certificates), len(p0.Licences), err,
				len(p30.Certificates), len(p30.Licences))
		}
		if _, err := w.ents.Expiring(ctx, w.office, -1); apperr.FieldOf(err) != "days" {
			t.Errorf("expiring, -1 days: err = %v, want a field error on days", err)
		}
		// Search: 3+ characters through the trigram index, 1–2 by scan, codes too.
		for q, want := range map[string]string{"泺口精细": "济南泺口精细化工有限公司", "泺口": "济南泺口精细化工有限公司", "91370105MA3C1": "济南泺口精细化工有限公司", "ma3c1tq8": "济南泺口精细化工有限公司", "泺口精细化工有限": "济南泺口精细化工有限公司"} {
			es, n, err := w.ents.List(ctx, w.office, enterprise.Filter{Q: q})
			if err != nil || n == 0 || es[0].Name != want {
				t.Errorf("search %q: %d %v", q, n, err)
			}
		}
		if _, n, err := w.ents.List(ctx, w.office, enterprise.Filter{Q: "100%_"}); err != nil || n != 0 {
			t.Errorf("wildcards are not escaped: %d %v", n, err)
		}
	})
}

// TestNewClassRuleReclassifiesEveryEnterprise: a new rule reclassifies the
// whole registry in one go (the inputs read once for all) and agrees with
// reclassifying each enterprise on its own; it reports how many moved.
func TestNewClassRuleReclassifiesEveryEnterprise(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		e, _ := w.chemicalWorks(t, "济南重分化工有限公司", "91370105MA3T00021")
		if _, err := w.ents.AddToBlacklist(ctx, w.member, e.UnitID, enterprise.ListingInput{Reason: "瞒报事故", Basis: "办法第八条", ListedOn: "2026-02-20"}); err != nil {
			t.Fatal(err)
		}
		classes := func() map[int64]string {
			out := map[int64]string{}
			if err := w.ents.Each(ctx, w.office, enterprise.Filter{}, func(x enterprise.Enterprise) error { out[x.UnitID] = x.Class + "|" + x.MajorGrade; return nil }); err != nil {
				t.Fatal(err)
			}
			return out
		}
		before := classes()
		if before[e.UnitID] != "A|三级" {
			t.Fatalf("before: %s", before[e.UnitID])
		}
		r := enterprise.DefaultClassRule()
		r.BlacklistPoints = 0
		r.CategoryPoints["hazchem"]++
		n, err := w.ents.SetClassRule(ctx, w.office, r)
		if err != nil {
			t.Fatal(err)
		}
		after := classes()
		moved := 0
		for id := range after {
			if after[id][:1] != before[id][:1] {
				moved++
			}
		}
		if n != moved || n == 0 || after[e.UnitID] != "B|三级" { // 4 (hazchem) + 2 (三级) - 1 (二级), no blacklist points
			t.Errorf("reclassified %d, moved %d; the chemical works %s → %s", n, moved, before[e.UnitID], after[e.UnitID])
		}
		// Each on its own comes to the same.
		if err := w.db.Tx(ctx, func(tx *store.Tx) error {
			for id := range after {
				if err := w.ents.Reclass(ctx, tx, id); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if again := classes(); len(again) != len(after) {
			t.Fatalf("registry changed size")
		} else {
			for id, c := range again {
				if c != after[id] {
					t.Errorf("enterprise %d: all at once %s, on its own %s", id, after[id], c)
				}
			}
		}
	})
}

// TestDutyRuleAssignsItsCategory: a duty rule makes its department supervise
// the enterprises of its category in its region that it did not yet, says
// how many, and adds none the second time; a named officer must be an
// active user of the supervising department.
func TestDutyRuleAssignsItsCategory(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		street := w.street.Unit
		in, _, err := w.ents.List(ctx, w.office, enterprise.Filter{Category: "hazchem", Region: street.Region, Page: paging.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		had, _, err := w.ents.List(ctx, w.office, enterprise.Filter{Category: "hazchem", DeptID: street.ID, Page: paging.Page{Limit: 500}})
		if err != nil || len(in) == 0 {
			t.Fatalf("%d hazchem enterprises in the street (%v)", len(in), err)
		}
		n, err := w.ents.SetDutyRule(ctx, w.office, "hazchem", street.ID, true)
		if err != nil || n != len(in)-len(had) || n == 0 {
			t.Fatalf("rule assigned %d (%v), want %d of %d", n, err, len(in)-len(had), len(in))
		}
		for _, e := range in {
			sv, err := w.ents.Supervisors(ctx, w.office, e.UnitID)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, s := range sv {
				found = found || s.DeptID == street.ID
			}
			if !found {
				t.Errorf("%s is not supervised by the street after the rule", e.Name)
			}
		}
		if again, err := w.ents.SetDutyRule(ctx, w.office, "hazchem", street.ID, true); err != nil || again != 0 {
			t.Errorf("the same rule again assigned %d (%v)", again, err)
		}
		if err := w.ents.SetSupervisor(ctx, w.office, in[0].UnitID, w.member.Unit.ID, w.ent.UserID); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("an enterprise user as the department's officer: %v", err)
		}
	})
}
