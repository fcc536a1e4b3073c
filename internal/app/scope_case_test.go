package app_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/enforce"
	"anwei/internal/files"
	"anwei/internal/org"
)

// cases are a county's 行政处罚案件 (issue 24): one served (with its
// evidence photo and writs), for the listings and the matrix's reads.
type cases struct {
	served, file, writ int64
	pub, escalation    int64  // part 4: the served case's publication, an accident case's 移送司法 flag
	number             string // the served case's 案件编号 (the ledger's rows)
}

// caseCrew is two officers of the county investigating, its department
// user deciding (so that user may do every step of the case).
func caseCrew(_ context.Context, _ *fixture, c *county) (apptest.Crew, error) {
	return apptest.Crew{Planner: c.deptUser, Approver: c.deptUser, Team: []*org.Actor{c.enf.officer2, c.enf.officer3}}, nil
}

// prepareCases prepares the county's served case.
func (f *fixture) prepareCases(t *testing.T, c *county) {
	t.Helper()
	ctx := context.Background()
	crew, err := caseCrew(ctx, f, c)
	if err != nil {
		t.Fatal(err)
	}
	firm, err := newFirm(ctx, f, c)
	if err != nil {
		t.Fatal(err)
	}
	id, err := apptest.Case(ctx, f.enf, crew, firm, "served")
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.enf.GetCase(ctx, c.deptUser, id)
	if err != nil || len(d.Writs) == 0 || len(d.Steps) == 0 || d.Steps[0].SHA256 == "" {
		t.Fatalf("the served case: %+v (%v)", d, err)
	}
	c.enf.cases = cases{served: id, file: d.Steps[0].ID, writ: d.Writs[len(d.Writs)-1].ID}
	ps, _, err := f.enf.Publications(ctx, c.deptUser, enforce.PublicationFilter{Case: id})
	if err != nil || len(ps) != 1 {
		t.Fatalf("the served case's publication: %+v (%v)", ps, err)
	}
	c.enf.cases.pub, c.enf.cases.number = ps[0].ID, d.Number
	c.enf.cases.escalation, err = accidentFlag(ctx, f, c)
	if err != nil {
		t.Fatal(err)
	}
}

// accidentFlag opens a case of an accident with a death: its 移送司法 flag.
func accidentFlag(ctx context.Context, f *fixture, c *county) (int64, error) {
	firm, err := newFirm(ctx, f, c)
	if err != nil {
		return 0, err
	}
	k, err := f.enf.OpenCase(ctx, c.deptUser, enforce.CaseInput{Source: "accident", EnterpriseID: firm, Article: 114, Grade: "一般", Facts: "高处坠落 1 人死亡",
		Officers: []int64{c.enf.officer2.UserID, c.enf.officer3.UserID}, Deaths: 1})
	if err != nil {
		return 0, fmt.Errorf("prepare: %w", err)
	}
	xs, _, err := f.enf.Escalations(ctx, c.deptUser, enforce.EscalationFilter{Case: k.ID})
	if err != nil || len(xs) != 1 {
		return 0, fmt.Errorf("prepare: the flag: %+v %v", xs, err)
	}
	return xs[0].ID, nil
}

func init() {
	listings = append(listings, listing{
		covers: []string{"enforce.Cases", "enforce.GetCase", "enforce.CaseWritForm", "enforce.OpenCaseFile"},
		object: func(c *county) string { return sid(c.enf.cases.served) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			cs, n, err := f.enf.Cases(ctx, a, enforce.CaseFilter{})
			var ids []string
			for _, c := range cs {
				ids = append(ids, sid(c.ID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			c := &f.a
			if id == sid(f.b.enf.cases.served) {
				c = &f.b
			}
			_, err := f.enf.GetCase(ctx, a, i64(id))
			_, werr := f.enf.CaseWritForm(ctx, a, i64(id), c.enf.cases.writ)
			_, fh, ferr := f.enf.OpenCaseFile(ctx, a, i64(id), c.enf.cases.file)
			if fh != nil {
				fh.Close()
			}
			return every(err, werr, ferr)
		},
	})
	// Each try prepares a case of the county in the state the step needs.
	at := func(state string, step func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error) func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
		return func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
			crew, err := caseCrew(ctx, f, c)
			if err != nil {
				return err
			}
			firm, err := newFirm(ctx, f, c)
			if err != nil {
				return err
			}
			id, err := apptest.Case(ctx, f.enf, crew, firm, state)
			if err != nil {
				return err
			}
			return step(ctx, f, a, c, id)
		}
	}
	tries := []deptTry{
		{"enforce.OpenCase", func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
			firm, err := newFirm(ctx, f, c)
			if err != nil {
				return err
			}
			_, err = f.enf.OpenCase(ctx, a, enforce.CaseInput{Source: "tip", EnterpriseID: firm, Violation: "a99-1", Facts: "未设置警示标志",
				Officers: []int64{c.enf.officer2.UserID, c.enf.officer3.UserID}})
			return err
		}},
		{"enforce.OnTheSpot", func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
			firm, err := newFirm(ctx, f, c)
			if err != nil {
				return err
			}
			_, err = f.enf.OnTheSpot(ctx, a, enforce.SpotInput{EnterpriseID: firm, Violation: "a99-1", Facts: "未设置警示标志", Fine: 1000,
				Officers: []int64{c.enf.officer2.UserID}})
			return err
		}},
		{"enforce.AddEvidence", at("filed", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			return f.enf.AddEvidence(ctx, a, id, enforce.EvidenceInput{Kind: "evidence", Note: "照片", Files: []files.Upload{{Name: "a.png", Body: bytes.NewReader(apptest.Signature())}}})
		})},
		{"enforce.Notify", at("filed", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			return f.enf.Notify(ctx, a, id, enforce.NoticeInput{Tier: "一般", Proposed: 20000})
		})},
		{"enforce.State", at("noticed", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			return f.enf.State(ctx, a, id, "已整改", false)
		})},
		{"enforce.Decide", at("noticed", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			if err := f.enf.State(ctx, c.deptUser, id, "已整改", true); err != nil {
				return fmt.Errorf("prepare: %w", err)
			}
			return f.enf.Decide(ctx, a, id, enforce.DecideInput{Fine: 20000})
		})},
		{"enforce.Review", at("noticed", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			return f.enf.Review(ctx, a, id, "同意")
		})},
		{"enforce.Discuss", at("noticed", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			return f.enf.Discuss(ctx, a, id, "同意")
		})},
		{"enforce.Extend", at("noticed", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			return f.enf.Extend(ctx, a, id, "案情复杂")
		})},
		{"enforce.Serve", at("decided", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			return f.enf.Serve(ctx, a, id, enforce.ServeInput{How: "direct"})
		})},
		{"enforce.Pay", at("served", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			return f.enf.Pay(ctx, a, id, enforce.PayInput{Amount: 20000, Receipt: "R1"})
		})},
		{"enforce.NotPaid", at("served", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			if err := f.enf.Pay(ctx, c.deptUser, id, enforce.PayInput{Amount: 20000, Receipt: "R1"}); err != nil {
				return fmt.Errorf("prepare: %w", err)
			}
			return f.enf.NotPaid(ctx, a, id, "未到账")
		})},
		{"enforce.CloseCase", at("served", func(ctx context.Context, f *fixture, a *org.Actor, c *county, id int64) error {
			if err := f.enf.Pay(ctx, c.deptUser, id, enforce.PayInput{Amount: 20000, Receipt: "R1"}); err != nil {
				return fmt.Errorf("prepare: %w", err)
			}
			return f.enf.CloseCase(ctx, a, id, "")
		})},
	}
	addDeptTries(tries)
	for k, v := range map[string]string{
		"enforce.OverdueCases":  "counts the cases under Cases' condition (caseWhere, scope-tested), no object id",
		"enforce.CaseRulesOf":   "the case rules of the actor's own region (a.Unit.Region), no object id",
		"enforce.SetCaseRules":  "sets the case rules of the actor's own region (a.Unit.Region), no object id",
		"enforce.AskHearing":    "the same partyStep as enforce.State (scope-tested): the party's own case or the deciding department's; needs a case with a hearing right",
		"enforce.SetHearing":    "the same caseStep as enforce.Notify (scope-tested): readCase under caseWhere and the deciding department",
		"enforce.RecordHearing": "the same caseStep as enforce.Notify (scope-tested)",
		"enforce.Consent":       "the same partyStep as enforce.State (scope-tested), the party only",
		"enforce.Remind":        "the same caseStep as enforce.Notify (scope-tested), once the 15 days have run out",
		"enforce.Surcharge":     "the same caseStep as enforce.Notify (scope-tested), after the 催告",
		"enforce.ApplyCourt":    "the same caseStep as enforce.Notify (scope-tested), in the court window",
		"enforce.Corrected":     "the same caseStep as enforce.Notify (scope-tested), on a case whose violation was refused after the fine",
		"enforce.OpenDaily":     "the same caseStep as enforce.Notify (scope-tested), once a daily count has ended",
	} {
		notListings[k] = v
	}
}
