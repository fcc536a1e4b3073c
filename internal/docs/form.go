package docs

import (
	"bytes"
	"fmt"

	"github.com/signintech/gopdf"

	"anwei/internal/apperr"
)

// PDF renders the form (FamilyForm): the issuer and the title centred, the
// 文号 under them flush right, the numbered fields as a ruled grid (label,
// what is filled in), the legal basis, the signature boxes of the officers
// (name, 执法证号) and the party with their drawn signatures, the issuer and
// date where the seal goes, and the 送达回执 on a page of its own. It refuses
// (apperr.Invalid) a form with a character no embedded face prints.
func (f Form) PDF() ([]byte, error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	p, err := newPen(gopdf.PdfInfo{Title: f.Title, Author: f.Issuer, Creator: "anwei"})
	if err != nil {
		return nil, err
	}
	p.y = top
	if err := p.flow(f.blocks(p)); err != nil {
		return nil, err
	}
	if err := p.pageNumbers(); err != nil {
		return nil, err
	}
	return p.pdf.GetBytesPdfReturnErr()
}

const formSize = 12 // 小四: the grid's text

func (f Form) blocks(p *pen) []*block {
	var bs []*block
	add := func(b ...*block) { bs = append(bs, b...) }
	heading := func(text string, size, gap float64) {
		p.set(styleTitle, size)
		for _, t := range p.titleLines(text, width) {
			b := lineBlock(styleTitle, size, left+(width-p.measure(t))/2, tline{text: t}, gap)
			b.keepNext = true
			add(b)
		}
	}
	heading(f.Issuer, titleSize, titleGap)
	heading(spaced(f.Title), 26, 40)
	if f.DocNumber != "" {
		p.set(styleBody, bodySize)
		b := lineBlock(styleBody, bodySize, left+width-p.measure(f.DocNumber), tline{text: f.DocNumber}, lineGap)
		b.keepNext = true
		add(b)
	}
	add(space(6))

	grid := Table{Header: []string{"项目", "内容"}, Widths: []float64{1, 3.4}}
	for i, fl := range f.Fields {
		v := ""
		for j, para := range fl.Value {
			if j > 0 {
				v += "\n"
			}
			v += para
		}
		grid.Rows = append(grid.Rows, []string{fmt.Sprintf("%d．%s", i+1, fl.Label), v})
	}
	p.set(styleBody, formSize)
	cols := p.columns(grid)
	lineH := tableLine * formSize / tableSize
	for _, r := range grid.Rows {
		add(p.rowBlock(cols, r, styleBody, formSize, lineH, false))
	}
	if f.Basis != "" {
		add(space(lineGap / 2))
		add(p.paraBlocks(styleBody, bodySize, f.Basis)...)
	}
	add(space(lineGap / 2))

	// Signature boxes, three to a row, kept with the last two lines before
	// them: never alone on a page.
	for i, n := len(bs)-1, 0; i >= 0 && n < 2; i-- {
		bs[i].keepNext = true
		if bs[i].h >= lineGap/2+0.01 {
			n++
		}
	}
	const perRow = 3
	boxW, boxH := width/perRow, 34*mm
	for i := 0; i < len(f.Signers); i += perRow {
		row := f.Signers[i:min(i+perRow, len(f.Signers))]
		b := &block{h: boxH + 4, draw: func(p *pen) error { return drawSigners(p, row, boxW, boxH) }}
		b.keepNext = true
		add(b)
	}
	// The issuer where the seal goes, and the date: the officers' when they
	// signed, else blank to be written.
	p.set(styleBody, bodySize)
	seal := f.Issuer + "（印章）"
	date := "　　年　　月　　日"
	for _, s := range f.Signers {
		if s.Date != "" {
			date = s.Date
			break
		}
	}
	add(&block{h: 3 * lineGap, draw: func(p *pen) error {
		p.set(styleBody, bodySize)
		two := p.measure("　　")
		if err := p.text(left+width-p.measure(seal)-two, p.y+lineGap+(lineGap-bodySize)/2, seal, 0); err != nil {
			return err
		}
		return p.text(left+width-p.measure(date)-two*2, p.y+2*lineGap+(lineGap-bodySize)/2, date, 0)
	}})

	if f.Receipt {
		r := f.receipt(p)
		r[0].newPage = true
		add(r...)
	}
	return bs
}

// spaced sets a short title's characters apart, as forms print them.
func spaced(t string) string {
	rs := []rune(t)
	if len(rs) > 8 {
		return t
	}
	out := make([]rune, 0, 2*len(rs))
	for i, r := range rs {
		if i > 0 {
			out = append(out, ' ')
		}
		out = append(out, r)
	}
	return string(out)
}

// drawSigners draws a row of signature boxes: role, name, 执法证号, the
// drawn signature (a PNG) or a blank to sign in, and the date.
func drawSigners(p *pen, row []Signer, boxW, boxH float64) error {
	p.pdf.SetLineWidth(0.5)
	p.pdf.SetStrokeColor(0, 0, 0)
	for i, s := range row {
		x := left + float64(i)*boxW
		y := p.y + 2
		if err := p.pdf.Rectangle(x, y, x+boxW, y+boxH, "D", 0, 0); err != nil {
			return err
		}
		p.set(styleHei, 10.5)
		if err := p.text(x+cellPad, y+cellPad, s.Role+"（签名）", 0); err != nil {
			return err
		}
		p.set(styleBody, 10.5)
		lines := []string{}
		if s.Name != "" {
			lines = append(lines, "姓名："+s.Name)
		}
		if s.Certificate != "" {
			lines = append(lines, "执法证号："+s.Certificate)
		}
		for j, l := range lines {
			if err := p.text(x+cellPad, y+cellPad+float64(j+1)*14, l, 0); err != nil {
				return err
			}
		}
		sigTop := y + cellPad + float64(len(lines)+1)*14
		sigH := boxH - (sigTop - y) - 18
		if len(s.Image) > 0 && sigH > 8 {
			h, err := gopdf.ImageHolderByBytes(s.Image)
			if err != nil {
				return fmt.Errorf("签名图片: %w", err)
			}
			w := min(boxW-2*cellPad, sigH*3)
			if err := p.pdf.ImageByHolder(h, x+(boxW-w)/2, sigTop, &gopdf.Rect{W: w, H: sigH}); err != nil {
				return fmt.Errorf("签名图片: %w", err)
			}
		} else {
			p.pdf.SetLineWidth(0.3)
			p.pdf.Line(x+cellPad+4, sigTop+sigH, x+boxW-cellPad-4, sigTop+sigH)
			p.pdf.SetLineWidth(0.5)
		}
		date := s.Date
		if date == "" {
			date = "　　年　　月　　日"
		}
		if err := p.text(x+boxW-cellPad-p.measure(date), y+boxH-16, date, 0); err != nil {
			return err
		}
	}
	return nil
}

// receipt is the 送达回执: a ruled grid of the delivery's particulars and
// the signatures of who received and who delivered.
func (f Form) receipt(p *pen) []*block {
	var bs []*block
	p.set(styleTitle, titleSize)
	t := spaced("送达回执")
	b := lineBlock(styleTitle, titleSize, left+(width-p.measure(t))/2, tline{text: t}, titleGap*1.5)
	b.keepNext = true
	bs = append(bs, b)
	grid := Table{Header: []string{"项目", "内容"}, Widths: []float64{1, 3}, Rows: [][]string{
		{"送达文书名称", f.Title},
		{"送达文书文号", f.DocNumber},
		{"受送达人", f.Party},
		{"送达地点", ""},
		{"送达方式", "直接送达"},
		{"收件人签名", "\n\n\n　　年　　月　　日"},
		{"送达人签名", "\n\n\n　　年　　月　　日"},
		{"备注", "\n"},
	}}
	p.set(styleBody, formSize)
	cols := p.columns(grid)
	lineH := tableLine * formSize / tableSize * 1.4
	for _, r := range grid.Rows {
		rb := p.rowBlock(cols, r, styleBody, formSize, lineH, false)
		rb.keepNext = true
		bs = append(bs, rb)
	}
	p.set(styleBody, bodySize)
	seal := f.Issuer + "（印章）"
	bs = append(bs, &block{h: 2 * lineGap, draw: func(p *pen) error {
		p.set(styleBody, bodySize)
		return p.text(left+width-p.measure(seal)-p.measure("　　"), p.y+lineGap+(lineGap-bodySize)/2, seal, 0)
	}})
	return bs
}

// Check refuses a form with a character no embedded face prints, or a
// signature that is not a PNG.
func (f Form) Check() error {
	ps := []part{{"issuer", "执法机关", f.Issuer}, {"title", "标题", f.Title}, {"doc_number", "文号", f.DocNumber},
		{"basis", "法律依据", f.Basis}, {"party", "当事人", f.Party}}
	for i, fl := range f.Fields {
		ps = append(ps, part{"fields", fmt.Sprintf("第%d栏栏名", i+1), fl.Label})
		for j, v := range fl.Value {
			ps = append(ps, part{"fields", fmt.Sprintf("第%d栏“%s”第%d段", i+1, fl.Label, j+1), v})
		}
	}
	for i, s := range f.Signers {
		ps = append(ps, part{"signers", fmt.Sprintf("第%d个签名栏", i+1), s.Role + s.Name + s.Certificate + s.Date})
	}
	if err := unprintable(ps); err != nil {
		return err
	}
	for i, s := range f.Signers {
		if len(s.Image) > 0 && !bytes.HasPrefix(s.Image, []byte("\x89PNG\r\n\x1a\n")) {
			return apperr.Field("signers", fmt.Sprintf("第%d个签名栏（%s）的签名图片不是 PNG", i+1, s.Name))
		}
	}
	return nil
}
