package org_test

import (
	"context"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/demo"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// TestAuditLogIsTheOfficesAndItsHeadTheKeepers: the office reads the log
// (an event, and one by its seq) and keeps the chain's head; a department
// or an enterprise may read neither; the office of a street, below the
// deployment's root, reads the log of its jurisdiction but not the head of
// the whole chain.
func TestAuditLogIsTheOfficesAndItsHeadTheKeepers(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))
		db, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		orgs := s.Org
		actor := func(name string) *org.Actor {
			a, err := orgs.ActorByUsername(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		office := actor("office")
		evs, n, err := orgs.AuditEvents(ctx, office, audit.Filter{Page: paging.Page{Limit: 5}})
		if err != nil || n == 0 || len(evs) == 0 {
			t.Fatalf("office reads the log: %d events, %v", n, err)
		}
		if ev, err := orgs.AuditEvent(ctx, office, evs[0].Seq); err != nil || ev.Hash != evs[0].Hash {
			t.Errorf("office reads event %d: %v", evs[0].Seq, err)
		}
		seq, hash, err := orgs.AuditHead(ctx, office)
		wantSeq, wantHash, herr := audit.Head(ctx, db)
		if err != nil || herr != nil || seq != wantSeq || hash != wantHash {
			t.Errorf("office's head %d %s (%v), the chain's %d %s (%v)", seq, hash, err, wantSeq, wantHash, herr)
		}
		for _, name := range []string{"member", "enterprise"} {
			a := actor(name)
			if _, _, err := orgs.AuditEvents(ctx, a, audit.Filter{Page: paging.Page{Limit: 5}}); !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("%s lists the log: err = %v, want forbidden", name, err)
			}
			if _, err := orgs.AuditEvent(ctx, a, evs[0].Seq); !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("%s reads an event: err = %v, want forbidden", name, err)
			}
			if _, _, err := orgs.AuditHead(ctx, a); !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("%s reads the head: err = %v, want forbidden", name, err)
			}
		}
		street := actor("street")
		lower, err := orgs.CreateUnit(ctx, org.System, org.UnitInput{Name: street.Unit.Name + "安委会办公室", Kind: org.KindCommitteeOffice,
			RegionCode: street.Unit.Region})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := orgs.CreateUser(ctx, org.System, org.UserInput{Username: "streetoffice", DisplayName: "街道安委办", UnitID: lower.ID,
			Roles: []org.Role{org.RoleOffice}, Password: demo.Password}); err != nil {
			t.Fatal(err)
		}
		streetOffice := actor("streetoffice")
		_, mine, err := orgs.AuditEvents(ctx, streetOffice, audit.Filter{Page: paging.Page{Limit: 5}})
		if err != nil || mine == 0 || mine >= n {
			t.Errorf("street office reads %d events (%v) of the office's %d: want some, fewer", mine, err, n)
		}
		if _, _, err := orgs.AuditHead(ctx, streetOffice); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("street office reads the head of the whole chain: err = %v, want forbidden", err)
		}
		if _, _, err := orgs.AuditHead(ctx, org.System); err != nil {
			t.Errorf("the system (whole deployment) reads the head: %v", err)
		}
	})
}
