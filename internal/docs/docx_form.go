package docs

import (
	"fmt"
	"strings"
)

// DOCX writes the enforcement writ as a .docx in the layout of its PDF
// (REGULATIONS.md §14.2): the 执法机关 and the writ's title centred in
// 方正小标宋简体 (a short title spaced out, as forms print them), the 文号 in
// the form's own style at the right, the numbered fields in a ruled table,
// the legal basis, then the signature boxes — who signs, the name, the
// 执法证号, the drawn signature (a PNG, word/media) or room to sign, the
// date — and the 执法机关 where its seal goes; the 送达回执 is a section of
// its own, starting a new page. Refused like a letter's .docx
// (unwritable), and a signature that is not a readable PNG is refused
// rather than left out.
func (f Form) DOCX() ([]byte, error) {
	if err := unwritable(f.docxParts()); err != nil {
		return nil, err
	}
	d := &wdoc{title: f.Title, author: f.Issuer}
	odd, even := d.footer(dxPageFooter(true)), d.footer(dxPageFooter(false))

	d.para(dxPPr{style: "anweiFormIssuer"}, dxRun(f.Issuer, dxRPr{}, false))
	d.formTitle(f.Title)
	d.para(dxPPr{style: "anweiFormNumber", after: 120}, dxRun(f.DocNumber, dxRPr{}, false))

	ws := []int{2400, dxBlock - 2400}
	d.tableStart(dxTable{widths: ws})
	for i, fl := range f.Fields {
		d.formRow(ws, fmt.Sprintf("%d．%s", i+1, fl.Label), fl.Value)
	}
	d.tableEnd()
	if f.Basis != "" {
		for i, b := range strings.Split(f.Basis, "\n") {
			pp := dxPPr{style: "anweiBody", keepNext: len(f.Signers) > 0}
			if i == 0 {
				pp.before = dxLine / 2
			}
			d.para(pp, dxRun(b, dxRPr{}, false))
		}
	}
	d.para(dxPPr{snapOff: true, line: dxLine / 2, keepNext: len(f.Signers) > 0})
	if len(f.Signers) > 0 {
		if err := d.signatures(f.Signers); err != nil {
			return nil, err
		}
	}
	seal := dxPPr{style: "anweiSignature", before: dxLine, right: 632, rightChars: 200}
	if !f.Receipt {
		d.para(seal, dxRun(f.Issuer+"（印章）", dxRPr{}, false))
		return d.pkg(dxSection(odd, even, ""))
	}
	// The form's section ends with its last paragraph; the receipt's
	// starts a new page.
	seal.sect = dxSection(odd, even, "")
	d.para(seal, dxRun(f.Issuer+"（印章）", dxRPr{}, false))
	d.receipt(f)
	return d.pkg(dxSection(odd, even, "nextPage"))
}

// formTitle is a form's title, 26 pt; one of eight characters or fewer
// spaced out (the PDF puts a space between its characters: here the
// characters are set apart, so that the title is still one word to edit
// and search).
func (d *wdoc) formTitle(title string) {
	r := dxRPr{size: 52}
	if n := len([]rune(title)); n <= 8 {
		r.spacing = 140
	}
	d.para(dxPPr{style: "anweiTitle", line: 800, before: 120}, dxRun(title, r, false))
}

// formRow is a field: its label in 黑体 and its value's paragraphs. A short
// row does not break across pages; a long one (检查情况) may.
func (d *wdoc) formRow(ws []int, label string, value []string) {
	n := 0
	for _, v := range value {
		n += len([]rune(v))
	}
	d.rowStart(false, len(value) <= 3 && n <= 200, 567)
	d.cell(ws[0], 0, "", "center", dxP(dxPPr{style: "anweiFormLabel"}, dxRun(label, dxRPr{}, false)))
	var ps []string
	for _, v := range value {
		ps = append(ps, dxP(dxPPr{style: "anweiFormCell"}, dxRun(v, dxRPr{}, true)))
	}
	d.cell(ws[1], 0, "", "center", ps...)
	d.rowEnd()
}

// signatures is the table of signature boxes, kept on one page.
func (d *wdoc) signatures(ss []Signer) error {
	ws := []int{1400, 1300, 1900, 2094, dxBlock - 6694}
	d.tableStart(dxTable{widths: ws})
	d.rowStart(true, true, 0)
	for i, h := range []string{"签名人", "姓名", "执法证号", "签名", "日期"} {
		d.cell(ws[i], 0, "E6E6E6", "center", dxP(dxPPr{style: "anweiFormLabel", keepNext: true}, dxRun(h, dxRPr{}, false)))
	}
	d.rowEnd()
	for i, s := range ss {
		keep := dxPPr{style: "anweiFormCell", jc: "center", keepNext: i < len(ss)-1}
		d.rowStart(false, true, 851) // 15 mm to sign in
		sign := ""
		if len(s.Image) > 0 {
			pic, err := d.picture(s.Image, 38, 13, s.Role+s.Name+"的签名")
			if err != nil {
				return err
			}
			sign = pic
		}
		date := s.Date
		if date == "" {
			date = "　年　月　日"
		}
		cells := []string{dxRun(s.Role, dxRPr{}, false), dxRun(s.Name, dxRPr{}, false), dxRun(s.Certificate, dxRPr{}, true), sign, dxRun(date, dxRPr{size: 24}, false)}
		for j, c := range cells {
			pp := keep
			if j == 4 {
				pp.snapOff, pp.line = true, 360
			}
			d.cell(ws[j], 0, "", "center", dxP(pp, c))
		}
		d.rowEnd()
	}
	d.tableEnd()
	return nil
}

// receipt is the 送达回执 (REGULATIONS.md §14.2, 回), as the PDF prints it:
// what is served, on whom, where and how, boxes for the recipient's and
// the servers' signatures with the date, a remark, and the 执法机关's seal.
func (d *wdoc) receipt(f Form) {
	d.formTitle("送达回执")
	d.para(dxPPr{snapOff: true, line: dxLine / 2})
	dateLine := dxP(dxPPr{style: "anweiFormCell", jc: "right", before: 480, right: 480}, dxRun("年　　月　　日", dxRPr{}, false))
	ws := []int{2400, dxBlock - 2400}
	d.tableStart(dxTable{widths: ws})
	for _, r := range []struct {
		label, value string
		height       int
		date         bool
	}{
		{"送达文书名称", f.Title, 680, false},
		{"送达文书文号", f.DocNumber, 680, false},
		{"受送达人", f.Party, 680, false},
		{"送达地点", "", 680, false},
		{"送达方式", "直接送达", 680, false},
		{"收件人签名", "", 1701, true},
		{"送达人签名", "", 1701, true},
		{"备注", "", 1134, false},
	} {
		d.rowStart(false, true, r.height)
		d.cell(ws[0], 0, "", "center", dxP(dxPPr{style: "anweiFormLabel", keepNext: true}, dxRun(r.label, dxRPr{}, false)))
		ps := []string{dxP(dxPPr{style: "anweiFormCell", keepNext: true}, dxRun(r.value, dxRPr{}, true))}
		if r.date {
			ps = append(ps, dateLine)
		}
		d.cell(ws[1], 0, "", "center", ps...)
		d.rowEnd()
	}
	d.tableEnd()
	d.para(dxPPr{style: "anweiSignature", before: dxLine, right: 632, rightChars: 200}, dxRun(f.Issuer+"（印章）", dxRPr{}, false))
}

// docxParts are the form's texts, named for unwritable's message.
func (f Form) docxParts() []part {
	ps := []part{{field: "issuer", where: "执法机关", text: f.Issuer}, {field: "title", where: "文书名称", text: f.Title},
		{field: "doc_number", where: "文书编号", text: f.DocNumber}}
	for _, fl := range f.Fields {
		ps = append(ps, part{field: "fields", where: "栏目名“" + fl.Label + "”", text: fl.Label})
		for j, v := range fl.Value {
			ps = append(ps, part{field: "fields", where: fmt.Sprintf("“%s”栏第%d段", fl.Label, j+1), text: v})
		}
	}
	ps = append(ps, part{field: "basis", where: "依据", text: f.Basis})
	for i, s := range f.Signers {
		who := fmt.Sprintf("第%d个签名栏", i+1)
		ps = append(ps, part{field: "signers", where: who + "的身份", text: s.Role}, part{field: "signers", where: who + "的姓名", text: s.Name},
			part{field: "signers", where: who + "的证号", text: s.Certificate}, part{field: "signers", where: who + "的日期", text: s.Date})
	}
	return append(ps, part{field: "party", where: "当事人", text: f.Party})
}
