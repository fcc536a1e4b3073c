package docs

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"anwei/internal/apperr"
	"anwei/internal/apperr/apperrtest"
	"anwei/internal/docs/sheettest"
)

// The readers' fuzz targets (ARCHITECTURE, Tests: fuzzing). Whatever the
// bytes, a reader returns rows or an error — never a panic — and every
// row it returns keeps the promises of Rows: as many cells as the header
// has, each UTF-8 without NUL and at most MaxCellChars, the line numbers
// rising, no more rows than the cap.

// fuzzRows is the row cap the targets read with: small, so a fuzzed file
// that reaches it is refused quickly.
const fuzzRows = 2000

// drain reads a sheet through Open and checks every row it returns, and
// that a refusal — of Open or of Next — says why in Chinese.
func drain(t *testing.T, name string, data []byte) ([][]string, error) {
	r, err := Open(File{Name: name, Data: data}, fuzzRows)
	if err != nil {
		apperrtest.InChinese(t, name+": Open", err.Error())
		return nil, err
	}
	defer r.Close()
	h := r.Header()
	if len(h) > MaxColumns {
		t.Fatalf("header of %d columns", len(h))
	}
	if len(h) > 0 && h[len(h)-1] == "" {
		t.Fatalf("header %q ends with an empty cell", h)
	}
	out := [][]string{h}
	last := 1
	for {
		n, row, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			apperrtest.InChinese(t, fmt.Sprintf("%s: Next after row %d", name, last), err.Error())
			return out, err
		}
		if n <= last {
			t.Fatalf("row %d after row %d", n, last)
		}
		last = n
		if len(row) != len(h) {
			t.Fatalf("row %d: %d cells under a header of %d", n, len(row), len(h))
		}
		blank := true
		for i, c := range row {
			if badCell([]string{c}) >= 0 || utf8.RuneCountInString(c) > MaxCellChars {
				t.Fatalf("row %d cell %d: %q", n, i, c)
			}
			if c != strings.TrimSpace(c) {
				t.Fatalf("row %d cell %d not trimmed: %q", n, i, c)
			}
			blank = blank && c == ""
		}
		if blank && len(h) > 0 {
			t.Fatalf("blank row %d returned", n)
		}
		if len(out) > fuzzRows {
			t.Fatalf("%d rows past the cap of %d", len(out)-1, fuzzRows)
		}
		out = append(out, row)
	}
}

// FuzzXLSX: any bytes named .xlsx — a zip, or a sheet's XML zipped by the
// target — read within the Rows promises.
func FuzzXLSX(f *testing.F) {
	for _, rows := range [][][]string{
		{{"名称", "代码"}, {"甲", "1"}, {"=1+1", "@x"}},
		{{"任务编号", "任务内容", "本单位进展"}, {"12", "开展检查", "已完成"}},
	} {
		var buf bytes.Buffer
		if err := (Sheet{Header: rows[0], Rows: rows[1:]}).XLSX(&buf); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes(), false)
	}
	f.Add(sheettest.WideXLSX(f, []string{"名称", "代码", "日期"}, 3, sheettest.Same(`<c r="A{r}" t="inlineStr"><is><t>甲</t></is></c><c r="B{r}"><v>13800138000</v></c><c r="C{r}" s="2"><v>46082</v></c><c r="XFD{r}" s="1"/>`)), false)
	f.Add([]byte(`<c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c><c r="C2" t="b"><v>1</v></c><c r="D2" t="e"><v>#N/A</v></c>`), true)
	f.Add([]byte(`<c r="A2" s="2"><v>1e308</v></c><c r="B2" t="n"><v>-0.000001</v></c><c r="ZZZZZZZZ2"><v>1</v></c><c r="C1048577"><v>1</v></c>`), true)
	f.Add([]byte(`<c r="A2" t="s"><v>-1</v></c><c r="B2" t="s"><v>99999999999999999999</v></c><c t="inlineStr"><is><t>x</t></is></c>`), true)
	f.Fuzz(func(t *testing.T, data []byte, cells bool) {
		if cells {
			// data is the cells of row 2, with a shared string table,
			// under a header of three columns.
			if !utf8.Valid(data) {
				return
			}
			data = sheettest.WideXLSXParts(t, []string{"名称", "代码", "日期"}, 1, func(int) string { return string(data) },
				map[string]string{"xl/sharedStrings.xml": `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>共享</t></si><si><r><t>富</t></r><r><t>文本</t></r></si></sst>`})
		}
		_, _ = drain(t, "x.xlsx", data)
	})
}

// FuzzCSV: any bytes named .csv (UTF-8 with or without BOM, GB18030, or
// neither) read within the Rows promises.
func FuzzCSV(f *testing.F) {
	f.Add([]byte("名称,代码\n甲,1\n"))
	f.Add([]byte("\xef\xbb\xbf名称,代码\r\n\"甲,\"\"乙\"\"\",1,,,\r\n\"a\"b\",2"))
	f.Add([]byte("\xc3\xfb\xb3\xc6,\xb4\xfa\xc2\xeb\n\xbc\xd7,1\n")) // GBK 名称,代码 / 甲,1
	f.Add([]byte("a,b\n1,2,3\n\x00,\n"))
	f.Add([]byte("\"\n\"\n,\"\"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = drain(t, "x.csv", data)
	})
}

// FuzzSheetRoundTrip: what the app writes as .xlsx (Sheet.XLSX, every
// export) and as .csv (encoding/csv, the rejected rows of an import) reads
// back as written — text stays text, a cell starting with = + - @ included
// (it is written as a string, never as a formula) — trimmed, as the
// reader trims.
func FuzzSheetRoundTrip(f *testing.F) {
	f.Add("名称", "=HYPERLINK(\"http://x\",\"点\")", "+86 138", "-1", "@SUM(A1)")
	f.Add("a", "\t=1", "\r=2", " 甲 ", "0012")
	f.Add("h", "1e5", "TRUE", "2026-01-01", "&lt;<>&\"'")
	f.Fuzz(func(t *testing.T, h, a, b, c, d string) {
		row := []string{a, b, c, d}
		for _, s := range append(row, h) {
			if badCell([]string{s}) >= 0 || len(s) > 200 || strings.ContainsAny(s, "\r\x0b\x0c") || !xmlText(s) {
				return // what the readers refuse or XML cannot hold
			}
		}
		if strings.TrimSpace(h) == "" {
			return
		}
		header := []string{h, "b", "c", "d"}
		want := make([]string, len(row))
		for i, s := range row {
			want[i] = strings.TrimSpace(s)
		}
		var x bytes.Buffer
		if err := (Sheet{Header: header, Rows: [][]string{row}}).XLSX(&x); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(unzipped(t, x.Bytes()), []byte("<f>")) {
			t.Fatalf("a formula in the written sheet of %q", row)
		}
		var c2 bytes.Buffer
		w := csv.NewWriter(&c2)
		_ = w.Write(header)
		_ = w.Write(SafeCells(row))
		w.Flush()
		back, err := csv.NewReader(bytes.NewReader(c2.Bytes())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, cell := range back[1] {
			if Formula(cell) {
				t.Fatalf("CSV cell %q of %q is a formula", cell, row)
			}
		}
		for name, data := range map[string][]byte{"x.xlsx": x.Bytes(), "x.csv": c2.Bytes()} {
			got, err := drain(t, name, data)
			if err != nil {
				t.Fatalf("%s of %q: %v", name, row, err)
			}
			if strings.Join(want, "") == "" {
				if len(got) != 1 {
					t.Fatalf("%s: a blank row read as %q", name, got[1:])
				}
				continue
			}
			if len(got) != 2 || strings.Join(got[1], "\x00") != strings.Join(want, "\x00") {
				t.Fatalf("%s: wrote %q, read %q", name, want, got)
			}
		}
	})
}

// xmlText reports whether s holds only characters XML 1.0 allows.
func xmlText(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xfffe || r == 0xffff || r == utf8.RuneError {
			return false
		}
	}
	return true
}

// unzipped is every part of a zip, one after another.
func unzipped(t *testing.T, data []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var all bytes.Buffer
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.Copy(&all, rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return all.Bytes()
}

// FuzzLetterDOCX: stored text — an addressee, a paragraph, an item, a
// copy-to unit, a table cell — with < & " or any control character goes
// into a writ's .docx as text: the writer refuses it with an Invalid error
// naming the field, or every XML part of the package parses and the
// document's text holds it.
func FuzzLetterDOCX(f *testing.F) {
	f.Add("泺口<化工>&\"公司'", "正文 &amp; <w:p>", "=cmd|'/c calc'!A1")
	f.Add("\x07", "a\x00b", "\ufffe")
	f.Add("]]><x>", "\ue000", "\t\r\n")
	f.Fuzz(func(t *testing.T, addressee, body, cell string) {
		l := Letter{Issuer: "天桥区安委办", DocNumber: "天安办提〔2026〕1号", Title: "提醒函", Addressee: addressee,
			Body: []string{body}, Items: []string{cell}, CopyTo: []string{addressee}, Signature: "天桥区安委办", Date: "2026年11月23日",
			Tables: []Table{{Header: []string{"企业", "状态"}, Widths: []float64{3, 2}, Rows: [][]string{{cell, body}}}}}
		b, err := l.DOCX()
		if err != nil {
			e := apperr.As(err)
			if e.Code != apperr.Invalid || e.Field == "" {
				t.Fatalf("%q %q %q: %v", addressee, body, cell, err)
			}
			apperrtest.InChinese(t, fmt.Sprintf("%q %q %q", addressee, body, cell), err.Error())
			return
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		var text strings.Builder
		for _, zf := range zr.File {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			dec := xml.NewDecoder(rc)
			for {
				tok, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%s of %q %q %q: %v", zf.Name, addressee, body, cell, err)
				}
				if cd, ok := tok.(xml.CharData); ok && zf.Name == "word/document.xml" {
					text.Write(cd)
				}
			}
			rc.Close()
		}
		for _, s := range []string{addressee, body, cell} {
			if w := strings.Join(strings.Fields(s), ""); w != "" && !strings.Contains(strings.Join(strings.Fields(text.String()), ""), w) {
				t.Fatalf("the document's text lacks %q", w)
			}
		}
	})
}

// FuzzLetterPDF: the same stored text in a writ's PDF (the title too, which
// goes into the document's information): the writer refuses it with an
// Invalid error naming the field, or the PDF prints it — every character
// drawn as itself, none blank.
func FuzzLetterPDF(f *testing.F) {
	f.Add("提醒函 (一) \\ )>>", "泺口<化工>&\"公司'", "正文 &amp; <w:p> %PDF endobj")
	f.Add("\x07", "a\x00b", "\ue000")
	f.Fuzz(func(t *testing.T, title, addressee, body string) {
		if len(title)+len(addressee)+len(body) > 600 {
			return // a page or two is what a property needs; long text is the layout tests'
		}
		l := Letter{Issuer: "天桥区安委办", DocNumber: "天安办提〔2026〕1号", Title: title, Addressee: addressee,
			Body: []string{body}, Signature: "天桥区安委办", Date: "2026年11月23日"}
		b, err := l.PDF()
		if err != nil {
			e := apperr.As(err)
			if e.Code != apperr.Invalid || e.Field == "" {
				t.Fatalf("%q %q %q: %v", title, addressee, body, err)
			}
			apperrtest.InChinese(t, fmt.Sprintf("%q %q %q", title, addressee, body), err.Error())
			return
		}
		got := readPDF(t, b)
		if len(got.blank) > 0 {
			t.Fatalf("%q %q %q: printed blank %q", title, addressee, body, got.blank)
		}
		all := strings.Join(strings.Fields(got.text), "")
		for _, s := range []string{addressee, body} {
			// What has no glyph — a control or format character — is not
			// drawn; everything else is, in order.
			s = strings.Map(func(r rune) rune {
				if unicode.IsGraphic(r) {
					return r
				}
				return ' '
			}, s)
			if w := strings.Join(strings.Fields(s), ""); w != "" && !strings.Contains(all, w) {
				t.Fatalf("the PDF's text lacks %q", w)
			}
		}
	})
}
