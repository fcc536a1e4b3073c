package docs

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/signintech/gopdf"
)

// The layout engine every writ shares (issue 15): a pen that prints runs of
// text in a style's faces, a line breaker that keeps Chinese typesetting's
// rules (避头尾: no closing mark at a line's start, no opening mark at its
// end; a token of Latin letters and digits or a 文号 kept whole), and a
// paginator (paginate.go) that keeps what belongs together on one page.

// A4 in points; the 版心 of GB/T 9704-2012 5.2: top margin (天头) 37 mm,
// left margin (订口) 28 mm, a text block 156 × 225 mm holding 22 lines of
// 28 characters in 三号.
const (
	pageW, pageH = 595.28, 841.89
	mm           = 72 / 25.4
	left         = 28 * mm
	top          = 37 * mm
	width        = 156 * mm
	bottom       = top + 225*mm
	bodySize     = 15.75 // 三号: 28 characters fill the 156 mm line
	lineGap      = 225 * mm / 22
)

// pen draws text down the page, each character in the first face of the
// current style that prints it (face.go), lines aligned on the style's first
// face's baseline.
type pen struct {
	pdf   *gopdf.GoPdf
	y     float64
	size  float64
	st    style
	added []bool // faces registered with gopdf: a face is embedded only when used
	page  int    // pages begun
}

// newPen starts a document on A4 with the first face registered.
func newPen(info gopdf.PdfInfo) (*pen, error) {
	if err := loadFaces(); err != nil {
		return nil, err
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: gopdf.Rect{W: pageW, H: pageH}, Unit: gopdf.UnitPT})
	pdf.SetInfo(info)
	p := &pen{pdf: pdf, added: make([]bool, len(faces)), size: bodySize, st: styleHei}
	pdf.AddPage()
	p.page = 1
	return p, nil
}

// use makes face i current at the pen's size, registering it on first use.
func (p *pen) use(i int) error {
	if !p.added[i] {
		if err := p.pdf.AddTTFFontData(faces[i].family, faces[i].data); err != nil {
			return fmt.Errorf("字体 %s: %w", faces[i].family, err)
		}
		p.added[i] = true
	}
	return p.pdf.SetFont(faces[i].family, "", p.size)
}

// font sets the size, keeping the style.
func (p *pen) font(size float64) error {
	p.size = size
	return nil
}

// set sets the style and size.
func (p *pen) set(st style, size float64) {
	p.st, p.size = st, size
}

// newPage begins a page at the top of the text block.
func (p *pen) newPage() {
	p.pdf.AddPage()
	p.page++
	p.y = top
}

// need starts a new page when h points do not fit.
func (p *pen) need(h float64) {
	if p.y+h > bottom {
		p.newPage()
	}
}

// advance is r's width in points at the pen's size and style, 0 when no
// face prints it (check has refused such a text before).
func (p *pen) advance(r rune) float64 {
	if ignorable(r) {
		return 0
	}
	if unicode.IsControl(r) {
		r = ' '
	}
	fi, g := p.st.pick(r)
	if fi < 0 {
		if !unicode.IsSpace(r) {
			return 0
		}
		fi = p.st[0]
		g = faces[fi].glyph(' ')
	}
	return float64(faces[fi].advance(g)) * p.size / 1000
}

// measure is the width of one line of text at the pen's size.
func (p *pen) measure(text string) float64 {
	w := 0.0
	for _, r := range text {
		w += p.advance(r)
	}
	return w
}

// text prints one line of text with its top at (x, y), run by run, with
// spacing points added after each character (justification; negative to
// squeeze). A character no face prints is an error here too, though check
// has refused the document before anything was drawn.
func (p *pen) text(x, y float64, text string, spacing float64) error {
	runs, missing := p.st.shape(text)
	if len(missing) > 0 {
		return unprintable([]part{{where: "文字", text: text}})
	}
	base := faces[p.st[0]].ascent
	for _, r := range runs {
		if err := p.use(r.face); err != nil {
			return err
		}
		// The spacing goes after Chinese characters only: a code or a
		// number keeps its letters together.
		rs := []rune(r.text)
		for i := 0; i < len(rs); {
			j, lat := i+1, latin(rs[i])
			for j < len(rs) && latin(rs[j]) == lat {
				j++
			}
			sp := spacing
			if lat {
				sp = 0
			}
			if err := p.pdf.SetCharSpacing(sp); err != nil {
				return err
			}
			// gopdf puts the baseline a face's ascender below the top: shift
			// the other faces' runs onto the first face's baseline.
			p.pdf.SetXY(x, y+(base-faces[r.face].ascent)*p.size)
			seg := string(rs[i:j])
			if err := p.pdf.Cell(nil, seg); err != nil {
				return err
			}
			w := 0
			for _, c := range rs[i:j] {
				if _, g := (style{r.face}).pick(c); g != 0 {
					w += faces[r.face].advance(g)
				}
			}
			x += float64(w)*p.size/1000 + sp*float64(j-i)
			i = j
		}
	}
	return p.pdf.SetCharSpacing(0)
}

// line prints text at x, left aligned, and moves down.
func (p *pen) line(x float64, text string, gap float64) error {
	p.need(gap)
	if err := p.text(x, p.y+(gap-p.size)/2, text, 0); err != nil {
		return err
	}
	p.y += gap
	return nil
}

// centred prints text centred in the text block.
func (p *pen) centred(text string, gap float64) error {
	return p.line(left+(width-p.measure(text))/2, text, gap)
}

// right prints text flush right, less inset points.
func (p *pen) right(text string, inset, gap float64) error {
	return p.line(left+width-p.measure(text)-inset, text, gap)
}

// Marks that may not begin a line (closing and middle marks, clreq 3.1.7)
// and marks that may not end one (opening marks).
const (
	noStart = "。，、；：？！）」』》〉〕】〗〙”’．.,;:?!)]}%‰℃·・～-"
	noEnd   = "（「『《〈〔【〖〘“‘([{"
)

func closing(r rune) bool { return strings.ContainsRune(noStart, r) }
func opening(r rune) bool { return strings.ContainsRune(noEnd, r) }

// squeezable marks are full-width punctuation whose glyph fills half the
// em: a line may be tightened by up to half of each (标点挤压).
func squeezable(r rune) bool {
	return strings.ContainsRune("。，、；：？！）」』》〉〕】“”‘’（「『《〈〔【", r)
}

// latin is a character of an unbreakable token: letters, digits and the
// joiners of codes and numbers (YH370105-2026-000001, 12.5%, 2026-11-30).
func latin(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_./:%+#@&", r)) ||
		unicode.IsDigit(r) && unicode.Is(unicode.Nd, r)
}

// atoms splits text into pieces no line breaks inside: a Latin token, a
// 文号 (天安办提〔2026〕3号), a doubled mark (——, ……), or one character;
// then closing marks join the atom before them and opening marks the atom
// after them, so that a line never starts or ends with one.
func atoms(text string) []string {
	rs := []rune(text)
	var out []string
	for i := 0; i < len(rs); {
		j := i + 1
		switch {
		case latin(rs[i]):
			for j < len(rs) && latin(rs[j]) {
				j++
			}
			// a trailing joiner is punctuation, not part of the token
			for j > i+1 && strings.ContainsRune("-_./:", rs[j-1]) {
				j--
			}
			// a number keeps its unit: 2026年, 10月, 3号, 24小时 → 24小 stays whole
			if j < len(rs) && unicode.IsDigit(rs[j-1]) && strings.ContainsRune("年月日时分秒号条款项次个人家处", rs[j]) {
				j++
			}
		case rs[i] == '—' || rs[i] == '…':
			for j < len(rs) && rs[j] == rs[i] {
				j++
			}
		}
		out = append(out, string(rs[i:j]))
		i = j
	}
	out = docNumbers(out)
	// Glue: closing marks to the left, opening marks to the right.
	var glued []string
	for i := 0; i < len(out); i++ {
		a := out[i]
		if len(glued) > 0 && closing(first(a)) {
			glued[len(glued)-1] += a
			continue
		}
		for opening(last(a)) && i+1 < len(out) {
			i++
			a += out[i]
		}
		glued = append(glued, a)
	}
	return glued
}

// soft marks where an atom may break as a last resort: between a 文号's
// 机关代字 and its 〔year〕 (zero-width, so never printed).
const soft = "\u200b"

// docNumbers joins a 文号 — up to four characters of 机关代字, 〔year〕, a
// number and 号 — into one atom.
func docNumbers(as []string) []string {
	var out []string
	for i := 0; i < len(as); i++ {
		if as[i] != "〔" || i+3 >= len(as) || !isNumber(as[i+1]) || as[i+2] != "〕" {
			out = append(out, as[i])
			continue
		}
		j := i + 3
		switch {
		case strings.HasSuffix(as[j], "号") && isNumber(strings.TrimSuffix(as[j], "号")):
			j++ // the number took its 号 as a unit
		case isNumber(as[j]) && j+1 < len(as) && as[j+1] == "号":
			j += 2
		}
		k := len(out)
		for k > 0 && len(out)-k < 4 && han(out[k-1]) {
			k--
		}
		prefix := strings.Join(out[k:], "")
		if prefix != "" {
			prefix += soft
		}
		out = append(out[:k], prefix+strings.Join(as[i:j], ""))
		i = j - 1
	}
	return out
}

func isNumber(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

func han(s string) bool {
	rs := []rune(s)
	return len(rs) == 1 && unicode.Is(unicode.Han, rs[0])
}

func first(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

func last(s string) rune {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0
	}
	return rs[len(rs)-1]
}

// tline is one broken line: its text, its natural width and the spacing
// after each character that fills (or squeezes) it to the measure.
type tline struct {
	text    string
	natural float64
	spacing float64
}

// breakLines breaks a paragraph into lines no wider than w (the first
// narrower by indent points, for a paragraph's first-line indent), keeping
// 避头尾 by pushing an atom to the next line or squeezing the line's
// punctuation by up to half of each mark (clreq 3.1.7, JIS X 4051 追い出し
// and 追い込み). With justify, every line but the last is spread to w, as
// Chinese body text fills its grid.
func (p *pen) breakLines(text string, w float64, justify bool) []tline {
	var out []tline
	text = strings.TrimRight(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	em := p.size
	for _, hard := range strings.Split(text, "\n") {
		var cur []string
		cw, squeeze := 0.0, 0.0
		flush := func(lastLine bool) {
			t := strings.ReplaceAll(strings.Join(cur, ""), soft, "")
			l := tline{text: t, natural: cw}
			if n := gaps(t); n > 1 {
				switch slack := w - cw; {
				case slack < 0: // squeezed
					l.spacing = slack / float64(n-1)
				case justify && !lastLine && slack < em*0.6*float64(n-1):
					l.spacing = slack / float64(n-1)
				}
			}
			out = append(out, l)
			cur, cw, squeeze = nil, 0, 0
		}
		for _, a := range atoms(hard) {
			aw := p.measure(a)
			sq := 0.0
			for _, r := range a {
				if squeezable(r) {
					sq += p.advance(r) / 2
				}
			}
			if cw+aw <= w+0.01 {
				cur, cw, squeeze = append(cur, a), cw+aw, squeeze+sq
				continue
			}
			// Tighten the line's punctuation to take the atom (at most half an em).
			if len(cur) > 0 && cw+aw-w <= min(squeeze+sq, em/2) {
				cur, cw = append(cur, a), cw+aw
				flush(false)
				continue
			}
			// A 文号 whose push would leave a quarter of the line empty breaks
			// after its 机关代字 instead.
			if k := strings.Index(a, soft); justify && k > 0 && len(cur) > 0 && w-cw > w/4 {
				if hw := p.measure(a[:k]); cw+hw <= w {
					cur, cw = append(cur, a[:k]), cw+hw
					flush(false)
					a = a[k+len(soft):]
					aw = p.measure(a)
				}
			}
			if len(cur) > 0 {
				flush(false)
			}
			if aw <= w {
				cur, cw, squeeze = []string{a}, aw, sq
				continue
			}
			// An atom wider than the line: broken where it must be.
			for _, r := range a {
				rw := p.advance(r)
				if cw+rw > w && len(cur) > 0 {
					flush(false)
				}
				cur, cw = append(cur, string(r)), cw+rw
			}
		}
		flush(true)
	}
	return out
}

// gaps is how many characters of a line take the justification's spacing
// (all but Latin letters and digits), plus one: text spaces n-1 gaps.
func gaps(t string) int {
	n := 0
	for _, r := range t {
		if !latin(r) {
			n++
		}
	}
	if rs := []rune(t); len(rs) > 0 && latin(rs[len(rs)-1]) {
		n++ // the last character takes none in either case
	}
	return n
}

// wrap breaks text into lines no wider than w, unjustified.
func (p *pen) wrap(text string, w float64) []string {
	var out []string
	for _, l := range p.breakLines(text, w, false) {
		out = append(out, l.text)
	}
	return out
}
