package app_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/docs"
	"anwei/internal/enforce"
	"anwei/internal/org"
)

// Publications and escalations (issue 25): a county's served case is due
// for publication, its accident case flagged for 移送司法.
func init() {
	listings = append(listings, listing{
		covers: []string{"enforce.Publications"},
		object: func(c *county) string { return sid(c.enf.cases.pub) },
		denied: []string{"enterprise"},
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			ps, n, err := f.enf.Publications(ctx, a, enforce.PublicationFilter{})
			var ids []string
			for _, p := range ps {
				ids = append(ids, sid(p.ID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			ps, _, err := f.enf.Publications(ctx, a, enforce.PublicationFilter{})
			for _, p := range ps {
				if sid(p.ID) == id {
					return nil
				}
			}
			if err != nil {
				return err
			}
			return apperr.New(apperr.NotFound, "not listed")
		},
	}, listing{
		covers: []string{"enforce.Escalations"},
		object: func(c *county) string { return sid(c.enf.cases.escalation) },
		denied: []string{"enterprise"},
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			xs, n, err := f.enf.Escalations(ctx, a, enforce.EscalationFilter{})
			var ids []string
			for _, x := range xs {
				ids = append(ids, sid(x.ID))
			}
			return ids, n, err
		},
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			xs, _, err := f.enf.Escalations(ctx, a, enforce.EscalationFilter{})
			for _, x := range xs {
				if sid(x.ID) == id {
					return nil
				}
			}
			if err != nil {
				return err
			}
			return apperr.New(apperr.NotFound, "not listed")
		},
	})
	listings = append(listings, listing{
		covers: []string{"enforce.CaseLedger"},
		object: func(c *county) string { return c.enf.cases.number },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			sh, err := f.enf.CaseLedger(ctx, a, enforce.CaseFilter{})
			var ids []string
			for _, r := range sh.Rows {
				ids = append(ids, r[1])
			}
			return ids, noTotal, err
		},
		noCount: "a sheet: its rows, no count",
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			sh, err := f.enf.CaseLedger(ctx, a, enforce.CaseFilter{})
			if err != nil {
				return err
			}
			if !slices.ContainsFunc(sh.Rows, func(r []string) bool { return r[1] == id }) {
				return apperr.New(apperr.NotFound, "not in the ledger")
			}
			return nil
		},
	}, listing{
		covers: []string{"enforce.CaseFigures"},
		object: func(c *county) string { return sid(c.dept.ID) },
		list: func(ctx context.Context, f *fixture, a *org.Actor) ([]string, int, error) {
			fs, err := f.enf.CaseFigures(ctx, a, thisYear())
			var ids []string
			for _, d := range fs.ByDepartment {
				ids = append(ids, sid(d.UnitID))
			}
			return ids, noTotal, err
		},
		noCount: "one row per deciding department, no count",
		get: func(ctx context.Context, f *fixture, a *org.Actor, id string) error {
			fs, err := f.enf.CaseFigures(ctx, a, thisYear())
			if err != nil {
				return err
			}
			if !slices.ContainsFunc(fs.ByDepartment, func(d enforce.DeptFig) bool { return sid(d.UnitID) == id }) {
				return apperr.New(apperr.NotFound, "not in the figures")
			}
			return nil
		},
	})
	// A decided case of the county and its publication.
	decided := func(ctx context.Context, f *fixture, c *county) (int64, int64, error) {
		crew, err := caseCrew(ctx, f, c)
		if err != nil {
			return 0, 0, err
		}
		firm, err := newFirm(ctx, f, c)
		if err != nil {
			return 0, 0, err
		}
		id, err := apptest.Case(ctx, f.enf, crew, firm, "decided")
		if err != nil {
			return 0, 0, err
		}
		ps, _, err := f.enf.Publications(ctx, c.deptUser, enforce.PublicationFilter{Case: id})
		if err != nil || len(ps) != 1 {
			return 0, 0, fmt.Errorf("prepare: publication %+v %v", ps, err)
		}
		return id, ps[0].ID, nil
	}
	addDeptTries([]deptTry{
		{"enforce.Publish", func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
			_, p, err := decided(ctx, f, c)
			if err != nil {
				return err
			}
			return f.enf.Publish(ctx, a, p, enforce.PublishInput{})
		}},
		{"enforce.Withdraw", func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
			id, p, err := decided(ctx, f, c)
			if err != nil {
				return err
			}
			if err := f.enf.Publish(ctx, c.deptUser, p, enforce.PublishInput{}); err != nil {
				return fmt.Errorf("prepare: %w", err)
			}
			if err := f.enf.Revise(ctx, c.deptUser, id, enforce.ReviseInput{Kind: "revoked", Reason: "复议撤销"}); err != nil {
				return fmt.Errorf("prepare: %w", err)
			}
			return f.enf.Withdraw(ctx, a, p, "决定已撤销")
		}},
		{"enforce.Revise", func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
			id, _, err := decided(ctx, f, c)
			if err != nil {
				return err
			}
			return f.enf.Revise(ctx, a, id, enforce.ReviseInput{Kind: "revoked", Reason: "复议撤销"})
		}},
		{"enforce.ImportCases", func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
			firm, err := newFirm(ctx, f, c)
			if err != nil {
				return err
			}
			e, err := f.ents.Get(ctx, c.deptUser, firm)
			if err != nil {
				return fmt.Errorf("prepare: %w", err)
			}
			var b bytes.Buffer
			row := []string{"历史" + next(), e.Name, e.CreditCode, "", "99", "", "未设置警示标志", "", "2026-01-05", "2026-01-20", "", "", "10000", "", "", "", ""}
			if err := (docs.Sheet{Name: "案件", Header: enforce.CaseSheetHeader, Rows: [][]string{row}}).XLSX(&b); err != nil {
				return fmt.Errorf("prepare: %w", err)
			}
			res, err := f.enf.ImportCases(ctx, a, docs.File{Name: "cases.xlsx", Data: b.Bytes()})
			if err == nil && res.Imported != 1 { // the row refused: the party is not the actor's to punish
				return apperr.New(apperr.Invalid, fmt.Sprintf("%+v", res.Rejected))
			}
			return err
		}},
		{"enforce.ActOnEscalation", func(ctx context.Context, f *fixture, a *org.Actor, c *county) error {
			x, err := accidentFlag(ctx, f, c)
			if err != nil {
				return err
			}
			return f.enf.ActOnEscalation(ctx, a, x, enforce.EscalationInput{Action: "dismiss", Note: "经查不涉嫌犯罪"})
		}},
	})
	for k, v := range map[string]string{
		"enforce.OverduePublications": "counts the publications under Publications' condition (governmentWhere, scope-tested), no object id",
		"enterprise.ListInTx":         "AddToBlacklist's transaction twin (scope-tested): checkListing reads the enterprise under the actor's scope (Get) first",
	} {
		notListings[k] = v
	}
}
