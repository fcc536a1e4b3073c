package docs

// Table is a ruled table printed in a letter after its numbered items:
// a caption, a header row and rows of text. Widths are the columns' shares
// of the text block (missing or zero: equal shares); a cell's text wraps.
type Table struct {
	Caption string
	Header  []string
	Widths  []float64
	Rows    [][]string
}

const (
	tableSize = 10.5 // 五号
	tableLine = 15.0
	cellPad   = 3.0
)

// table prints t, starting a new page (and repeating the header) when a
// row does not fit.
func (p *pen) table(t Table) error {
	if len(t.Header) == 0 {
		return nil
	}
	cols := make([]float64, len(t.Header))
	sum := 0.0
	for i := range cols {
		cols[i] = 1
		if i < len(t.Widths) && t.Widths[i] > 0 {
			cols[i] = t.Widths[i]
		}
		sum += cols[i]
	}
	for i := range cols {
		cols[i] = cols[i] / sum * width
	}
	if t.Caption != "" {
		if err := p.font(bodySize); err != nil {
			return err
		}
		p.need(lineGap + 2*tableLine)
		if err := p.centred(t.Caption, lineGap); err != nil {
			return err
		}
	}
	if err := p.font(tableSize); err != nil {
		return err
	}
	if err := p.row(cols, t.Header, true); err != nil {
		return err
	}
	for _, r := range t.Rows {
		lines := p.wrapCells(cols, r)
		if p.y+rowHeight(lines) > bottom {
			p.pdf.AddPage()
			p.y = top
			if err := p.row(cols, t.Header, true); err != nil {
				return err
			}
		}
		if err := p.cells(cols, lines, false); err != nil {
			return err
		}
	}
	p.y += tableLine / 2
	return p.font(bodySize)
}

func rowHeight(lines [][]string) float64 {
	n := 1
	for _, l := range lines {
		n = max(n, len(l))
	}
	return float64(n)*tableLine + 2*cellPad
}

func (p *pen) wrapCells(cols []float64, cells []string) [][]string {
	out := make([][]string, len(cols))
	for i := range cols {
		if i < len(cells) && cells[i] != "" {
			out[i] = p.wrap(cells[i], cols[i]-2*cellPad)
		}
	}
	return out
}

func (p *pen) row(cols []float64, cells []string, head bool) error {
	lines := p.wrapCells(cols, cells)
	p.need(rowHeight(lines))
	return p.cells(cols, lines, head)
}

// cells draws one row of wrapped cells with their rules.
func (p *pen) cells(cols []float64, lines [][]string, head bool) error {
	h := rowHeight(lines)
	x := left
	p.pdf.SetLineWidth(0.5)
	p.pdf.SetStrokeColor(0, 0, 0)
	for i, w := range cols {
		if head {
			p.pdf.SetFillColor(230, 230, 230)
			_ = p.pdf.Rectangle(x, p.y, x+w, p.y+h, "FD", 0, 0)
		} else {
			_ = p.pdf.Rectangle(x, p.y, x+w, p.y+h, "D", 0, 0)
		}
		for j, l := range lines[i] {
			if err := p.text(x+cellPad, p.y+cellPad+float64(j)*tableLine+2, l); err != nil {
				return err
			}
		}
		x += w
	}
	p.y += h
	return nil
}
