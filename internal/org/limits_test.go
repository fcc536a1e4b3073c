package org_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/org"
)

// TestTextsHaveLimits: a unit's name, short name and aliases, a region's
// name, a user's name and phone and a grant's reason are refused past their
// limits, naming the field, the limit and the length, and nothing is
// stored (issue 14.5).
func TestTextsHaveLimits(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: calendar.NewFixed(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))}, 20, false)
		admin, err := s.Org.ActorByUsername(ctx, "admin")
		if err != nil {
			t.Fatal(err)
		}
		count := func(table string) (n int) {
			if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		units, users, grants := count("units"), count("users"), count("scope_grants")
		long := func(field string) string { return strings.Repeat("长", org.Limits[field]+1) }
		unit := org.UnitInput{Name: "济南市天桥区城市管理局", Kind: org.KindDepartment, RegionCode: "370105"}
		bad := func(set func(*org.UnitInput)) org.UnitInput { u := unit; set(&u); return u }
		_, err = s.Org.CreateUnit(ctx, admin, bad(func(u *org.UnitInput) { u.Name = long("name") }))
		if apperr.FieldOf(err) != "name" || !strings.Contains(err.Error(), "单位名称不能超过 100 字 (现 101 字)") {
			t.Errorf("a 101-character unit name: %v", err)
		}
		for field, set := range map[string]func(*org.UnitInput){
			"short_name": func(u *org.UnitInput) { u.ShortName = long("short_name") },
			"aliases":    func(u *org.UnitInput) { u.Aliases = []string{"城管局", long("aliases")} },
		} {
			if _, err := s.Org.CreateUnit(ctx, admin, bad(set)); apperr.FieldOf(err) != field || !strings.Contains(err.Error(), "不能超过") {
				t.Errorf("a %s too long: %v", field, err)
			}
		}
		if _, err := s.Org.CreateRegion(ctx, admin, org.RegionInput{Code: "370105999", Name: long("region_name")}); apperr.FieldOf(err) != "name" {
			t.Errorf("a 41-character region name: %v", err)
		}
		user := org.UserInput{Username: "zhangsan", DisplayName: long("display_name"), UnitID: admin.Unit.ID,
			Roles: []org.Role{org.RoleAdmin}, Password: "Anwei2026x"}
		if _, err := s.Org.CreateUser(ctx, admin, user); apperr.FieldOf(err) != "display_name" || !strings.Contains(err.Error(), "不能超过") {
			t.Errorf("a 31-character display name: %v", err)
		}
		u, err := s.Org.CreateUnit(ctx, admin, bad(func(u *org.UnitInput) { u.Name = strings.Repeat("局", 100) }))
		if err != nil {
			t.Fatalf("a unit name of exactly 100 characters: %v", err)
		}
		if err := s.Org.Grant(ctx, admin, u.ID, "unit", admin.Unit.ID, long("reason")); apperr.FieldOf(err) != "reason" {
			t.Errorf("a grant's reason too long: %v", err)
		}
		if count("units") != units+1 || count("users") != users || count("scope_grants") != grants {
			t.Errorf("refused inputs were stored: units %d → %d, users %d → %d, grants %d → %d", units, count("units"), users, count("users"),
				grants, count("scope_grants"))
		}
	})
}
