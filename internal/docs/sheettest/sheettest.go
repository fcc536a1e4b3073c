// Package sheettest writes .xlsx files by hand for tests: the small,
// hostile or formatting-heavy workbooks real spreadsheet programs do not
// produce on request.
package sheettest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

// WideXLSX is a workbook whose sheet XML is written by hand: the header
// (inline strings), then rows data rows whose XML cell elements
// rowCells(r) writes (r the row number; see Same). Style 1 shows any value, even none, as
// "x"; style 2 is a date. Deflate makes 4,000 rows a few KB.
func WideXLSX(t testing.TB, header []string, rows int, rowCells func(r int) string) []byte {
	t.Helper()
	return WideXLSXParts(t, header, rows, rowCells, nil)
}

// WideXLSXParts is WideXLSX with more parts (name → XML), such as a shared
// string table "xl/sharedStrings.xml".
func WideXLSXParts(t testing.TB, header []string, rows int, rowCells func(r int) string, extra map[string]string) []byte {
	t.Helper()
	var sheet strings.Builder
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">`)
	for i, h := range header {
		fmt.Fprintf(&sheet, `<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>`, col(i+1), h)
	}
	sheet.WriteString(`</row>`)
	for r := 2; r < rows+2; r++ {
		fmt.Fprintf(&sheet, `<row r="%d">%s</row>`, r, rowCells(r))
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
			`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/styles.xml": `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
			`<numFmts count="1"><numFmt numFmtId="176" formatCode="&quot;x&quot;;&quot;x&quot;;&quot;x&quot;;&quot;x&quot;"/></numFmts>` +
			`<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="176"/><xf numFmtId="14"/></cellXfs></styleSheet>`,
		"xl/worksheets/sheet1.xml": sheet.String(),
	}
	for name, body := range extra {
		parts[name] = body
	}
	for name, body := range parts {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, body); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// col is a column's letters (1 → A).
func col(n int) string {
	s := ""
	for ; n > 0; n = (n - 1) / 26 {
		s = string(rune('A'+(n-1)%26)) + s
	}
	return s
}

// Same is the same cells on every row: {r} in cells is the row number.
func Same(cells string) func(int) string {
	return func(r int) string { return strings.ReplaceAll(cells, "{r}", fmt.Sprint(r)) }
}
