package risk_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/calendar"
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/risk"
)

// TestFourColourMapByStreet: the map has a tile for every street of the
// office's county, each with its points by colour and coloured by the
// highest; a tile's points are what the listing filtered by its street
// shows; a street's map is its own tile only (both databases).
func TestFourColourMapByStreet(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		clock := calendar.NewFixed(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
		_, s := apptest.SeededDemo(t, dialect, app.Wiring{Clock: clock}, 20, false)
		ent, office, street := actor(t, s.Org, "enterprise"), actor(t, s.Org, "office"), actor(t, s.Org, "street")
		es, _, err := s.Ents.List(ctx, office, enterprise.Filter{Page: paging.Page{Limit: paging.Max}})
		if err != nil {
			t.Fatal(err)
		}
		var other enterprise.Enterprise
		for _, e := range es {
			if len(e.RegionCode) >= 9 && !strings.HasPrefix(e.RegionCode, street.Unit.Region) {
				other = e
				break
			}
		}
		own := org.NewActor(0, "test", other.Name, org.UnitRef{ID: other.UnitID, Name: other.Name, Kind: org.KindEnterprise, Region: other.RegionCode},
			[]org.Role{org.RoleEnterprise})
		point := func(a *org.Actor, id int64, name string, in risk.Inputs) {
			t.Helper()
			if _, err := s.Risks.Create(ctx, a, risk.Input{EnterpriseID: id, Name: name, Activity: "储存", Factors: "泄漏", Accidents: "火灾",
				Measures: "检测报警", Responsible: "安全员", Inputs: in}); err != nil {
				t.Fatal(err)
			}
		}
		point(ent, ent.Unit.ID, "液氯储罐区", risk.Inputs{L: 3, E: 10, C: 15}) // 450: red
		point(ent, ent.Unit.ID, "配电室", risk.Inputs{L: 1, E: 3, C: 7})     // 21: blue
		point(own, other.UnitID, "储罐区", risk.Inputs{L: 3, E: 6, C: 7})    // 126: yellow
		towns, err := s.Org.Townships(ctx, office)
		if err != nil {
			t.Fatal(err)
		}
		tiles, err := s.Risks.ByStreet(ctx, office)
		if err != nil {
			t.Fatal(err)
		}
		if len(tiles) != len(towns) || len(towns) < 5 {
			t.Fatalf("%d tiles for the county's %d streets", len(tiles), len(towns))
		}
		got := map[string]string{}
		for _, tl := range tiles {
			if tl.Total() > 0 {
				got[tl.Key] = fmt.Sprintf("%s %d/%d/%d/%d", tl.Top, tl.Red, tl.Orange, tl.Yellow, tl.Blue)
			} else if tl.Top != "" || tl.Name == "" {
				t.Errorf("an empty street: %+v", tl)
			}
			_, n, err := s.Risks.List(ctx, office, risk.Filter{Region: tl.Key})
			if err != nil || n != tl.Total() {
				t.Errorf("%s: the list holds %d, the tile shows %d (%v)", tl.Name, n, tl.Total(), err)
			}
		}
		mine, theirs := street.Unit.Region, other.RegionCode[:9]
		if want := map[string]string{mine: "red 1/0/0/1", theirs: "yellow 0/0/1/0"}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("the coloured tiles: %v, want %v", got, want)
		}
		st, err := s.Risks.ByStreet(ctx, street)
		if err != nil {
			t.Fatal(err)
		}
		if len(st) != 1 || st[0].Key != mine || st[0].Top != "red" {
			t.Errorf("the street's map: %+v, want its own tile", st)
		}
		if _, n, err := s.Risks.List(ctx, street, risk.Filter{Region: theirs}); err != nil || n != 0 {
			t.Errorf("the street lists another street's points: %d, %v", n, err)
		}
	})
}
