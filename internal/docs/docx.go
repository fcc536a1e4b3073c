package docs

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"anwei/internal/apperr"
)

// A writ as .docx (issue 15): WordprocessingML written by hand with
// archive/zip, so that an office edits it in WPS or Word before stamping.
// No library: the parts are a few fixed XML texts and paragraphs, and the
// Go .docx libraries either read only or pull in a layout we would undo.
//
// The faces are named as GB/T 9704-2012 names them (方正小标宋简体, 仿宋_GB2312,
// 黑体, 楷体_GB2312), which an office's Word or WPS has; word/fontTable.xml
// gives each its alternative names (w:altName, a comma-separated list Word
// and WPS use to locate a face missing under its own name): 仿宋_GB2312 is
// 仿宋 (FangSong) on a Windows 10 machine. The PDF prints with free faces
// unless the operator points it at these (face.go).

// DOCXType is the media type of a .docx.
const DOCXType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// The faces a .docx names.
const (
	dxFontTitle = "方正小标宋简体"
	dxFontBody  = "仿宋_GB2312"
	dxFontHei   = "黑体"
	dxFontKai   = "楷体_GB2312"
	dxFontSong  = "宋体"
	dxFontLatin = "Times New Roman"
)

// dxFonts is word/fontTable.xml's list: name, alternative names, PANOSE,
// family and pitch as Word writes them for these faces (charset 86 = GB2312).
var dxFonts = [][5]string{
	{dxFontTitle, "方正小标宋_GBK,FZXiaoBiaoSong-B05S,华文中宋,STZhongsong,宋体,SimSun", "02000000000000000000", "script", "variable"},
	{dxFontBody, "FangSong_GB2312,仿宋,FangSong,华文仿宋,STFangsong", "02010609030101010101", "modern", "fixed"},
	{dxFontHei, "SimHei,Heiti SC,STHeiti", "02010609060101010101", "modern", "fixed"},
	{dxFontKai, "KaiTi_GB2312,楷体,KaiTi,华文楷体,STKaiti", "02010609030101010101", "modern", "fixed"},
	{dxFontSong, "SimSun,NSimSun,华文宋体,STSong", "02010600030101010101", "auto", "variable"},
}

// The page after GB/T 9704-2012 (5.2), in twips (1/20 pt; 1 mm = 56.7):
// A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, leaving a
// text block of 156 × 225 mm; 22 lines of 28 characters of 三号 (16 pt) text:
// a line grid of 225 mm / 22 = 579 twips (w:docGrid w:type="lines"), and
// characters narrowed by a quarter point (156 mm / 28 = 15.79 pt). Word's
// own 公文 templates narrow them with a character grid (linesAndChars,
// w:charSpace="-849") instead, but LibreOffice draws such a grid's
// characters a line pitch wide (16 characters to the line): the narrowed
// characters give 28 in Word, WPS and LibreOffice alike.
const (
	dxPageW, dxPageH = 11906, 16838
	dxTop, dxBottom  = 2098, 1984
	dxLeft, dxRight  = 1588, 1474
	dxBlock          = dxPageW - dxLeft - dxRight // 8844
	dxLine           = 579
	dxCondense       = -5 // twentieths of a point
	// The page number's 一字线 sits 7 mm below the text block (7.5): the
	// footer's foot 24.5 mm above the page's.
	dxFooterDist = 1389
)

// Run sizes in half-points.
const (
	dxErhao  = 44 // 二号 22 pt: titles
	dxSihao  = 28 // 四号 14 pt: 版记, page numbers
	dxXiaosi = 24 // 小四 12 pt: tables, forms
	dxWuhao  = 21 // 五号 10.5 pt: tables of five columns or more
)

// dxRed is the PDF's red (200, 16, 16), of the 发文机关标志 and the separator.
const dxRed = "C81010"

// wdoc is a .docx being written: the body's XML, the pictures it places
// and the footers its sections use.
type wdoc struct {
	title, author string
	b             strings.Builder
	media         [][]byte
	footers       []string
	drawings      int
}

// dxPPr is a paragraph's properties; zero values leave the style's.
type dxPPr struct {
	style              string
	keepNext           bool
	keepLines          bool
	border             string // a whole <w:pBdr>
	snapOff            bool   // off the document grid (tables, 版记)
	before, after      int    // twips
	line               int    // exact line spacing, twips
	left, right        int    // twips
	firstLine, hanging int    // twips, with the …Chars below for Word
	leftChars          int    // hundredths of a character
	rightChars         int
	firstLineChars     int
	hangingChars       int
	jc                 string // left, center, right, both
	sect               string // a whole <w:sectPr> ending a section here
}

// xml writes the properties in the order of the schema (CT_PPrBase):
// Word refuses a file whose elements are out of order.
func (p dxPPr) xml() string {
	var b strings.Builder
	if p.style != "" {
		b.WriteString(`<w:pStyle w:val="` + p.style + `"/>`)
	}
	if p.keepNext {
		b.WriteString(`<w:keepNext/>`)
	}
	if p.keepLines {
		b.WriteString(`<w:keepLines/>`)
	}
	b.WriteString(p.border)
	if p.snapOff {
		b.WriteString(`<w:snapToGrid w:val="0"/>`)
	}
	if p.before != 0 || p.after != 0 || p.line != 0 {
		b.WriteString(`<w:spacing`)
		if p.before != 0 {
			b.WriteString(` w:before="` + strconv.Itoa(p.before) + `"`)
		}
		if p.after != 0 {
			b.WriteString(` w:after="` + strconv.Itoa(p.after) + `"`)
		}
		if p.line != 0 {
			b.WriteString(` w:line="` + strconv.Itoa(p.line) + `" w:lineRule="exact"`)
		}
		b.WriteString(`/>`)
	}
	ind := ""
	for _, a := range []struct {
		name string
		v    int
	}{{"left", p.left}, {"leftChars", p.leftChars}, {"right", p.right}, {"rightChars", p.rightChars},
		{"hanging", p.hanging}, {"hangingChars", p.hangingChars}, {"firstLine", p.firstLine}, {"firstLineChars", p.firstLineChars}} {
		if a.v != 0 {
			ind += ` w:` + a.name + `="` + strconv.Itoa(a.v) + `"`
		}
	}
	if ind != "" {
		b.WriteString(`<w:ind` + ind + `/>`)
	}
	if p.jc != "" {
		b.WriteString(`<w:jc w:val="` + p.jc + `"/>`)
	}
	b.WriteString(p.sect)
	if b.Len() == 0 {
		return ""
	}
	return "<w:pPr>" + b.String() + "</w:pPr>"
}

// dxRPr is a run's properties; zero values leave the style's.
type dxRPr struct {
	font    string // the East Asian face (Latin text keeps Times New Roman)
	bold    bool
	color   string
	spacing int // twentieths of a point between characters
	size    int // half-points
}

func (r dxRPr) xml() string {
	var b strings.Builder
	if r.font != "" {
		b.WriteString(`<w:rFonts w:eastAsia="` + r.font + `" w:hint="eastAsia"/>`)
	}
	if r.bold {
		b.WriteString(`<w:b/><w:bCs/>`)
	}
	if r.color != "" {
		b.WriteString(`<w:color w:val="` + r.color + `"/>`)
	}
	if r.spacing != 0 {
		b.WriteString(`<w:spacing w:val="` + strconv.Itoa(r.spacing) + `"/>`)
	}
	if r.size != 0 {
		s := strconv.Itoa(r.size)
		b.WriteString(`<w:sz w:val="` + s + `"/><w:szCs w:val="` + s + `"/>`)
	}
	if b.Len() == 0 {
		return ""
	}
	return "<w:rPr>" + b.String() + "</w:rPr>"
}

// dxRun is text in one run: a newline is a line break (w:br), a tab a
// w:tab. With keepTokens, a hyphen between letters or digits is a
// non-breaking hyphen, so that Word does not break 编号 like
// YH370105-2026-00001 across lines of a table cell.
func dxRun(text string, r dxRPr, keepTokens bool) string {
	if text == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString("<w:r>" + r.xml())
	var seg strings.Builder
	flush := func() {
		if seg.Len() > 0 {
			b.WriteString(`<w:t xml:space="preserve">`)
			_ = xml.EscapeText(&b, []byte(seg.String()))
			b.WriteString(`</w:t>`)
			seg.Reset()
		}
	}
	rs := []rune(strings.ReplaceAll(text, "\r\n", "\n"))
	for i, c := range rs {
		switch {
		case c == '\n' || c == '\r':
			flush()
			b.WriteString("<w:br/>")
		case c == '\t':
			flush()
			b.WriteString("<w:tab/>")
		case c == '-' && keepTokens && i > 0 && i+1 < len(rs) && dxToken(rs[i-1]) && dxToken(rs[i+1]):
			flush()
			b.WriteString("<w:noBreakHyphen/>")
		default:
			seg.WriteRune(c)
		}
	}
	flush()
	b.WriteString("</w:r>")
	return b.String()
}

func dxToken(r rune) bool { return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

// para writes a paragraph of runs.
func (d *wdoc) para(pp dxPPr, runs ...string) {
	d.b.WriteString("<w:p>" + pp.xml() + strings.Join(runs, "") + "</w:p>")
}

// dxTable is a ruled table of fixed column widths (twips) across the block.
type dxTable struct {
	widths  []int
	borders string // a whole <w:tblBorders>; "" for single 0.5 pt rules
	float   string // a whole <w:tblpPr> for a table placed on the page
}

func (d *wdoc) tableStart(t dxTable) {
	d.b.WriteString("<w:tbl><w:tblPr>")
	d.b.WriteString(t.float)
	d.b.WriteString(fmt.Sprintf(`<w:tblW w:w="%d" w:type="dxa"/>`, dxSum(t.widths)))
	if t.float == "" {
		d.b.WriteString(`<w:jc w:val="center"/>`)
	}
	if t.borders == "" {
		t.borders = `<w:tblBorders>` + dxRule("top", 4) + dxRule("left", 4) + dxRule("bottom", 4) + dxRule("right", 4) + dxRule("insideH", 4) + dxRule("insideV", 4) + `</w:tblBorders>`
	}
	d.b.WriteString(t.borders)
	d.b.WriteString(`<w:tblLayout w:type="fixed"/>`)
	d.b.WriteString(`<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>`)
	d.b.WriteString(`<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>`)
	d.b.WriteString("</w:tblPr><w:tblGrid>")
	for _, w := range t.widths {
		d.b.WriteString(fmt.Sprintf(`<w:gridCol w:w="%d"/>`, w))
	}
	d.b.WriteString("</w:tblGrid>")
}

func (d *wdoc) tableEnd() { d.b.WriteString("</w:tbl>") }

// dxRule is a border of sz eighths of a point.
func dxRule(side string, sz int) string {
	return fmt.Sprintf(`<w:%s w:val="single" w:sz="%d" w:space="0" w:color="000000"/>`, side, sz)
}

// rowStart starts a table row: a header row repeats on each page (w:tblHeader);
// a row that may not break across pages is cantSplit; minHeight (twips)
// gives room to sign.
func (d *wdoc) rowStart(header, cantSplit bool, minHeight int) {
	d.b.WriteString("<w:tr>")
	if header || cantSplit || minHeight > 0 {
		d.b.WriteString("<w:trPr>")
		if cantSplit || header {
			d.b.WriteString("<w:cantSplit/>")
		}
		if minHeight > 0 {
			d.b.WriteString(fmt.Sprintf(`<w:trHeight w:val="%d" w:hRule="atLeast"/>`, minHeight))
		}
		if header {
			d.b.WriteString("<w:tblHeader/>")
		}
		d.b.WriteString("</w:trPr>")
	}
}

func (d *wdoc) rowEnd() { d.b.WriteString("</w:tr>") }

// cell writes a cell of width w twips spanning span grid columns (0 or 1:
// one), shaded when shade is a colour, its paragraphs already written.
func (d *wdoc) cell(w, span int, shade, valign string, paras ...string) {
	d.b.WriteString(fmt.Sprintf(`<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, w))
	if span > 1 {
		d.b.WriteString(fmt.Sprintf(`<w:gridSpan w:val="%d"/>`, span))
	}
	if shade != "" {
		d.b.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="` + shade + `"/>`)
	}
	if valign != "" {
		d.b.WriteString(`<w:vAlign w:val="` + valign + `"/>`)
	}
	d.b.WriteString("</w:tcPr>")
	if len(paras) == 0 {
		paras = []string{"<w:p/>"} // a cell ends with a paragraph
	}
	d.b.WriteString(strings.Join(paras, ""))
	d.b.WriteString("</w:tc>")
}

// dxP is a paragraph's XML, for a cell.
func dxP(pp dxPPr, runs ...string) string {
	return "<w:p>" + pp.xml() + strings.Join(runs, "") + "</w:p>"
}

func dxSum(ws []int) int {
	s := 0
	for _, w := range ws {
		s += w
	}
	return s
}

// dxColumns shares total twips among columns by their weights (missing or
// zero: equal), the last column taking what rounding leaves.
func dxColumns(n int, weights []float64, total int) []int {
	ws := make([]float64, n)
	all := 0.0
	for i := range ws {
		ws[i] = 1
		if i < len(weights) && weights[i] > 0 {
			ws[i] = weights[i]
		}
		all += ws[i]
	}
	out := make([]int, n)
	left := total
	for i := range ws {
		if i == n-1 {
			out[i] = left
			break
		}
		out[i] = int(float64(total) * ws[i] / all)
		left -= out[i]
	}
	return out
}

// dxFitTokens widens a column too narrow for its longest token (a hazard
// number, a date: Latin letters, digits and hyphens, which the reader
// breaks only where it must) from the room the other columns have beyond
// their own longest token, as the PDF does; hp is the text's size.
func dxFitTokens(ws []int, rows [][]string, hp int) []int {
	need := make([]int, len(ws))
	for _, r := range rows {
		for i, c := range r[:min(len(r), len(ws))] {
			for _, tok := range strings.FieldsFunc(c, func(r rune) bool { return r >= 0x2E80 || unicode.IsSpace(r) }) {
				// A Latin character is about 0.55 em; the cell's margins 2 × 85.
				w := int(float64(utf8.RuneCountInString(tok))*0.55*float64(hp)*10) + 2*85 + 20
				need[i] = max(need[i], w)
			}
		}
	}
	out := append([]int(nil), ws...)
	for i := range out {
		for short := need[i] - out[i]; short > 0; {
			// Take from the column with the most room to spare.
			j, spare := -1, 0
			for k := range out {
				if s := out[k] - max(need[k], 567); k != i && s > spare {
					j, spare = k, s
				}
			}
			if j < 0 {
				break
			}
			d := min(short, spare)
			out[i] += d
			out[j] -= d
			short -= d
		}
	}
	return out
}

// dxEMU is 1 mm in the drawing unit (English Metric Unit).
const dxEMU = 36000

// picture places a PNG inline, scaled to fit maxW × maxH mm keeping its
// proportions, described for a screen reader.
func (d *wdoc) picture(data []byte, maxW, maxH float64, descr string) (string, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width == 0 || cfg.Height == 0 {
		return "", apperr.Field("signers", "无法生成 Word 文档："+descr+"不是可读的 PNG 图片，请重新签名。")
	}
	scale := min(maxW/float64(cfg.Width), maxH/float64(cfg.Height))
	cx, cy := int(float64(cfg.Width)*scale*dxEMU), int(float64(cfg.Height)*scale*dxEMU)
	d.media = append(d.media, data)
	d.drawings++
	n := len(d.media)
	var b strings.Builder
	b.WriteString(fmt.Sprintf(`<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/>`, cx, cy))
	b.WriteString(fmt.Sprintf(`<wp:docPr id="%d" name="签名%d" descr="`, d.drawings, n))
	_ = xml.EscapeText(&b, []byte(descr))
	b.WriteString(`"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>`)
	b.WriteString(`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>`)
	b.WriteString(fmt.Sprintf(`<pic:nvPicPr><pic:cNvPr id="%d" name="signature%d.png"/><pic:cNvPicPr/></pic:nvPicPr>`, d.drawings, n))
	b.WriteString(fmt.Sprintf(`<pic:blipFill><a:blip r:embed="rIdImage%d"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`, n))
	b.WriteString(fmt.Sprintf(`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`, cx, cy))
	b.WriteString(`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`)
	return b.String(), nil
}

// dxPageFooter is a footer with the page number as GB/T 9704 prints it
// (7.5): "— 1 —" in 四号 宋体, an odd page's right with one character's
// space, an even page's left.
func dxPageFooter(odd bool) string {
	pp := dxPPr{style: "Footer", jc: "left", left: 280}
	if odd {
		pp = dxPPr{style: "Footer", jc: "right", right: 280}
	}
	f := `<w:r><w:t xml:space="preserve">— </w:t></w:r>` +
		`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
		`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
		`<w:r><w:t xml:space="preserve"> —</w:t></w:r>`
	return dxFooterXML(dxP(pp, f))
}

func dxFooterXML(body string) string {
	return dxXMLHead + `<w:ftr xmlns:w="` + dxNsW + `" xmlns:r="` + dxNsR + `">` + body + `</w:ftr>`
}

// footer adds a footer part and returns its relationship id.
func (d *wdoc) footer(x string) string {
	d.footers = append(d.footers, x)
	return fmt.Sprintf("rIdFooter%d", len(d.footers))
}

// dxSection is the properties of a section on the standard's page, with
// footers for odd and even pages (settings' w:evenAndOddHeaders); kind is
// "" or nextPage for a section starting on a new page.
func dxSection(oddFooter, evenFooter, kind string) string {
	var b strings.Builder
	b.WriteString("<w:sectPr>")
	b.WriteString(`<w:footerReference w:type="default" r:id="` + oddFooter + `"/>`)
	b.WriteString(`<w:footerReference w:type="even" r:id="` + evenFooter + `"/>`)
	if kind != "" {
		b.WriteString(`<w:type w:val="` + kind + `"/>`)
	}
	b.WriteString(fmt.Sprintf(`<w:pgSz w:w="%d" w:h="%d"/>`, dxPageW, dxPageH))
	b.WriteString(fmt.Sprintf(`<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="%d" w:gutter="0"/>`,
		dxTop, dxRight, dxBottom, dxLeft, dxFooterDist))
	b.WriteString(`<w:cols w:space="425"/>`)
	b.WriteString(fmt.Sprintf(`<w:docGrid w:type="lines" w:linePitch="%d"/>`, dxLine))
	b.WriteString("</w:sectPr>")
	return b.String()
}

const (
	dxXMLHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	dxNsW     = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	dxNsR     = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	dxNsRel   = "http://schemas.openxmlformats.org/package/2006/relationships"
	dxRelDoc  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	dxCTWord  = "application/vnd.openxmlformats-officedocument.wordprocessingml."
)

// pkg writes the package: the body (ending with its last section's
// properties) and every part the body refers to.
func (d *wdoc) pkg(lastSect string) ([]byte, error) {
	var parts []struct{ name, data string }
	add := func(name, data string) { parts = append(parts, struct{ name, data string }{name, data}) }

	var ct strings.Builder
	ct.WriteString(dxXMLHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`)
	ct.WriteString(`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`)
	ct.WriteString(`<Default Extension="xml" ContentType="application/xml"/>`)
	if len(d.media) > 0 {
		ct.WriteString(`<Default Extension="png" ContentType="image/png"/>`)
	}
	over := func(part, typ string) {
		ct.WriteString(`<Override PartName="/` + part + `" ContentType="` + typ + `"/>`)
	}
	over("word/document.xml", dxCTWord+"document.main+xml")
	over("word/styles.xml", dxCTWord+"styles+xml")
	over("word/settings.xml", dxCTWord+"settings+xml")
	over("word/fontTable.xml", dxCTWord+"fontTable+xml")
	for i := range d.footers {
		over(fmt.Sprintf("word/footer%d.xml", i+1), dxCTWord+"footer+xml")
	}
	over("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml")
	over("docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml")
	ct.WriteString(`</Types>`)
	add("[Content_Types].xml", ct.String())

	add("_rels/.rels", dxXMLHead+`<Relationships xmlns="`+dxNsRel+`">`+
		`<Relationship Id="rId1" Type="`+dxRelDoc+`officeDocument" Target="word/document.xml"/>`+
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>`+
		`<Relationship Id="rId3" Type="`+dxRelDoc+`extended-properties" Target="docProps/app.xml"/>`+
		`</Relationships>`)

	var rels strings.Builder
	rels.WriteString(dxXMLHead + `<Relationships xmlns="` + dxNsRel + `">`)
	rels.WriteString(`<Relationship Id="rIdStyles" Type="` + dxRelDoc + `styles" Target="styles.xml"/>`)
	rels.WriteString(`<Relationship Id="rIdSettings" Type="` + dxRelDoc + `settings" Target="settings.xml"/>`)
	rels.WriteString(`<Relationship Id="rIdFonts" Type="` + dxRelDoc + `fontTable" Target="fontTable.xml"/>`)
	for i := range d.footers {
		rels.WriteString(fmt.Sprintf(`<Relationship Id="rIdFooter%d" Type="%sfooter" Target="footer%d.xml"/>`, i+1, dxRelDoc, i+1))
	}
	for i := range d.media {
		rels.WriteString(fmt.Sprintf(`<Relationship Id="rIdImage%d" Type="%simage" Target="media/image%d.png"/>`, i+1, dxRelDoc, i+1))
	}
	rels.WriteString(`</Relationships>`)
	add("word/_rels/document.xml.rels", rels.String())

	add("word/document.xml", dxXMLHead+`<w:document xmlns:w="`+dxNsW+`" xmlns:r="`+dxNsR+`"`+
		` xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"`+
		` xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"`+
		` xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">`+
		`<w:body>`+d.b.String()+lastSect+`</w:body></w:document>`)
	add("word/styles.xml", dxStyles)
	add("word/settings.xml", dxSettings)
	add("word/fontTable.xml", dxFontTable())
	for i, f := range d.footers {
		add(fmt.Sprintf("word/footer%d.xml", i+1), f)
	}

	var core strings.Builder
	core.WriteString(dxXMLHead + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"` +
		` xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	core.WriteString("<dc:title>")
	_ = xml.EscapeText(&core, []byte(d.title))
	core.WriteString("</dc:title><dc:creator>")
	_ = xml.EscapeText(&core, []byte(d.author))
	core.WriteString("</dc:creator><dc:language>zh-CN</dc:language></cp:coreProperties>")
	add("docProps/core.xml", core.String())
	add("docProps/app.xml", dxXMLHead+`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">`+
		`<Application>anwei</Application><DocSecurity>0</DocSecurity></Properties>`)

	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	// A fixed time: the same writ gives the same bytes.
	when := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, pt := range parts {
		w, err := z.CreateHeader(&zip.FileHeader{Name: pt.name, Method: zip.Deflate, Modified: when})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(pt.data)); err != nil {
			return nil, err
		}
	}
	for i, m := range d.media {
		w, err := z.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("word/media/image%d.png", i+1), Method: zip.Store, Modified: when})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(m); err != nil {
			return nil, err
		}
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func dxFontTable() string {
	var b strings.Builder
	b.WriteString(dxXMLHead + `<w:fonts xmlns:w="` + dxNsW + `">`)
	for _, f := range dxFonts {
		b.WriteString(`<w:font w:name="` + f[0] + `"><w:altName w:val="` + f[1] + `"/>`)
		b.WriteString(`<w:panose1 w:val="` + f[2] + `"/><w:charset w:val="86"/><w:family w:val="` + f[3] + `"/><w:pitch w:val="` + f[4] + `"/></w:font>`)
	}
	b.WriteString(`<w:font w:name="` + dxFontLatin + `"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>`)
	b.WriteString(`</w:fonts>`)
	return b.String()
}

// dxSettings: odd and even pages have their own footers (the page
// number right, then left), and lines break after the Chinese rules
// (避头尾): no closing punctuation starts a line, no opening one ends it —
// Word's lists for zh-CN, written out so that every reader applies them.
const dxSettings = dxXMLHead + `<w:settings xmlns:w="` + dxNsW + `">` +
	`<w:zoom w:percent="100"/>` +
	`<w:defaultTabStop w:val="420"/>` +
	`<w:evenAndOddHeaders/>` +
	`<w:drawingGridVerticalSpacing w:val="579"/>` +
	`<w:characterSpacingControl w:val="doNotCompress"/>` +
	`<w:noLineBreaksAfter w:lang="zh-CN" w:val="$([{£¥·‘“〈《「『【〔〖〝﹙﹛﹝＄（．［｛￡￥"/>` +
	`<w:noLineBreaksBefore w:lang="zh-CN" w:val="!%),.:;>?]}¢¨°·ˇˉ―‖’”…‰′″›℃∶、。〃〉》」』】〕〗〞︶︺︾﹀﹄﹚﹜﹞！＂％＇），．：；？］｀｜｝～￠"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>` +
	`</w:settings>`

// dxStyles are the writ's styles, named so that an office recognises
// them in Word's style pane: the body (正文) in 三号 仿宋_GB2312 with a
// two-character first-line indent, titles in 方正小标宋简体, the 版记 and page
// numbers in 四号.
var dxStyles = dxXMLHead + `<w:styles xmlns:w="` + dxNsW + `">` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` +
	`<w:rFonts w:ascii="` + dxFontLatin + `" w:hAnsi="` + dxFontLatin + `" w:eastAsia="` + dxFontBody + `" w:cs="` + dxFontLatin + `"/>` +
	`<w:spacing w:val="` + strconv.Itoa(dxCondense) + `"/><w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>` +
	`</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	dxStyle("Normal", "正文", "", dxPPr{}, dxRPr{}, true) +
	dxStyle("anweiBody", "公文正文", "Normal", dxPPr{firstLine: 640, firstLineChars: 200}, dxRPr{}, false) +
	dxStyle("anweiIssuer", "发文机关标志", "Normal", dxPPr{jc: "center", snapOff: true, keepNext: true}, dxRPr{font: dxFontTitle, color: dxRed, size: 60}, false) +
	dxStyle("anweiDocNumber", "发文字号", "Normal", dxPPr{jc: "center", keepNext: true}, dxRPr{}, false) +
	dxStyle("anweiTitle", "公文标题", "Normal", dxPPr{jc: "center", line: 720, keepNext: true, keepLines: true}, dxRPr{font: dxFontTitle, size: dxErhao}, false) +
	dxStyle("anweiAddressee", "主送机关", "Normal", dxPPr{before: dxLine, keepNext: true}, dxRPr{}, false) +
	dxStyle("anweiCaption", "表题", "Normal", dxPPr{firstLine: 640, firstLineChars: 200, keepNext: true}, dxRPr{font: dxFontHei}, false) +
	dxStyle("anweiTableText", "表格文字", "Normal", dxPPr{jc: "left", snapOff: true, line: 340}, dxRPr{size: dxXiaosi}, false) +
	dxStyle("anweiTableHead", "表头", "anweiTableText", dxPPr{jc: "center"}, dxRPr{font: dxFontHei}, false) +
	dxStyle("anweiSignature", "发文机关署名", "Normal", dxPPr{jc: "right", keepNext: true}, dxRPr{}, false) +
	dxStyle("anweiDate", "成文日期", "Normal", dxPPr{jc: "right", right: 1280, rightChars: 400}, dxRPr{}, false) +
	dxStyle("anweiNote", "附注", "Normal", dxPPr{firstLine: 640, firstLineChars: 200}, dxRPr{}, false) +
	dxStyle("anweiImprint", "版记", "Normal", dxPPr{snapOff: true, line: 560}, dxRPr{size: dxSihao}, false) +
	dxStyle("anweiFormIssuer", "执法机关", "Normal", dxPPr{jc: "center", snapOff: true, line: 720, keepNext: true}, dxRPr{font: dxFontTitle, size: dxErhao}, false) +
	dxStyle("anweiFormNumber", "文书编号", "Normal", dxPPr{jc: "right", keepNext: true}, dxRPr{}, false) +
	dxStyle("anweiFormCell", "文书栏目", "Normal", dxPPr{jc: "left", snapOff: true, line: 400}, dxRPr{size: dxXiaosi}, false) +
	dxStyle("anweiFormLabel", "文书栏名", "anweiFormCell", dxPPr{jc: "center"}, dxRPr{font: dxFontHei}, false) +
	dxStyle("Footer", "footer", "Normal", dxPPr{snapOff: true}, dxRPr{font: dxFontSong, size: dxSihao}, false) +
	`</w:styles>`

func dxStyle(id, name, basedOn string, pp dxPPr, rp dxRPr, dflt bool) string {
	d := ""
	if dflt {
		d = ` w:default="1"`
	}
	s := `<w:style w:type="paragraph"` + d + ` w:styleId="` + id + `"><w:name w:val="` + name + `"/>`
	if basedOn != "" {
		s += `<w:basedOn w:val="` + basedOn + `"/>`
	}
	s += `<w:qFormat/>` + pp.xml() + rp.xml() + `</w:style>`
	return s
}

// unwritable is nil when every part can go into a .docx, else an
// apperr.Invalid naming the character and where it is. A .docx carries
// any Unicode character and the reader's Word or WPS draws it with its own
// faces (a Windows machine prints 𠮷 with SimSun-ExtB), so the PDF's test —
// has an embedded face a glyph — does not apply. What is refused: a
// private-use character (a 造字 of one office's font, another machine shows
// a blank or another character — the silent loss §14.8 forbids), and what
// XML cannot carry (control characters, U+FFFE/U+FFFF, broken UTF-8).
func unwritable(parts []part) error {
	var bad []string
	field := ""
	for _, pt := range parts {
		if !utf8.ValidString(pt.text) {
			if field == "" {
				field = pt.field
			}
			bad = append(bad, pt.where+"中有无法识别的字节")
			continue
		}
		var chars []string
		var first rune = -1
		for _, r := range pt.text {
			if !unicode.Is(unicode.Co, r) && dxXMLChar(r) {
				continue
			}
			if first < 0 {
				first = r
			}
			if len(chars) == 5 {
				chars[4] += "等"
				break
			}
			if unicode.Is(unicode.Co, r) {
				chars = append(chars, fmt.Sprintf("“%c”（U+%04X，私用区造字）", r, r))
			} else {
				chars = append(chars, fmt.Sprintf("控制字符 U+%04X", r))
			}
		}
		if first < 0 {
			continue
		}
		if field == "" {
			field = pt.field
		}
		if len(bad) == 3 {
			bad[2] += "等处"
			break
		}
		bad = append(bad, fmt.Sprintf("%s（%s）中的%s", pt.where, excerpt(pt.text, first), strings.Join(chars, "、")))
	}
	if bad == nil {
		return nil
	}
	return apperr.Field(field, "无法生成 Word 文档："+strings.Join(bad, "；")+
		"。私用区造字只在造字的电脑上显示，在别的电脑上会是空白或别的字。请修改这些文字（如改用通用规范汉字）后重试。")
}

// dxXMLChar says whether XML 1.0 may carry r (tab and newlines are
// written as w:tab and w:br).
func dxXMLChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// dxChars is the width of s in characters of the body face: a CJK character
// or full-width form is one, a Latin letter or digit half.
func dxChars(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < 0x2E80 && r != '—' && r != '…' && r != '“' && r != '”' {
			w += 0.5
		} else {
			w++
		}
	}
	return w
}
