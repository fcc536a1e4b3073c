package docs

import (
	"github.com/signintech/gopdf"
)

// Card is a notice posted at a place: a title on a band of colour, a line
// in large type, and labelled rows (the 风险告知卡 at a risk point).
type Card struct {
	Title  string      // 安全风险告知卡
	Colour [3]uint8    // the band's colour (the risk's colour)
	Banner string      // the line on the band under the title: 重大风险（红色）
	Rows   [][2]string // label, text
	Footer string      // a line at the foot: the enterprise and the date
}

// PDF renders the card on one A4 page (more when the rows run long), or
// refuses (apperr.Invalid) one with a character that no embedded face prints.
func (c Card) PDF() ([]byte, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	p, err := newPen(gopdf.PdfInfo{Title: c.Title, Creator: "anwei"})
	if err != nil {
		return nil, err
	}
	pdf := p.pdf
	p.y = 20 * mm
	band := 34 * mm
	pdf.SetFillColor(c.Colour[0], c.Colour[1], c.Colour[2])
	if err := pdf.Rectangle(left, p.y, left+width, p.y+band, "F", 0, 0); err != nil {
		return nil, err
	}
	pdf.SetTextColor(255, 255, 255)
	if err := p.font(30); err != nil {
		return nil, err
	}
	p.y += 8 * mm
	if err := p.centred(c.Title, 14*mm); err != nil {
		return nil, err
	}
	if err := p.font(bodySize); err != nil {
		return nil, err
	}
	if err := p.centred(c.Banner, 12*mm); err != nil {
		return nil, err
	}
	pdf.SetTextColor(0, 0, 0)
	p.y = 20*mm + band + 6*mm
	t := Table{Header: []string{"项目", "内容"}, Widths: []float64{1, 3.4}}
	for _, r := range c.Rows {
		t.Rows = append(t.Rows, []string{r[0], r[1]})
	}
	if err := p.font(tableSize); err != nil {
		return nil, err
	}
	if err := p.table(t); err != nil {
		return nil, err
	}
	if c.Footer != "" {
		p.y += lineGap / 2
		if err := p.right(c.Footer, 0, lineGap); err != nil {
			return nil, err
		}
	}
	return pdf.GetBytesPdfReturnErr()
}
