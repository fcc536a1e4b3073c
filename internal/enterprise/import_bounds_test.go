package enterprise_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/docs"
	"anwei/internal/docs/sheettest"
	"anwei/internal/enterprise"
	"anwei/internal/paging"
)

// allocated is how many bytes fn allocates (the whole process: an upper
// bound of fn's own).
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// The attacker's 22 KB workbook: 4,000 rows with one value each in column
// XFD. Reading it used to pad every row to 16,384 cells (over 1 GB); it is
// refused naming the first such cell, with bounded allocation, and nothing
// is stored.
func TestImportWideSheetIsRefusedWithBoundedWork(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		data := sheettest.WideXLSX(t, enterprise.SheetHeader, 4000, sheettest.Same(`<c r="XFD{r}" t="inlineStr"><is><t>x</t></is></c>`))
		before := w.count(t)
		var err error
		got := allocated(func() {
			_, err = w.ents.Import(ctx, w.street, docs.File{Name: "a.xlsx", Data: data}, nil)
		})
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "第2行第XFD列有内容") {
			t.Errorf("wide sheet: %v", err)
		}
		if got > 100<<20 {
			t.Errorf("the wide sheet allocated %d MB", got>>20)
		}
		if after := w.count(t); after != before {
			t.Errorf("%d enterprises, were %d", after, before)
		}
	})
}

// WPS and Excel files carry formatting far right of the data: the rows
// import, and the formatting costs no allocation per column.
func TestImportSkipsStyledEmptyCellsBeyondTheData(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		street := w.street.Unit.Region
		cells := func(r int) string {
			return fmt.Sprintf(`<c r="A%[1]d" t="inlineStr"><is><t>格式公司%[1]d</t></is></c><c r="B%[1]d" t="inlineStr"><is><t>%[2]s</t></is></c>`+
				`<c r="C%[1]d"><v>%[3]s</v></c><c r="G%[1]d" t="inlineStr"><is><t>工贸</t></is></c>`+
				`<c r="U%[1]d" s="1"/><c r="AA%[1]d" s="1"><v></v></c><c r="XFD%[1]d" s="1"/>`, r, code(t, fmt.Sprintf("91370105MA3W%05d", r)), street)
		}
		data := sheettest.WideXLSX(t, enterprise.SheetHeader, 4000, cells)
		var res enterprise.ImportResult
		var err error
		got := allocated(func() {
			res, err = w.ents.Import(ctx, w.street, docs.File{Name: "a.xlsx", Data: data}, nil)
		})
		if err != nil || res.Imported != 4000 || res.RejectedTotal != 0 {
			t.Fatalf("styled rows: %v %+v", err, res)
		}
		again, err := w.ents.Import(ctx, w.street, docs.File{Name: "a.xlsx", Data: data}, nil)
		if err != nil || again.Unchanged != 4000 || again.Imported+again.Updated != 0 {
			t.Errorf("re-import: %v %+v", err, again)
		}
		if got > 100<<20 {
			t.Errorf("styled sheet allocated %d MB", got>>20)
		}
	})
}

// A file with more data rows than the cap is refused whole, naming the cap
// and the row, and nothing of it is stored.
func TestImportRowCap(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		w.ents = apptest.New(t, w.db, app.Wiring{Clock: w.clock, ImportMaxRows: 3}).Ents
		var b strings.Builder
		b.WriteString("企业名称,统一社会信用代码,所在街道,监管类别\n")
		for i := 0; i < 4; i++ {
			fmt.Fprintf(&b, "封顶公司%d,%s,%s,工贸\n", i, code(t, fmt.Sprintf("91370105MA3C%05d", i)), w.street.Unit.Region)
		}
		before := w.count(t)
		_, err := w.ents.Import(ctx, w.street, docs.File{Name: "a.csv", Data: []byte(b.String())}, nil)
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "超过 3 行") || !strings.Contains(err.Error(), "第5行") {
			t.Errorf("past the cap: %v", err)
		}
		if after := w.count(t); after != before {
			t.Errorf("a refused file stored rows: %d enterprises, were %d", after, before)
		}
		w.ents = apptest.New(t, w.db, app.Wiring{Clock: w.clock, ImportMaxRows: 4}).Ents
		if res, err := w.ents.Import(ctx, w.street, docs.File{Name: "a.csv", Data: []byte(b.String())}, nil); err != nil || res.Imported != 4 {
			t.Errorf("at the cap: %+v %v", res, err)
		}
	})
}

// A CSV of many bad rows answers with the counts and the first MaxListed
// rejected rows; the rejects file has every one.
func TestImportSummaryListsTheFirstRejects(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		const n = 250
		var b strings.Builder
		b.WriteString("企业名称,统一社会信用代码,所在街道,监管类别\n")
		fmt.Fprintf(&b, "好公司,%s,%s,工贸\n", code(t, "91370105MA3T10001"), w.street.Unit.Region)
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "坏公司%d,不是代码%d,%s,工贸\n", i, i, w.street.Unit.Region)
		}
		path := filepath.Join(t.TempDir(), "rejects.csv")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		res, err := w.ents.Import(ctx, w.street, docs.File{Name: "a.csv", Data: []byte(b.String())}, f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatal(err)
		}
		if res.Imported != 1 || res.RejectedTotal != n || len(res.Rejected) != enterprise.MaxListed || res.RejectedOmitted != n-enterprise.MaxListed ||
			!strings.HasPrefix(res.Rejected[0].Reason, "第3行") {
			t.Errorf("summary: imported %d, total %d, listed %d, omitted %d", res.Imported, res.RejectedTotal, len(res.Rejected), res.RejectedOmitted)
		}
		data, _ := os.ReadFile(path)
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\xef\xbb\xbf"))).ReadAll()
		if err != nil || len(recs) != n+1 || recs[0][0] != "行号" || recs[n][0] != fmt.Sprint(n+2) || recs[n][2] != fmt.Sprintf("坏公司%d", n-1) {
			t.Errorf("rejects file: %v, %d lines, last %q", err, len(recs), recs[len(recs)-1])
		}
	})
}

// A credit code registered outside the importer's jurisdiction is refused
// without telling that it exists there.
func TestImportDoesNotRevealForeignCreditCodes(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		es, _, err := w.ents.List(ctx, w.office, enterprise.Filter{Page: paging.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		var foreign string
		for _, e := range es {
			if !strings.HasPrefix(e.RegionCode, w.street.Unit.Region) {
				foreign = e.CreditCode
				break
			}
		}
		if foreign == "" {
			t.Fatal("no enterprise outside the street")
		}
		csv := "企业名称,统一社会信用代码,所在街道,监管类别\n冒名公司," + foreign + "," + w.street.Unit.Region + ",工贸\n"
		res, err := w.ents.Import(ctx, w.street, docs.File{Name: "a.csv", Data: []byte(csv)}, nil)
		if err != nil || res.RejectedTotal != 1 {
			t.Fatalf("foreign code: %+v %v", res, err)
		}
		if r := res.Rejected[0].Reason; r != "第2行: 该统一社会信用代码不能在此导入" {
			t.Errorf("reason %q", r)
		}
	})
}

// count is how many enterprises the office lists.
func (w *world) count(t *testing.T) int {
	t.Helper()
	_, n, err := w.ents.List(context.Background(), w.office, enterprise.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
