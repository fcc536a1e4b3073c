package docs

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"anwei/internal/docs/sheettest"
)

// readAll reads a sheet through Open: the header, then the data rows.
func readAll(name string, data []byte) ([][]string, error) {
	r, err := Open(File{Name: name, Data: data}, 0)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	out := [][]string{r.Header()}
	for {
		_, row, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, row)
	}
}

// TestSheetBounds: a value far right of the header is refused naming its
// row and column; formatting there (even a style that would show text) is
// skipped; the row cap refuses; dates and numbers read as Excel shows them.
func TestSheetBounds(t *testing.T) {
	header := []string{"名称", "代码", "日期"}
	wide := sheettest.WideXLSX(t, header, 4000, sheettest.Same(`<c r="XFD{r}" t="inlineStr"><is><t>x</t></is></c>`))
	if _, err := readAll("a.xlsx", wide); err == nil || !strings.Contains(err.Error(), "第2行第XFD列有内容") {
		t.Errorf("value at XFD: %v", err)
	}
	styled := sheettest.WideXLSX(t, header, 20, sheettest.Same(`<c r="A{r}" t="inlineStr"><is><t>甲</t></is></c><c r="B{r}"><v>13800138000</v></c><c r="C{r}" s="2"><v>46082</v></c>`+
		`<c r="D{r}" s="1"/><c r="XFD{r}" s="1"/>`))
	rows, err := readAll("a.xlsx", styled)
	if err != nil || len(rows) != 21 || strings.Join(rows[5], "|") != "甲|13800138000|2026-03-01" {
		t.Fatalf("styled empty cells: %v %q", err, rows[:min(len(rows), 3)])
	}
	r, err := Open(File{Name: "a.xlsx", Data: styled}, 5)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for i := 0; ; i++ {
		if _, _, err = r.Next(); err != nil {
			break
		}
	}
	if err == nil || !strings.Contains(err.Error(), "超过 5 行") || !strings.Contains(err.Error(), "第7行") {
		t.Errorf("row cap: %v", err)
	}
	// The same in CSV: a value past the header, and a line of commas.
	if _, err := readAll("a.csv", []byte("名称,代码\n甲,1,,,,,x\n")); err == nil || !strings.Contains(err.Error(), "第2行第G列有内容") {
		t.Errorf("csv value outside: %v", err)
	}
	if _, err := readAll("a.csv", []byte("名称,代码\n甲,1\nab\x00cd,2\n")); err == nil || !strings.Contains(err.Error(), "第3行第A列含有无效字符") {
		t.Errorf("csv NUL: %v", err)
	}
	rows, err = readAll("a.csv", []byte("名称,代码\n\"甲,\"\"乙\"\"\",1"+strings.Repeat(",", 100000)+"\n\n\"a\"b\",2\r\n"))
	if err != nil || len(rows) != 3 || rows[1][0] != `甲,"乙"` || rows[2][0] != `a"b` || rows[2][1] != "2" {
		t.Errorf("csv quotes and commas: %v %q", err, rows)
	}
}

// TestWideSheetAllocation: the attacker's file (4,000 rows, each with one
// value at XFD) is refused with bounded allocation, and a file with styled
// empty cells to XFD on every row reads with allocation independent of
// the width.
func TestWideSheetAllocation(t *testing.T) {
	header := []string{"名称", "代码"}
	for _, c := range []struct {
		name, cells string
	}{{"value at XFD", `<c r="XFD{r}" t="inlineStr"><is><t>x</t></is></c>`},
		{"styled to XFD", `<c r="A{r}" t="inlineStr"><is><t>甲</t></is></c><c r="XFC{r}" s="1"/><c r="XFD{r}" s="1"/>`}} {
		data := sheettest.WideXLSX(t, header, 4000, sheettest.Same(c.cells))
		var rows [][]string
		var err error
		got := allocated(func() { rows, err = readAll("a.xlsx", data) })
		if got > 20<<20 {
			t.Errorf("%s: %d MB allocated", c.name, got>>20)
		}
		if c.name == "value at XFD" && (err == nil || !strings.Contains(err.Error(), "XFD")) {
			t.Errorf("%s: %v", c.name, err)
		}
		if c.name == "styled to XFD" && (err != nil || len(rows) != 4001) {
			t.Errorf("%s: %d rows, %v", c.name, len(rows), err)
		}
	}
}

// TestXMLBombsAreRefusedEarly: a shared string table past MaxSharedText and
// a run of text without a tag (one XML token, which the decoder would hold
// whole) are refused before they are held in memory — small files that
// unpack to tens of megabytes.
func TestXMLBombsAreRefusedEarly(t *testing.T) {
	header := []string{"名称", "代码"}
	long := strings.Repeat("a", 30000)
	var sst strings.Builder
	sst.WriteString(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for range MaxSharedText/len(long) + 10 {
		sst.WriteString("<si><t>" + long + "</t></si>")
	}
	sst.WriteString("</sst>")
	shared := sheettest.WideXLSXParts(t, header, 10, sheettest.Same(`<c r="A{r}" t="s"><v>0</v></c>`), map[string]string{"xl/sharedStrings.xml": sst.String()})
	run := sheettest.WideXLSX(t, header, 3, func(r int) string {
		return `<c r="A` + fmt.Sprint(r) + `" t="inlineStr"><is><t>甲</t></is></c>` + strings.Repeat(" ", 16*maxRun)
	})
	for _, c := range []struct {
		name string
		data []byte
		want string
		max  uint64
	}{{"shared strings", shared, "共享字符串超过", 2 * MaxSharedText}, {"text run", run, "连续文本", 8 * maxRun}} {
		var err error
		got := allocated(func() { _, err = readAll("a.xlsx", c.data) })
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s (%d KB file): %v", c.name, len(c.data)>>10, err)
		}
		if got > c.max {
			t.Errorf("%s: %d MB allocated, want at most %d", c.name, got>>20, c.max>>20)
		}
	}
}

// allocated is how many bytes fn allocates.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
