package enterprise_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/docs"
	"anwei/internal/enterprise"
	"anwei/internal/paging"
)

// TestSearchNewestFirstInScope: a piece of a name shared by many
// enterprises lists them newest first, a page at a time, with the count of
// them all, and each actor only those it may see: the office all 30, the
// street the 15 in its own street — on SQLite read from the name index in
// its own order (enterprise_fts joined to the registry), on PostgreSQL
// through the trigram index.
func TestSearchNewestFirstInScope(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		var b strings.Builder
		b.WriteString("企业名称,统一社会信用代码,所在街道,监管类别\n")
		for i := 0; i < 30; i++ {
			street := w.street.Unit.Region
			if i%2 == 1 {
				street = "370105001" // 无影山街道, another street
				if street == w.street.Unit.Region {
					street = "370105015"
				}
			}
			fmt.Fprintf(&b, "济南同名检索%02d工贸有限公司,%s,%s,工贸\n", i, code(t, fmt.Sprintf("91370105MA3R%05d", i)), street)
		}
		if res, err := w.ents.Import(ctx, w.office, docs.File{Name: "a.csv", Data: []byte(b.String())}, nil); err != nil || res.Imported != 30 {
			t.Fatalf("import: %+v %v", res, err)
		}
		es, total, err := w.ents.List(ctx, w.office, enterprise.Filter{Q: "同名检索", Page: paging.Page{Limit: 20}})
		if err != nil || total != 30 || len(es) != 20 {
			t.Fatalf("office: %d listed of %d (%v), want 20 of 30", len(es), total, err)
		}
		for i := 1; i < len(es); i++ {
			if es[i].UnitID >= es[i-1].UnitID {
				t.Fatalf("not newest first: %d after %d", es[i].UnitID, es[i-1].UnitID)
			}
		}
		if !strings.Contains(es[0].Name, "29") {
			t.Errorf("the newest first: %s", es[0].Name)
		}
		rest, _, err := w.ents.List(ctx, w.office, enterprise.Filter{Q: "同名检索", Page: paging.Page{Limit: 20, Offset: 20}})
		if err != nil || len(rest) != 10 || rest[0].UnitID >= es[19].UnitID {
			t.Errorf("page 2: %d rows (%v)", len(rest), err)
		}
		mine, n, err := w.ents.List(ctx, w.street, enterprise.Filter{Q: "同名检索", Page: paging.Page{Limit: 50}})
		if err != nil || n != 15 || len(mine) != 15 {
			t.Fatalf("street: %d listed of %d (%v), want its 15", len(mine), n, err)
		}
		for _, e := range mine {
			if !strings.HasPrefix(e.RegionCode, w.street.Unit.Region) {
				t.Errorf("street sees %s in %s", e.Name, e.RegionCode)
			}
		}
		// Sorted by another key, the search still finds them all.
		byName, n, err := w.ents.List(ctx, w.office, enterprise.Filter{Q: "同名检索", Sort: paging.Sort{Key: "name"}, Page: paging.Page{Limit: 50}})
		if err != nil || n != 30 || len(byName) != 30 || !strings.Contains(byName[0].Name, "00") {
			t.Errorf("by name: %d of %d (%v)", len(byName), n, err)
		}
	})
}
