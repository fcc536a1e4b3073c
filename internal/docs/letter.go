package docs

import (
	"fmt"
	"strings"

	"github.com/signintech/gopdf"
)

// Letter is an official document (公文) ready to print, laid out after
// GB/T 9704-2012 (FamilyLetter).
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

// The sizes of GB/T 9704 (in points): 二号 for the title, 三号 for the
// body, 四号 for the 版记 and the page numbers.
const (
	titleSize = 22   // 二号
	titleGap  = 36   // a title line
	footSize  = 14   // 四号
	tableBody = 12   // 小四, letters' tables
	red       = 0xC8 // 发文机关标志 and the separator: R of (200, 16, 16)
	redG      = 0x10 //
)

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
	p.y = top
	bs := l.blocks(p)
	if err := p.flow(bs); err != nil {
		return nil, err
	}
	if err := p.pageNumbers(); err != nil {
		return nil, err
	}
	return p.pdf.GetBytesPdfReturnErr()
}

// blocks lays the letter out: 版头, 主体, 版记 (GB/T 9704 7.2–7.4).
func (l Letter) blocks(p *pen) []*block {
	var bs []*block
	add := func(b ...*block) { bs = append(bs, b...) }

	// 版头 (7.2): the 发文机关标志 in red 小标宋, its top 35 mm below the
	// text block's; the 发文字号 centred two lines below; the red separator
	// 4 mm under it, as wide as the text block.
	size := 30.0
	if n := float64(len([]rune(l.Issuer))); n*size > width*0.94 {
		size = max(16, width*0.94/n)
	}
	issuer := l.Issuer
	head := 35*mm + size + 2*lineGap + lineGap
	add(&block{h: head + 4*mm, draw: func(p *pen) error {
		y := p.y
		p.set(styleTitle, size)
		p.pdf.SetTextColor(red, redG, redG)
		if err := p.text(left+(width-p.measure(issuer))/2, y+35*mm, issuer, 0); err != nil {
			return err
		}
		p.pdf.SetTextColor(0, 0, 0)
		p.set(styleBody, bodySize)
		ny := y + 35*mm + size + 2*lineGap
		if l.DocNumber != "" {
			if err := p.text(left+(width-p.measure(l.DocNumber))/2, ny+(lineGap-bodySize)/2, l.DocNumber, 0); err != nil {
				return err
			}
		}
		ly := ny + (lineGap+bodySize)/2 + 4*mm
		p.pdf.SetStrokeColor(red, redG, redG)
		p.pdf.SetLineWidth(1)
		p.pdf.Line(left, ly, left+width, ly)
		p.pdf.SetStrokeColor(0, 0, 0)
		return nil
	}})

	// 标题 (7.3.1): two lines under the separator, centred, broken at
	// sensible points in balanced lines.
	add(space(lineGap * 1.5))
	p.set(styleTitle, titleSize)
	for _, t := range p.titleLines(l.Title, width-2*titleSize) {
		b := lineBlock(styleTitle, titleSize, left+(width-p.measure(t))/2, tline{text: t}, titleGap)
		b.keepNext = true
		add(b)
	}
	s := space(lineGap)
	s.keepNext = true
	add(s)

	// 主送机关 (7.3.2) and 正文 (7.3.3) in 仿宋 三号.
	p.set(styleBody, bodySize)
	if l.Addressee != "" {
		for _, ln := range p.breakLines(l.Addressee+"：", width, true) {
			b := lineBlock(styleBody, bodySize, left, ln, lineGap)
			b.keepNext = true
			add(b)
		}
	}
	for _, b := range l.Body {
		add(p.paraBlocks(paraStyle(b), bodySize, b)...)
	}
	for i, it := range l.Items {
		add(p.paraBlocks(styleBody, bodySize, fmt.Sprintf("%d．%s", i+1, it))...)
	}
	for _, t := range l.Tables {
		size := float64(tableBody)
		if len(t.Header) >= 5 {
			size = tableSize // 五号 for a wide table
		}
		add(p.tableBlocks(t, styleBody, size, styleHei)...)
	}
	for _, c := range l.Closing {
		add(p.paraBlocks(paraStyle(c), bodySize, c)...)
	}

	// 署名 and 成文日期 (7.3.5.1): the date four characters in from the
	// right, the issuer centred over it, room above for the seal; the last
	// two lines of the body go with them, so that the signature page is
	// never without text (7.3.5.4 allows adjusting the spacing for this).
	for i, n := len(bs)-1, 0; i >= 0 && n < 2; i-- {
		bs[i].keepNext = true
		if bs[i].h >= lineGap/2+0.01 { // a line or a row, not a space
			n++
		}
	}
	p.set(styleBody, bodySize)
	four := p.measure("　　　　")
	date, sig := l.Date, l.Signature
	dx := left + width - four - p.measure(date)
	sx := dx + (p.measure(date)-p.measure(sig))/2
	if sx+p.measure(sig) > left+width {
		sx = left + width - p.measure(sig)
	}
	sign := &block{h: 4 * lineGap, draw: func(p *pen) error {
		p.set(styleBody, bodySize)
		if err := p.text(sx, p.y+2*lineGap+(lineGap-bodySize)/2, sig, 0); err != nil {
			return err
		}
		return p.text(dx, p.y+3*lineGap+(lineGap-bodySize)/2, date, 0)
	}}
	add(sign)

	// 附注 (7.3.6): under the date, two characters in, in parentheses; the
	// contact person and telephone are printed so as well.
	var notes []string
	if l.Note != "" {
		notes = append(notes, "（"+strings.TrimSuffix(l.Note, "。")+"）")
	}
	if c := contactLine(l.Contact, l.Phone); c != "" {
		notes = append(notes, c)
	}
	for _, n := range notes {
		sign.keepNext = true
		for _, ln := range p.breakLines("　　"+n, width, true) {
			b := lineBlock(styleBody, bodySize, left, ln, lineGap)
			b.keepNext = true
			add(b)
		}
	}
	if len(notes) > 0 {
		bs[len(bs)-1].keepNext = false
	}

	// 版记 (7.4): at the foot of the last page.
	if f := l.footBlock(p); f != nil {
		add(f)
	}
	return bs
}

// paraStyle is 黑体 for a first-level heading standing as its own
// paragraph (一、…, GB/T 9704 7.3.3), else the body's 仿宋.
func paraStyle(text string) style {
	rs := []rune(text)
	i := 0
	for i < len(rs) && strings.ContainsRune("一二三四五六七八九十", rs[i]) {
		i++
	}
	if i > 0 && i < len(rs) && rs[i] == '、' && len(rs) <= 26 && !strings.ContainsAny(text, "。；") {
		return styleHei
	}
	return styleBody
}

// contactLine is the 附注 naming whom to call: （联系人：…；联系电话：…）.
func contactLine(name, phone string) string {
	var parts []string
	if name != "" {
		parts = append(parts, "联系人："+name)
	}
	if phone != "" {
		parts = append(parts, "联系电话："+phone)
	}
	if parts == nil {
		return ""
	}
	return "（" + strings.Join(parts, "；") + "）"
}

// footBlock is the 版记 (GB/T 9704 7.4): between a thick first and last
// rule (the last on the text block's lower edge) the 抄送机关 in 四号 仿宋,
// one character in, continued lines aligned after the colon, ending with a
// full stop; a thin rule; the 印发机关 one character in from the left and
// the 印发日期 with 印发 one character in from the right.
func (l Letter) footBlock(p *pen) *block {
	if len(l.CopyTo) == 0 && l.PrintedBy == "" {
		return nil
	}
	p.set(styleBody, footSize)
	one := p.measure("　")
	gap := lineGap * 0.85
	var copyLines []tline
	lead := ""
	if len(l.CopyTo) > 0 {
		lead = "抄送："
		copyLines = p.breakLines(strings.Join(l.CopyTo, "，")+"。", width-2*one-p.measure(lead), true)
	}
	printed := l.PrintedDate
	if printed != "" {
		printed += "印发"
	}
	h := float64(len(copyLines))*gap + gap + 6
	if len(copyLines) > 0 {
		h += 4
	}
	return &block{h: h, foot: true, draw: func(p *pen) error {
		p.set(styleBody, footSize)
		y := p.y
		rule := func(y, w float64) {
			p.pdf.SetLineWidth(w)
			p.pdf.SetStrokeColor(0, 0, 0)
			p.pdf.Line(left, y, left+width, y)
		}
		rule(y+0.5, 0.35*mm)
		y += 3
		for i, ln := range copyLines {
			if i == 0 {
				if err := p.text(left+one, y+(gap-footSize)/2, lead, 0); err != nil {
					return err
				}
			}
			if err := p.text(left+one+p.measure(lead), y+(gap-footSize)/2, ln.text, ln.spacing); err != nil {
				return err
			}
			y += gap
		}
		if len(copyLines) > 0 {
			rule(y+2, 0.25*mm)
			y += 4
		}
		if l.PrintedBy != "" {
			if err := p.text(left+one, y+(gap-footSize)/2, l.PrintedBy, 0); err != nil {
				return err
			}
		}
		if printed != "" {
			if err := p.text(left+width-one-p.measure(printed), y+(gap-footSize)/2, printed, 0); err != nil {
				return err
			}
		}
		rule(bottom-0.5, 0.35*mm)
		return nil
	}}
}

// pageNumbers prints "— n —" on every page (GB/T 9704 7.5): 四号 半角宋体
// digits with a dash either side, the dashes 7 mm below the text block;
// odd pages one character in from the right, even pages one character in
// from the left, as the standard sets them for printing on both sides.
func (p *pen) pageNumbers() error {
	n := p.page
	for i := 1; i <= n; i++ {
		if err := p.pdf.SetPage(i); err != nil {
			return err
		}
		p.set(stylePage, footSize)
		s := fmt.Sprintf("— %d —", i)
		one := float64(footSize)
		x := left + width - one - p.measure(s)
		if i%2 == 0 {
			x = left + one
		}
		if err := p.text(x, bottom+7*mm-footSize/2, s, 0); err != nil {
			return err
		}
	}
	return nil
}

// titleLines breaks a title into the fewest lines no wider than w, choosing
// among the breaks that keep 避头尾 and tokens whole those that balance the
// lines (GB/T 9704 7.3.1: 梯形或菱形) and fall between words: after 的, 、
// or a closing mark, before 关于 or a conjunction, at the end of a known word.
func (p *pen) titleLines(title string, w float64) []string {
	as := atoms(title)
	ws := make([]float64, len(as))
	total := 0.0
	for i, a := range as {
		ws[i] = p.measure(a)
		total += ws[i]
	}
	if total <= w || len(as) < 2 {
		return []string{strings.ReplaceAll(title, soft, "")}
	}
	starts := wordStarts(as)
	depth := make([]int, len(as)+1) // inside 《》 before atom i
	for i, a := range as {
		depth[i+1] = depth[i] + strings.Count(a, "《") - strings.Count(a, "》")
	}
	// cost of a break before atom i
	cost := func(i int) float64 {
		c := 0.0
		if depth[i] > 0 {
			c = 2.5 // inside a book title
		}
		return c + boundary(as, starts, i)
	}
	return p.balance(as, ws, w, cost)
}

// boundary is the cost of breaking a title before atom i.
func boundary(as []string, starts map[int]bool, i int) float64 {
	prev, next := as[i-1], as[i]
	switch {
	case next == "的" || next == "之":
		return 5
	case strings.HasSuffix(prev, "的") || strings.HasSuffix(prev, "、") || closing(last(prev)):
		return 0
	case strings.HasPrefix(strings.Join(as[i:], ""), "关于"), next == "和" || next == "与" || next == "及" || next == "暨":
		return 0.2
	case starts[i]:
		return 0.4
	case !han(prev) || !han(next):
		return 0.5
	}
	return 3 // inside a known word
}

// balance chooses the breaks of atoms as (widths ws) into lines no wider
// than w: the fewest lines, or one more when that saves a bad break, with
// the least cost of breaks and imbalance.
func (p *pen) balance(as []string, ws []float64, w float64, cost func(i int) float64) []string {
	// search is the best way into exactly k lines, nil when none fits.
	search := func(k int) ([]int, float64) {
		var best []int
		bestCost := 1e18
		var try func(from int, breaks []int, k int)
		try = func(from int, breaks []int, k int) {
			if k == 1 {
				bs := append(append([]int(nil), breaks...), len(as))
				c, lo, hi, prev := 0.0, 1e18, 0.0, 0
				for _, b := range bs {
					lw := 0.0
					for _, x := range ws[prev:b] {
						lw += x
					}
					if lw > w {
						return
					}
					lo, hi = min(lo, lw), max(hi, lw)
					if prev > 0 {
						c += cost(prev)
					}
					prev = b
				}
				c += 6 * ((hi - lo) / w) * ((hi - lo) / w)
				if c < bestCost {
					best, bestCost = bs, c
				}
				return
			}
			lw := 0.0
			for i := from; i < len(as)-1; i++ {
				lw += ws[i]
				if lw > w {
					break
				}
				try(i+1, append(breaks, i+1), k-1)
			}
		}
		try(0, nil, k)
		return best, bestCost
	}
	var best []int
	for k := 2; k <= 6; k++ {
		b, c := search(k)
		if b == nil {
			continue
		}
		best = b
		// one line more, when it saves a bad break
		if b2, c2 := search(k + 1); b2 != nil && c2+1.5 < c {
			best = b2
		}
		break
	}
	if best == nil {
		return p.wrap(strings.Join(as, ""), w)
	}
	var out []string
	prev := 0
	for _, b := range best {
		out = append(out, strings.ReplaceAll(strings.Join(as[prev:b], ""), soft, ""))
		prev = b
	}
	return out
}

// titleWords are words a writ's title is made of; a break at their ends is
// a break between words.
var titleWords = []string{
	"关于", "督促", "落实", "加强", "开展", "做好", "进一步", "年度", "全区", "全市", "全县", "安全生产", "安全", "生产",
	"工作要点", "工作", "要点", "有关", "任务", "事项", "情况", "隐患", "事故隐患", "重大", "一般", "排查", "治理",
	"挂牌", "督办", "通知书", "通知", "通报", "提醒函", "交办单", "整改", "专项", "整治", "检查", "执法", "责令",
	"限期", "指令书", "企业", "单位", "部门", "季度", "上半年", "下半年", "第一", "第二", "第三", "第四",
	"危险化学品", "化学品", "危险源", "重大危险源", "城镇燃气", "燃气", "责任制", "包保", "逾期", "未完成", "完成",
	"排查治理", "隐患排查治理", "专项整治", "应急管理", "监督管理", "执法检查", "有限空间", "消防", "建筑施工",
}

// wordStarts marks the atoms that begin a word: after a known word matched
// greedily from the left, and at every change between Chinese and other text.
func wordStarts(as []string) map[int]bool {
	out := map[int]bool{}
	for i := 0; i < len(as); {
		n := 1
		for _, w := range titleWords {
			k := len([]rune(w))
			if i+k <= len(as) && strings.Join(as[i:i+k], "") == w && k > n {
				n = k
			}
		}
		out[i] = true
		i += n
	}
	return out
}

// ChineseDate prints an ISO date (2026-11-23) as 2026年11月23日.
func ChineseDate(iso string) string {
	var y, m, d int
	if _, err := fmt.Sscanf(iso, "%d-%d-%d", &y, &m, &d); err != nil {
		return iso
	}
	return fmt.Sprintf("%d年%d月%d日", y, m, d)
}
