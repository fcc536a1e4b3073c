package docs

import (
	_ "embed"
	"fmt"

	"github.com/signintech/gopdf"
)

//go:embed font/wqy-microhei.ttf
var cjkFont []byte

// Letter is an official document (公文) ready to print.
type Letter struct {
	Issuer    string   // 发文机关, printed in red as the header: 济南市天桥区安全生产委员会办公室
	DocNumber string   // 发文字号: 天安办提〔2026〕3号
	Title     string   // 标题
	Addressee string   // 主送机关
	Body      []string // paragraphs, each indented two characters
	Items     []string // a numbered list after the body (tasks and their deadlines)
	Tables    []Table  // tables after the list (a bulletin's figures)
	Closing   []string // paragraphs after the tables
	Signature string   // 署名 (the issuer, or its office)
	Date      string   // 成文日期, as printed: 2026年11月23日
	Note      string   // 附注, e.g. 请于2026年11月30日前书面回复
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

type pen struct {
	pdf *gopdf.GoPdf
	y   float64
}

func (p *pen) font(size float64) error { return p.pdf.SetFont("cjk", "", size) }

// need starts a new page when h points do not fit.
func (p *pen) need(h float64) {
	if p.y+h > bottom {
		p.pdf.AddPage()
		p.y = top
	}
}

// line prints text at x, left aligned, and moves down.
func (p *pen) line(x float64, text string, gap float64) {
	p.need(gap)
	p.pdf.SetXY(x, p.y)
	_ = p.pdf.Cell(nil, text)
	p.y += gap
}

// centred prints text centred in the text block.
func (p *pen) centred(text string, gap float64) error {
	w, err := p.pdf.MeasureTextWidth(text)
	if err != nil {
		return err
	}
	p.line(left+(width-w)/2, text, gap)
	return nil
}

// right prints text flush right, less inset points.
func (p *pen) right(text string, inset, gap float64) error {
	w, err := p.pdf.MeasureTextWidth(text)
	if err != nil {
		return err
	}
	p.line(left+width-w-inset, text, gap)
	return nil
}

// para wraps a paragraph to the block with a two-character first-line
// indent; following lines start at the margin, as GB/T 9704 body text does.
func (p *pen) para(text string) error {
	lines, err := p.pdf.SplitText("　　"+text, width)
	if err != nil {
		return err
	}
	for _, l := range lines {
		p.line(left, l, lineGap)
	}
	return nil
}

// PDF renders the letter.
func (l Letter) PDF() ([]byte, error) {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: gopdf.Rect{W: pageW, H: pageH}, Unit: gopdf.UnitPT})
	pdf.SetInfo(gopdf.PdfInfo{Title: l.Title, Author: l.Issuer, Creator: "anwei"})
	if err := pdf.AddTTFFontData("cjk", cjkFont); err != nil {
		return nil, fmt.Errorf("字体: %w", err)
	}
	pdf.AddPage()
	p := &pen{pdf: pdf, y: top}

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
	titles, err := pdf.SplitText(l.Title, width-40)
	if err != nil {
		return nil, err
	}
	for _, t := range titles {
		if err := p.centred(t, 34); err != nil {
			return nil, err
		}
	}
	p.y += 12
	if err := p.font(bodySize); err != nil {
		return nil, err
	}
	if l.Addressee != "" {
		p.line(left, l.Addressee+"：", lineGap)
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
	four, _ := pdf.MeasureTextWidth("　　　　")
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
