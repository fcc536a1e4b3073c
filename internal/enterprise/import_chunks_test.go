package enterprise_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/docs"
	"anwei/internal/enterprise"
)

// An import across many chunks (three rows each here), each read and
// checked while the one before is written: a credit code repeated chunks
// later is refused naming its first line, rejects keep the file's order, a
// rejects file failing mid-import ends the import with nothing stored (the
// reading ahead stops rather than hang), and the row cap met in a late
// chunk refuses the whole file after earlier chunks were written.
func TestImportAcrossChunks(t *testing.T) {
	defer enterprise.SetChunkRows(enterprise.SetChunkRows(3))
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		before := w.count(t)
		first := code(t, "91370105MA3K00000")
		var b strings.Builder
		b.WriteString("企业名称,统一社会信用代码,所在街道,监管类别\n")
		for i := 0; i < 10; i++ {
			c, street := code(t, fmt.Sprintf("91370105MA3K%05d", i)), w.street.Unit.Region
			switch i {
			case 4:
				street = "未知街道"
			case 8:
				c = first
			}
			fmt.Fprintf(&b, "分块公司%d,%s,%s,工贸\n", i, c, street)
		}
		res, err := w.ents.Import(ctx, w.street, docs.File{Name: "a.csv", Data: []byte(b.String())}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Imported != 8 || res.RejectedTotal != 2 || !strings.HasPrefix(res.Rejected[0].Reason, "第6行: 未知的街道") ||
			res.Rejected[1].Reason != "第10行: 统一社会信用代码 "+first+" 与第2行重复" {
			t.Errorf("across chunks: %+v", res)
		}
		if n := w.count(t); n != before+8 {
			t.Errorf("%d enterprises, want %d", n, before+8)
		}

		before = w.count(t)
		b.Reset()
		b.WriteString("企业名称,统一社会信用代码,所在街道,监管类别\n")
		for i := 0; i < 120; i++ {
			c := code(t, fmt.Sprintf("91370105MA3L%05d", i))
			if i%2 == 1 {
				c = fmt.Sprintf("不是代码%d", i)
			}
			fmt.Fprintf(&b, "中断公司%d,%s,%s,工贸\n", i, c, w.street.Unit.Region)
		}
		_, err = w.ents.Import(ctx, w.street, docs.File{Name: "b.csv", Data: []byte(b.String())}, &failingRejects{})
		if !errors.Is(err, errDiskFull) {
			t.Errorf("failing rejects file: %v", err)
		}
		if n := w.count(t); n != before {
			t.Errorf("a failed import stored rows: %d enterprises, were %d", n, before)
		}

		w.ents = apptest.New(t, w.db, app.Wiring{Clock: w.clock, ImportMaxRows: 7}).Ents
		b.Reset()
		b.WriteString("企业名称,统一社会信用代码,所在街道,监管类别\n")
		for i := 0; i < 9; i++ {
			fmt.Fprintf(&b, "封顶分块公司%d,%s,%s,工贸\n", i, code(t, fmt.Sprintf("91370105MA3M%05d", i)), w.street.Unit.Region)
		}
		_, err = w.ents.Import(ctx, w.street, docs.File{Name: "c.csv", Data: []byte(b.String())}, nil)
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "超过 7 行") || !strings.Contains(err.Error(), "第9行") {
			t.Errorf("past the cap in the third chunk: %v", err)
		}
		if n := w.count(t); n != before {
			t.Errorf("a refused file stored rows: %d enterprises, were %d", n, before)
		}
	})
}

var errDiskFull = errors.New("disk full")

// failingRejects takes the rejects file's BOM, then fails every write.
type failingRejects struct{ writes int }

func (f *failingRejects) Write(p []byte) (int, error) {
	if f.writes++; f.writes > 1 {
		return 0, errDiskFull
	}
	return len(p), nil
}

func (f *failingRejects) Seek(int64, int) (int64, error) { return 0, nil }
func (f *failingRejects) Truncate(int64) error           { return nil }
