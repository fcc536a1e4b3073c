package enterprise_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr/apperrtest"
	"anwei/internal/calendar"
	"anwei/internal/docs"
	"anwei/internal/enterprise"
	"anwei/internal/rules"
)

// FuzzImport: the enterprise register's import (a .csv under the template's
// header, its data rows fuzzed) on SQLite. Whatever the rows, the import
// refuses the file with a Chinese field error or accounts for every row it
// read — imported, updated, unchanged or rejected, and exactly the imported
// ones are new in the register — and its file of rejected rows holds every
// rejected row with no cell a spreadsheet would run as a formula.
func FuzzImport(f *testing.F) {
	ctx := context.Background()
	// newWorld's deployment (the same seeded template: a copy, not a load).
	clock := calendar.NewFixed(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))
	db, s := apptest.SeededDemo(f, "sqlite", app.Wiring{Clock: clock}, 20, false)
	c, err := s.Org.CredentialsFor(ctx, "street")
	if err != nil {
		f.Fatal(err)
	}
	street, err := s.Org.ActorByID(ctx, c.UserID)
	if err != nil {
		f.Fatal(err)
	}
	region := street.Unit.Region
	first17 := "91370100MA3C0000" + "1"
	ch, _ := rules.CreditCheckChar(first17)
	good := first17 + string(ch)
	f.Add("甲化工有限公司," + good + "," + region + ",历城区工业南路1号,,C26,危险化学品,小型,张三,李四,13800138000,王五,0531-1234567,50,2,二级,人保,P1,2027-01-01,正常\n")
	f.Add("=HYPERLINK(\"http://x\")," + good + ",+" + region + ",@SUM(A1),-1,\t=2,危险化学品\n乙,91370100MA3C000011," + region + "\n")
	f.Add("丙," + good + ",不存在街道,,,,危险化学品,,,,,,,abc,-3,,,,2026-02-30,?\n\n\"丁,\"\"x\"\"\"," + strings.ToLower(good) + "," + region + ",,,,危险化学品\n")
	f.Add("\n" + strings.Repeat(",", 40) + "x\n") // a cell past the header: the file is refused
	header := strings.Join(enterprise.SheetHeader, ",") + "\n"
	count := func(t *testing.T) int {
		var n int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM enterprises").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	f.Fuzz(func(t *testing.T, rows string) {
		file := docs.File{Name: "企业.csv", Data: []byte(header + rows)}
		read, rerr := countRows(file)
		rejects, err := os.Create(filepath.Join(t.TempDir(), "rejects.csv"))
		if err != nil {
			t.Fatal(err)
		}
		defer rejects.Close()
		before := count(t)
		res, err := s.Ents.Import(ctx, street, file, rejects)
		added := count(t) - before
		if err != nil {
			apperrtest.InvalidInChinese(t, fmt.Sprintf("import of %q", rows), err)
			if added != 0 {
				t.Fatalf("a refused import added %d enterprises", added)
			}
			return
		}
		if rerr != nil {
			t.Fatalf("the import took a file the reader refuses (%v)", rerr)
		}
		if n := res.Imported + res.Updated + res.Unchanged + res.RejectedTotal; n != read {
			t.Fatalf("%d rows read, %d accounted for: %+v", read, n, res)
		}
		if added != res.Imported {
			t.Fatalf("%d enterprises added, %d reported", added, res.Imported)
		}
		if _, err := rejects.Seek(0, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		back, err := csv.NewReader(rejects).ReadAll()
		if err != nil && res.RejectedTotal > 0 {
			t.Fatalf("rejects file: %v", err)
		}
		if res.RejectedTotal > 0 && len(back) != res.RejectedTotal+1 {
			t.Fatalf("%d rejected, %d lines in the rejects file", res.RejectedTotal, len(back)-1)
		}
		for _, line := range back {
			for _, cell := range line {
				if docs.Formula(cell) {
					t.Fatalf("rejects file cell %q would run as a formula", cell)
				}
			}
		}
	})
}

// countRows is how many data rows the reader returns of f.
func countRows(f docs.File) (int, error) {
	r, err := docs.Open(f, 0)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	n := 0
	for {
		_, _, err := r.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}
