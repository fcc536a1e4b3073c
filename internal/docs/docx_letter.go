package docs

import (
	"cmp"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DOCX writes the letter as a .docx in the layout of GB/T 9704-2012, the
// layout its PDF has, for an office to edit before stamping: 版头 (the
// issuer in red 方正小标宋简体 35 mm below the text block's top, the 文号 two
// lines under it, the red separator 4 mm under the 文号), the title in 二号
// 小标宋 two lines under the separator, 主送, the body in 三号 仿宋_GB2312
// indented two characters, numbered items, tables whose header row repeats
// on every page and whose rows do not break, the closing, the signature
// centred over the date (right, four characters in) and kept on the page of
// the last lines of text, 附注 with 联系人 and 电话, and the 版记 (抄送, 印发机关
// and 印发日期 between thick and thin rules) at the foot of the last page.
// Page numbers "— 1 —" right on odd pages, left on even ones.
//
// It refuses (apperr.Invalid) what a .docx cannot carry faithfully (see
// unwritable), not what the PDF's embedded faces lack: the reader's Word
// draws with its own faces.
func (l Letter) DOCX() ([]byte, error) {
	if err := unwritable(l.docxParts()); err != nil {
		return nil, err
	}
	d := &wdoc{title: l.Title, author: l.Issuer}
	odd, even := d.footer(dxPageFooter(true)), d.footer(dxPageFooter(false))

	// 版头 (7.2): the mark sized to stay on one line of the block.
	size := dxIssuerSize(l.Issuer)
	d.para(dxPPr{style: "anweiIssuer", before: 1984 - size*2, line: size * 12}, dxRun(l.Issuer, dxRPr{size: size}, false))
	sep := `<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="11" w:color="` + dxRed + `"/></w:pBdr>`
	d.para(dxPPr{style: "anweiDocNumber", before: 2 * dxLine, border: sep}, dxRun(l.DocNumber, dxRPr{}, false))

	// 主体 (7.3).
	d.para(dxPPr{style: "anweiTitle", before: dxLine * 3 / 2}, dxRun(dxTitleLines(l.Title), dxRPr{}, false))
	if l.Addressee != "" {
		d.para(dxPPr{style: "anweiAddressee"}, dxRun(l.Addressee+"：", dxRPr{}, false))
	}
	// The text before the signature, the last paragraph kept with it
	// (w:keepNext; widow control carries two lines at least).
	var text []string
	for _, b := range l.Body {
		text = append(text, b)
	}
	for i, it := range l.Items {
		text = append(text, fmt.Sprintf("%d．%s", i+1, it))
	}
	lastIsTable := len(l.Closing) == 0 && len(l.Tables) > 0
	for i, s := range text {
		keep := len(l.Closing) == 0 && len(l.Tables) == 0 && i == len(text)-1
		d.para(dxPPr{style: "anweiBody", keepNext: keep}, dxRun(s, dxRPr{}, false))
	}
	for i, t := range l.Tables {
		d.letterTable(t, lastIsTable && i == len(l.Tables)-1)
	}
	for i, c := range l.Closing {
		d.para(dxPPr{style: "anweiBody", keepNext: i == len(l.Closing)-1}, dxRun(c, dxRPr{}, false))
	}

	// 署名 centred over the 成文日期, which is four characters in from the
	// right (7.3.5.1), two lines under the text for the seal. The 附注
	// under the date.
	notes := l.annotations()
	if l.Signature != "" {
		in := max(0, 400+int((dxChars(l.Date)-dxChars(l.Signature))*50))
		if l.Date == "" {
			in = 400
		}
		d.para(dxPPr{style: "anweiSignature", keepNext: true, before: 2 * dxLine, right: in * 316 / 100, rightChars: in}, dxRun(l.Signature, dxRPr{}, false))
	}
	if l.Date != "" {
		pp := dxPPr{style: "anweiDate", keepNext: len(notes) > 0}
		if l.Signature == "" {
			pp.before = 2 * dxLine
		}
		d.para(pp, dxRun(l.Date, dxRPr{}, false))
	}
	for i, n := range notes {
		d.para(dxPPr{style: "anweiNote", keepNext: i < len(notes)-1}, dxRun(n, dxRPr{}, false))
	}
	if d.imprint(l.CopyTo, l.PrintedBy, l.PrintedDate) {
		// The 版记 floats at the foot of the page, anchored to a last
		// paragraph a point high.
		d.b.WriteString(`<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="20" w:lineRule="exact"/><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>`)
	}
	return d.pkg(dxSection(odd, even, ""))
}

// dxIssuerSize is the 发文机关标志's size in half-points, as the PDF's: 30 pt
// for a short name, smaller for a long one so that it fits 94% of a line
// of the block (156 mm = 442 pt).
func dxIssuerSize(issuer string) int {
	w := dxChars(issuer)
	if w == 0 {
		return 60
	}
	return min(60, int(442*0.94/w*2))
}

// dxTitleLines breaks a title too long for one line of 二号 (20 characters
// of the block) into two lines of like length where a line may end by the
// meaning — after 关于, an organisation's name, a year or month, 安全生产, a
// pause — rather than where the width runs out (GB/T 9704 7.3.1: 回行时要做到
// 词意完整，排列对称), the first line not longer than the second (a 梯形). A
// title no such break fits is left to the reader's wrapping.
func dxTitleLines(title string) string {
	const perLine = 20
	if dxChars(title) <= perLine || strings.ContainsRune(title, '\n') {
		return title
	}
	rs := []rune(title)
	best, bestScore := -1, 0.0
	for i := 1; i < len(rs); i++ {
		w1, w2 := dxChars(string(rs[:i])), dxChars(string(rs[i:]))
		if w1 > perLine || w2 > perLine || !dxTitleBreak(string(rs[:i]), rs[i]) {
			continue
		}
		score := w1 - w2
		if score < 0 {
			score = -score
		} else {
			score += 0.5 // a first line longer than the second: an inverted 梯形
		}
		if best < 0 || score < bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 {
		return title
	}
	return string(rs[:best]) + "\n" + string(rs[best:])
}

// dxTitleBreak says whether a title's line may end after head, before next.
func dxTitleBreak(head string, next rune) bool {
	if strings.ContainsRune("，。、；：）》」』”", next) {
		return false
	}
	for _, end := range []string{"关于", "公司", "局", "委员会", "办公室", "政府", "中心", "街道", "年", "月", "安全生产", "、", "，", "》", "）"} {
		if strings.HasSuffix(head, end) {
			r, _ := utf8.DecodeLastRuneInString(strings.TrimSuffix(head, end))
			return end != "年" && end != "月" || unicode.IsDigit(r)
		}
	}
	return false
}

// annotations are the 附注 (7.3.6), as the PDF prints them: the note in
// parentheses, and whom to call (（联系人：…；联系电话：…）).
func (l Letter) annotations() []string {
	var out []string
	if n := strings.TrimSuffix(strings.TrimSpace(l.Note), "。"); n != "" {
		out = append(out, "（"+n+"）")
	}
	var who []string
	if l.Contact != "" {
		who = append(who, "联系人："+l.Contact)
	}
	if l.Phone != "" {
		who = append(who, "联系电话："+l.Phone)
	}
	if who != nil {
		out = append(out, "（"+strings.Join(who, "；")+"）")
	}
	return out
}

// letterTable writes a table of the letter: its caption (a heading in
// 黑体), a header row repeated on every page, rows that never break across
// pages; a short space after. keepLast keeps the last row with what follows (the
// signature).
func (d *wdoc) letterTable(t Table, keepLast bool) {
	if len(t.Header) == 0 {
		return
	}
	if t.Caption != "" {
		d.para(dxPPr{style: "anweiCaption"}, dxRun(t.Caption, dxRPr{}, false))
	}
	// 小四, 五号 for a wide table (as the PDF).
	size, line := 0, 0
	if len(t.Header) >= 5 {
		size, line = dxWuhao, 300
	}
	ws := dxFitTokens(dxColumns(len(t.Header), t.Widths, dxBlock), append([][]string{t.Header}, t.Rows...), cmp.Or(size, dxXiaosi))
	d.tableStart(dxTable{widths: ws})
	d.rowStart(true, true, 0)
	for i, h := range t.Header {
		d.cell(ws[i], 0, "E6E6E6", "center", dxP(dxPPr{style: "anweiTableHead", line: line}, dxRun(h, dxRPr{size: size}, true)))
	}
	d.rowEnd()
	for ri, r := range t.Rows {
		d.rowStart(false, true, 0)
		for i := range t.Header {
			c := ""
			if i < len(r) {
				c = r[i]
			}
			d.cell(ws[i], 0, "", "center", dxP(dxPPr{style: "anweiTableText", line: line, keepNext: keepLast && ri == len(t.Rows)-1}, dxRun(c, dxRPr{size: size}, true)))
		}
		d.rowEnd()
	}
	d.tableEnd()
	// Half a line, and a paragraph between two tables (Word joins
	// adjacent ones).
	d.para(dxPPr{snapOff: true, line: dxLine / 2, keepNext: keepLast})
}

// imprint writes the 版记 (7.4) when there is one: 抄送 (four 四号
// characters' hanging indent, so that a second line aligns after
// “抄送：”), then 印发机关 left and 印发日期 right, each one character in;
// thick rules first and last, a thin one between; as a table floating at
// the foot of the last page (w:tblpPr), the place the standard gives it.
func (d *wdoc) imprint(copyTo []string, by, date string) bool {
	var to []string
	for _, c := range copyTo {
		if c = strings.TrimSpace(c); c != "" {
			to = append(to, c)
		}
	}
	if to == nil && by == "" {
		return false
	}
	// The date and 印发, with one character's space and the cell's
	// margins, fit 3,500 twips (with room for a reader's wider digits),
	// leaving the 印发机关 16 characters.
	ws := []int{dxBlock - 3500, 3500}
	borders := `<w:tblBorders>` + dxRule("top", 8) + `<w:left w:val="nil"/>` + dxRule("bottom", 8) + `<w:right w:val="nil"/>` +
		dxRule("insideH", 6) + `<w:insideV w:val="nil"/></w:tblBorders>`
	float := `<w:tblpPr w:leftFromText="0" w:rightFromText="0" w:topFromText="284" w:bottomFromText="0" w:vertAnchor="margin" w:horzAnchor="margin" w:tblpXSpec="center" w:tblpYSpec="bottom"/><w:tblOverlap w:val="never"/>`
	d.tableStart(dxTable{widths: ws, borders: borders, float: float})
	if to != nil {
		d.rowStart(false, true, 0)
		d.cell(dxBlock, 2, "", "center", dxP(dxPPr{style: "anweiImprint", left: 1120, leftChars: 400, hanging: 840, hangingChars: 300, right: 280, rightChars: 100},
			dxRun("抄送："+strings.Join(to, "，")+"。", dxRPr{}, false)))
		d.rowEnd()
	}
	if by != "" || date != "" {
		d.rowStart(false, true, 0)
		d.cell(ws[0], 0, "", "center", dxP(dxPPr{style: "anweiImprint", jc: "left", left: 280, leftChars: 100}, dxRun(by, dxRPr{}, false)))
		printed := ""
		if date != "" {
			printed = date + "印发"
		}
		d.cell(ws[1], 0, "", "center", dxP(dxPPr{style: "anweiImprint", jc: "right", right: 280, rightChars: 100}, dxRun(printed, dxRPr{}, false)))
		d.rowEnd()
	}
	d.tableEnd()
	return true
}

// docxParts are the letter's texts, named for unwritable's message.
func (l Letter) docxParts() []part {
	ps := []part{
		{field: "issuer", where: "发文机关", text: l.Issuer}, {field: "doc_number", where: "发文字号", text: l.DocNumber},
		{field: "title", where: "标题", text: l.Title}, {field: "addressee", where: "主送机关", text: l.Addressee},
	}
	for i, b := range l.Body {
		ps = append(ps, part{field: "body", where: fmt.Sprintf("正文第%d段", i+1), text: b})
	}
	for i, it := range l.Items {
		ps = append(ps, part{field: "items", where: fmt.Sprintf("第%d项", i+1), text: it})
	}
	for _, t := range l.Tables {
		ps = append(ps, t.parts()...)
	}
	for i, c := range l.Closing {
		ps = append(ps, part{field: "closing", where: fmt.Sprintf("正文末第%d段", i+1), text: c})
	}
	ps = append(ps, part{field: "signature", where: "署名", text: l.Signature}, part{field: "date", where: "成文日期", text: l.Date},
		part{field: "note", where: "附注", text: l.Note}, part{field: "contact", where: "联系人", text: l.Contact},
		part{field: "phone", where: "联系电话", text: l.Phone})
	for i, c := range l.CopyTo {
		ps = append(ps, part{field: "copy_to", where: fmt.Sprintf("抄送第%d个单位", i+1), text: c})
	}
	return append(ps, part{field: "printed_by", where: "印发机关", text: l.PrintedBy},
		part{field: "printed_date", where: "印发日期", text: l.PrintedDate})
}
