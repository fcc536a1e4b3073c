package docs

// block is a piece of a page that is never split: a line of text, a table
// row, a signature block. The paginator (flow) places blocks down the pages
// and keeps the rules of a writ: a block marked keepNext goes on the page of
// the block after it (a caption with its table, a title with the body, the
// last lines of body with the signature — GB/T 9704 7.3.5: no signature
// alone on a page), a table row that begins a page is preceded by its
// table's header again, and a foot block (版记) sits on the last page with
// its last line on the text block's lower edge.
type block struct {
	h        float64
	draw     func(p *pen) error // draws at p.y, the block's top
	keepNext bool
	head     *block // drawn before this block when it begins a page
	foot     bool   // placed at the foot of the page
	newPage  bool   // begins a page (a 送达回执)
}

// flow places the blocks from the pen's position on, starting pages as
// needed, and draws them.
func (p *pen) flow(bs []*block) error {
	// First where each page begins, moving a keepNext chain to the next
	// page whole when its last block does not fit (unless the chain fills
	// the page from its top).
	first := map[int]bool{}
	start, y := 0, p.y
	for i := 0; i < len(bs); {
		b := bs[i]
		h := b.h
		if i == start && i > 0 && b.head != nil && bs[i-1] != b.head && first[i] {
			h += b.head.h
		}
		if b.newPage && i > start {
			first[i] = true
			start, y = i, top
		}
		if y+h > bottom+0.01 && (i > start || i == 0 && y > top) {
			s := i
			for s-1 >= start && bs[s-1].keepNext {
				s--
			}
			if s == start {
				s = i // the chain fills the page: break before the block
			}
			first[s] = true
			start, y = s, top
			i = s
			continue
		}
		y += h
		i++
	}
	for i, b := range bs {
		if first[i] {
			p.newPage()
			if b.head != nil && (i == 0 || bs[i-1] != b.head) {
				if err := p.place(b.head); err != nil {
					return err
				}
			}
		}
		if b.foot {
			p.y = bottom - b.h
		}
		if err := p.place(b); err != nil {
			return err
		}
	}
	return nil
}

func (p *pen) place(b *block) error {
	y := p.y
	if err := b.draw(p); err != nil {
		return err
	}
	p.y = y + b.h
	return nil
}

// lineBlock is one line of text in style st at size, drawn at x with the
// line's spacing, in a slot gap points tall.
func lineBlock(st style, size, x float64, l tline, gap float64) *block {
	return &block{h: gap, draw: func(p *pen) error {
		p.set(st, size)
		return p.text(x, p.y+(gap-size)/2, l.text, l.spacing)
	}}
}

// paraBlocks are the lines of a paragraph with a two-character first-line
// indent, following lines from the margin, justified, as GB/T 9704 body text.
func (p *pen) paraBlocks(st style, size float64, text string) []*block {
	p.set(st, size)
	var bs []*block
	for _, l := range p.breakLines("　　"+text, width, true) {
		bs = append(bs, lineBlock(st, size, left, l, lineGap*size/bodySize))
	}
	// A paragraph of two lines or more does not leave its last line alone
	// at the top of a page.
	if n := len(bs); n >= 2 {
		bs[n-2].keepNext = true
	}
	// A heading stays with what follows it.
	if len(st) > 0 && st[0] == faceHei {
		for _, b := range bs {
			b.keepNext = true
		}
	}
	return bs
}

// space is an empty block.
func space(h float64) *block {
	return &block{h: h, draw: func(*pen) error { return nil }}
}
