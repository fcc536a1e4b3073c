package plan_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr/apperrtest"
	"anwei/internal/calendar"
	"anwei/internal/docs"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/plan"
)

// FuzzImportProgress: the 任务分工表 import (a .csv under the exported
// sheet's header, its rows fuzzed; seeded with the member's real rows) on
// SQLite. Whatever the rows, the import refuses the file with a Chinese
// field error, or accounts for every row with a task number or progress —
// imported, unchanged, blank or rejected, the rejections listed up to
// MaxListed — and adds exactly the imported reports.
func FuzzImportProgress(f *testing.F) {
	ctx := context.Background()
	clock := calendar.NewFixed(time.Date(2026, 7, 10, 2, 0, 0, 0, time.UTC))
	db, s := apptest.SeededDemo(f, "sqlite", app.Wiring{Clock: clock}, 20, false) // newWorld's template
	cr, err := s.Org.CredentialsFor(ctx, "member")
	if err != nil {
		f.Fatal(err)
	}
	member, err := s.Org.ActorByID(ctx, cr.UserID)
	if err != nil {
		f.Fatal(err)
	}
	ps, _, err := s.Plans.ListPlans(ctx, org.System, paging.Page{})
	if err != nil || len(ps) == 0 {
		f.Fatalf("demo plans: %v", err)
	}
	planID := ps[0].ID
	sh, err := s.Plans.TaskSheet(ctx, member, planID)
	if err != nil || len(sh.Rows) < 2 {
		f.Fatalf("member's sheet: %v", err)
	}
	col, err := docs.Columns(sh.Header, "任务编号", "本单位进展")
	if err != nil {
		f.Fatal(err)
	}
	csvOf := func(rows ...[]string) string {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		_ = w.WriteAll(rows)
		return b.String()
	}
	header := csvOf(sh.Header)
	done := func(r []string, text string) []string {
		r = append([]string(nil), r...)
		r[col["本单位进展"]] = text
		return r
	}
	f.Add(csvOf(done(sh.Rows[0], "已完成检查 35 家"), done(sh.Rows[1], "")))
	f.Add(csvOf(done(sh.Rows[0], "=HYPERLINK(\"x\")"), done(sh.Rows[0], "重复"), []string{"abc", "", "", "", "", "", "", "", "", "z"}, []string{"-1"}, []string{"99999999999999999999", "", "", "x"}))
	f.Add(csvOf(done(sh.Rows[1], strings.Repeat("长", 5000))) + "\n\n,,,,,,,,,,,,,,,,,,,,,,,x\n")
	count := func(t *testing.T) int {
		var n int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM plan_reports").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	f.Fuzz(func(t *testing.T, rows string) {
		file := docs.File{Name: "任务分工表.csv", Data: []byte(header + rows)}
		counted, rerr := progressRows(file, col)
		before := count(t)
		res, err := s.Plans.ImportProgress(ctx, member, planID, file)
		added := count(t) - before
		if err != nil {
			apperrtest.InvalidInChinese(t, fmt.Sprintf("import of %q", rows), err)
			if added != 0 {
				t.Fatalf("a refused import added %d reports", added)
			}
			return
		}
		if rerr != nil {
			t.Fatalf("the import took a file the reader refuses (%v)", rerr)
		}
		if n := res.Imported + res.Unchanged + res.Blank + res.RejectedTotal; n != counted {
			t.Fatalf("%d rows with a number or progress, %d accounted for: %+v", counted, n, res)
		}
		if len(res.Rejected) > plan.MaxListed || res.RejectedOmitted != res.RejectedTotal-len(res.Rejected) {
			t.Fatalf("rejections listed %d, total %d, omitted %d", len(res.Rejected), res.RejectedTotal, res.RejectedOmitted)
		}
		if added != res.Imported {
			t.Fatalf("%d reports added, %d reported", added, res.Imported)
		}
	})
}

// progressRows is how many data rows of f have a task number or progress.
func progressRows(f docs.File, col map[string]int) (int, error) {
	r, err := docs.Open(f, 0)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	n := 0
	for {
		_, row, err := r.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if docs.Cell(row, col["任务编号"]) != "" || docs.Cell(row, col["本单位进展"]) != "" {
			n++
		}
	}
}
