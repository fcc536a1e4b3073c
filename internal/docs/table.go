package docs

// Table is a ruled table printed in a letter after its numbered items:
// a caption, a header row and rows of text. Widths are the columns' shares
// of the text block (missing or zero: equal shares); a cell's text wraps,
// never inside a token (a hazard number, a date), and a column is widened
// from the others' room to hold its longest token.
type Table struct {
	Caption string
	Header  []string
	Widths  []float64
	Rows    [][]string
}

const (
	tableSize = 10.5 // 五号 (the card)
	tableLine = 15.0
	cellPad   = 3.0
)

// table prints t from the pen's position in its style (the card's).
func (p *pen) table(t Table) error {
	err := p.flow(p.tableBlocks(t, p.st, tableSize, styleHei))
	p.set(p.st, bodySize)
	return err
}

// tableBlocks lays t out as blocks: the caption (a first-level heading in
// 黑体 with the header and first row), the header, and one block per row,
// each row carrying the header to repeat when it begins a page.
func (p *pen) tableBlocks(t Table, st style, size float64, heading style) []*block {
	if len(t.Header) == 0 {
		return nil
	}
	lineH := tableLine * size / tableSize
	p.set(st, size)
	cols := p.columns(t)
	var bs []*block
	if t.Caption != "" {
		p.set(heading, bodySize)
		for _, l := range p.breakLines("　　"+t.Caption, width, false) {
			b := lineBlock(heading, bodySize, left, l, lineGap)
			b.keepNext = true
			bs = append(bs, b)
		}
	}
	head := p.rowBlock(cols, t.Header, heading, size, lineH, true)
	head.keepNext = true
	bs = append(bs, head)
	for _, r := range t.Rows {
		b := p.rowBlock(cols, r, st, size, lineH, false)
		b.head = head
		bs = append(bs, b)
	}
	after := space(lineH / 2)
	bs = append(bs, after)
	return bs
}

// columns are the column widths: the shares of the text block, then each
// column too narrow for its longest token widened from the others' room.
func (p *pen) columns(t Table) []float64 {
	n := len(t.Header)
	cols := make([]float64, n)
	need := make([]float64, n)
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
	for i, h := range t.Header {
		if len([]rune(h)) <= 6 {
			need[i] = p.measure(h) + 2*cellPad + 0.5
		}
	}
	for _, r := range append([][]string{t.Header}, t.Rows...) {
		for i := 0; i < n && i < len(r); i++ {
			for _, a := range atoms(r[i]) {
				need[i] = max(need[i], p.measure(a)+2*cellPad+0.5)
			}
		}
	}
	for k := 0; k < 4*n; k++ { // until each is wide enough or no room is left
		i := k % n
		short := need[i] - cols[i]
		if short <= 0.01 || need[i] > width/2 {
			continue
		}
		// the others give in proportion to their width, none below its need
		rest, room := 0.0, 0.0
		for j := range cols {
			if j != i && cols[j] > need[j] {
				rest += cols[j]
				room += cols[j] - need[j]
			}
		}
		take := min(short, room)
		if take <= 0 {
			continue
		}
		f := 1 - take/rest
		given := 0.0
		for j := range cols {
			if j != i && cols[j] > need[j] {
				nw := max(need[j], cols[j]*f)
				given += cols[j] - nw
				cols[j] = nw
			}
		}
		cols[i] += given
	}
	return cols
}

// rowBlock is one table row: its cells wrapped, ruled, never split.
func (p *pen) rowBlock(cols []float64, cells []string, st style, size, lineH float64, head bool) *block {
	p.set(st, size)
	lines := make([][]tline, len(cols))
	n := 1
	for i := range cols {
		if i < len(cells) && cells[i] != "" {
			lines[i] = p.breakLines(cells[i], cols[i]-2*cellPad, false)
			n = max(n, len(lines[i]))
		}
	}
	h := float64(n)*lineH + 2*cellPad
	return &block{h: h, draw: func(p *pen) error {
		p.set(st, size)
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
				lx := x + cellPad
				if head {
					lx = x + (w-p.measure(l.text))/2
				}
				if err := p.text(lx, p.y+cellPad+float64(j)*lineH+(lineH-size)/2, l.text, min(0, l.spacing)); err != nil {
					return err
				}
			}
			x += w
		}
		return nil
	}}
}
