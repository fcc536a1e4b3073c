package docs

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"anwei/internal/docs/sheettest"
)

// TestSheetsAreBoundedBeforeExpansion: small hostile workbooks are refused
// (or read) with bounded allocation before they unpack — a part whose
// zip header claims a small size but unpacks to far more, parts whose
// declared sizes pass MaxUnzipped, a dimension of the whole grid
// (A1:XFD1048576) with a row at 1048576, a billion-laughs entity table
// (encoding/xml expands no entity: the reference is an error),. (A
// shared string table of more than MaxSharedStrings empty strings is
// refused too — 16 MB of ends at most — but its 4 million tokens take 3 s,
// so it is left to FuzzXLSX's invariants and readSharedStrings' check.)
func TestSheetsAreBoundedBeforeExpansion(t *testing.T) {
	header := []string{"名称", "代码"}
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>`
	for _, c := range []struct {
		name string
		data []byte
		want string // in the error; "" reads
		rows int
	}{
		{"lying zip header", lying(t, sheettest.WideXLSX(t, header, 1, sheettest.Same(`<c r="A{r}" t="inlineStr"><is><t>甲</t></is></c>`+strings.Repeat("<x/>", 2<<20)))), "zip: not a valid zip file", 0},
		{"declared sizes past MaxUnzipped", declared(t, sheettest.WideXLSX(t, header, 1, sheettest.Same(`<c r="A{r}"><v>1</v></c>`)), MaxUnzipped), "解压后超过", 0},
		{"dimension of the whole grid", sheettest.WideXLSXParts(t, header, 2, func(r int) string {
			if r == 3 {
				return `<c r="A1048576" t="inlineStr"><is><t>末</t></is></c>`
			}
			return `<c r="A2" t="inlineStr"><is><t>甲</t></is></c>`
		}, nil), "", 2},
		{"billion laughs in the sheet", sheettest.WideXLSXParts(t, header, 1, sheettest.Same(`<c r="A{r}" t="inlineStr"><is><t>&lol9;</t></is></c>`), nil), "", -1},
		{"billion laughs in the shared strings", sheettest.WideXLSXParts(t, header, 1, sheettest.Same(`<c r="A{r}" t="s"><v>0</v></c>`),
			map[string]string{"xl/sharedStrings.xml": laughs + `<sst><si><t>&lol9;</t></si></sst>`}), "", -1},
	} {
		var rows [][]string
		var err error
		got := allocated(func() { rows, err = readAll("a.xlsx", c.data) })
		switch {
		case c.rows == -1: // refused or read, but never expanded
			if err == nil && strings.Contains(strings.Join(rows[len(rows)-1], ""), "lollol") {
				t.Errorf("%s: expanded to %.40q", c.name, rows[len(rows)-1])
			}
		case c.want == "" && (err != nil || len(rows) != c.rows+1):
			t.Errorf("%s: %d rows, %v", c.name, len(rows)-1, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s (%d KB): %v, want an error with %q", c.name, len(c.data)>>10, err, c.want)
		}
		if got > 64<<20 {
			t.Errorf("%s: %d MB allocated", c.name, got>>20)
		}
	}
}

// rezip copies a zip, letting edit change each entry's header before its
// body is written raw (compressed as it was).
func rezip(t *testing.T, data []byte, edit func(*zip.FileHeader)) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		h := f.FileHeader
		edit(&h)
		raw, err := f.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, raw); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// lying is the workbook whose sheet claims to unpack to 1 KB.
func lying(t *testing.T, data []byte) []byte {
	return declared(t, data, 1<<10)
}

// declared is the workbook whose sheet claims to unpack to size bytes.
func declared(t *testing.T, data []byte, size uint64) []byte {
	return rezip(t, data, func(h *zip.FileHeader) {
		if strings.HasPrefix(h.Name, "xl/worksheets/") {
			h.UncompressedSize64 = size
		}
	})
}
