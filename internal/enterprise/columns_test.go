package enterprise_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/docs"
	"anwei/internal/enterprise"
)

// TestTheExportPagesThroughEveryEnterprise: the export (Each) reads the
// registry in keyset pages (of 7 here), each with its streets and
// supervising departments read in one query: every enterprise once, in id
// order, with its street's name and its departments (issue 16.4).
func TestTheExportPagesThroughEveryEnterprise(t *testing.T) {
	defer enterprise.SetEachPage(enterprise.SetEachPage(7))
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		const n = 10
		var b strings.Builder
		b.WriteString("企业名称,统一社会信用代码,所在街道,监管类别\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "分页公司%d,%s,%s,工贸\n", i, code(t, fmt.Sprintf("91370105MA3P%05d", i)), w.street.Unit.Region)
		}
		if res, err := w.ents.Import(ctx, w.office, docs.File{Name: "a.csv", Data: []byte(b.String())}, nil); err != nil || res.Imported != n {
			t.Fatalf("import: %+v %v", res, err)
		}
		_, total, err := w.ents.List(ctx, w.office, enterprise.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		seen, last, ours := map[int64]bool{}, int64(0), 0
		err = w.ents.Each(ctx, w.office, enterprise.Filter{}, func(e enterprise.Enterprise) error {
			if seen[e.UnitID] || e.UnitID <= last {
				return fmt.Errorf("%d after %d", e.UnitID, last)
			}
			seen[e.UnitID], last = true, e.UnitID
			if strings.HasPrefix(e.Name, "分页公司") {
				ours++
				if e.StreetName == "" || e.StreetName != e.RegionName || e.Depts() == "" {
					return fmt.Errorf("%s: street %q (region %q), departments %q", e.Name, e.StreetName, e.RegionName, e.Depts())
				}
			}
			return nil
		})
		if err != nil || len(seen) != total || ours != n || total < 3*7 {
			t.Errorf("the export: %d enterprises (%d imported), want %d (%d): %v", len(seen), ours, total, n, err)
		}
	})
}
