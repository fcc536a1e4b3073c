package docs

import (
	"fmt"
	"strings"

	"github.com/signintech/gopdf"
)

// Letter is an official document (公文) ready to print.
type Letter struct {
	Issuer      string   // 发文机关, printed in red as the header: 济南市天桥区安全生产委员会办公室
	DocNumber   string   // 发文字号: 天安办提〔2026〕3号
	Title       string   // 标题
	Addressee   string   // 主送机关
	Body        []string // paragraphs, each indented two characters
	Items       []string // a numbered list after the body (tasks and their deadlines)
	Tables      []Table  // tables after the list (a bulletin's figures)
	Closing     []string // paragraphs after the tables
	Signature   string   // 署名 (the issuer, or its office)
	Date        string   // 成文日期, as printed: 2026年11月23日
	Note        string   // 附注, e.g. 请于2026年11月30日前书面回复
	CopyTo      []string // 抄送 (版记)
	PrintedBy   string   // 印发机关 (版记), e.g. 济南市天桥区安全生产委员会办公室
	PrintedDate string   // 印发日期 (版记), as printed: 2026年11月23日
	Contact     string   // 联系人
	Phone       string   // 联系电话
}

// A4 in points, margins as GB/T 9704 (top 37 mm, left 28 mm, text block 156 mm wide).
const (
	pageW, pageH = 595.28, 841.89
	mm           = 72 / 25.4
	left         = 28 * mm
	top          = 37 * mm
	width        = 156 * mm
	bottom       = pageH - 35*mm
	bodySize     = 15.75 // 三号
	lineGap      = 28.9  // 22 lines a page
)

// pen draws text down the page, each character in the first face that
// prints it (face.go), lines aligned on the first face's baseline.
type pen struct {
	pdf   *gopdf.GoPdf
	y     float64
	size  float64
	added []bool // faces registered with gopdf: a face is embedded only when used
}

// newPen starts a document on A4 with the first face registered.
func newPen(info gopdf.PdfInfo) (*pen, error) {
	if err := loadFaces(); err != nil {
		return nil, err
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: gopdf.Rect{W: pageW, H: pageH}, Unit: gopdf.UnitPT})
	pdf.SetInfo(info)
	p := &pen{pdf: pdf, added: make([]bool, len(faces)), size: bodySize}
	if err := p.use(0); err != nil {
		return nil, err
	}
	pdf.AddPage()
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

func (p *pen) font(size float64) error {
	p.size = size
	return p.use(0)
}

// need starts a new page when h points do not fit.
func (p *pen) need(h float64) {
	if p.y+h > bottom {
		p.pdf.AddPage()
		p.y = top
	}
}

// measure is the width of one line of text at the pen's size.
func (p *pen) measure(text string) float64 {
	runs, _ := shape(text)
	w := 0
	for _, r := range runs {
		w += r.width
	}
	return float64(w) * p.size / 1000
}

// text prints one line of text with its top at (x, y), run by run. A
// character no face prints is an error here too, though check has refused
// the document before anything was drawn.
func (p *pen) text(x, y float64, text string) error {
	runs, missing := shape(text)
	if len(missing) > 0 {
		return unprintable([]part{{where: "文字", text: text}})
	}
	for _, r := range runs {
		if err := p.use(r.face); err != nil {
			return err
		}
		// gopdf puts the baseline a face's ascender below the top: shift
		// the other faces' runs onto the first face's baseline.
		p.pdf.SetXY(x, y+(faces[0].ascent-faces[r.face].ascent)*p.size)
		if err := p.pdf.Cell(nil, r.text); err != nil {
			return err
		}
		x += float64(r.width) * p.size / 1000
	}
	return p.use(0)
}

// line prints text at x, left aligned, and moves down.
func (p *pen) line(x float64, text string, gap float64) error {
	p.need(gap)
	if err := p.text(x, p.y, text); err != nil {
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

// wrap breaks text into lines no wider than w: at each newline, and
// wherever the next character would overflow (Chinese text breaks between
// any two characters).
func (p *pen) wrap(text string, w float64) []string {
	var out []string
	text = strings.TrimRight(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for _, hard := range strings.Split(text, "\n") {
		var line []rune
		lw := 0.0
		for _, r := range hard {
			rw := p.measure(string(r))
			if lw+rw > w && len(line) > 0 {
				out = append(out, string(line))
				line, lw = line[:0], 0
			}
			line = append(line, r)
			lw += rw
		}
		out = append(out, string(line))
	}
	return out
}

// para wraps a paragraph to the block with a two-character first-line
// indent; following lines start at the margin, as GB/T 9704 body text does.
func (p *pen) para(text string) error {
	for _, l := range p.wrap("　　"+text, width) {
		if err := p.line(left, l, lineGap); err != nil {
			return err
		}
	}
	return nil
}

// PDF renders the letter, or refuses (apperr.Invalid) one with a
// character that no embedded face prints.
func (l Letter) PDF() ([]byte, error) {
	if err := l.Check(); err != nil {
		return nil, err
	}
	p, err := newPen(gopdf.PdfInfo{Title: l.Title, Author: l.Issuer, Creator: "anwei"})
	if err != nil {
		return nil, err
	}
	pdf := p.pdf
	p.y = top

	// 版头: the issuer in red, the 文号 centred, the red separator.
	size := 26.0
	if n := len([]rune(l.Issuer)); n > 14 {
		size = max(16, 26*14/float64(n))
	}
	pdf.SetTextColor(200, 16, 16)
	if err := p.font(size); err != nil {
		return nil, err
	}
	if err := p.centred(l.Issuer, size+16); err != nil {
		return nil, err
	}
	pdf.SetTextColor(0, 0, 0)
	if err := p.font(bodySize); err != nil {
		return nil, err
	}
	if err := p.centred(l.DocNumber, 22); err != nil {
		return nil, err
	}
	pdf.SetStrokeColor(200, 16, 16)
	pdf.SetLineWidth(1.5)
	pdf.Line(left, p.y, left+width, p.y)
	p.y += 30

	// 标题 (二号), 主送机关, 正文.
	if err := p.font(21); err != nil {
		return nil, err
	}
	for _, t := range p.wrap(l.Title, width-40) {
		if err := p.centred(t, 34); err != nil {
			return nil, err
		}
	}
	p.y += 12
	if err := p.font(bodySize); err != nil {
		return nil, err
	}
	if l.Addressee != "" {
		if err := p.line(left, l.Addressee+"：", lineGap); err != nil {
			return nil, err
		}
	}
	for _, b := range l.Body {
		if err := p.para(b); err != nil {
			return nil, err
		}
	}
	for i, it := range l.Items {
		if err := p.para(fmt.Sprintf("%d．%s", i+1, it)); err != nil {
			return nil, err
		}
	}
	for _, t := range l.Tables {
		if err := p.table(t); err != nil {
			return nil, err
		}
	}
	for _, c := range l.Closing {
		if err := p.para(c); err != nil {
			return nil, err
		}
	}

	// 署名 and 成文日期, right with four characters' inset (GB/T 9704 7.3.5.1).
	p.y += lineGap
	p.need(lineGap * 3)
	four := p.measure("　　　　")
	if err := p.right(l.Signature, four/2, lineGap); err != nil {
		return nil, err
	}
	if err := p.right(l.Date, four, lineGap); err != nil {
		return nil, err
	}
	if l.Note != "" {
		p.y += lineGap / 2
		if err := p.para("（" + l.Note + "）"); err != nil {
			return nil, err
		}
	}
	return pdf.GetBytesPdfReturnErr()
}

// ChineseDate prints an ISO date (2026-11-23) as 2026年11月23日.
func ChineseDate(iso string) string {
	var y, m, d int
	if _, err := fmt.Sscanf(iso, "%d-%d-%d", &y, &m, &d); err != nil {
		return iso
	}
	return fmt.Sprintf("%d年%d月%d日", y, m, d)
}
