package docs

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"anwei/internal/apperr"
)

// part is a piece of text a document prints, and where it is, for the
// message that refuses it.
type part struct {
	field string // the document's field, for apperr: title, body …
	where string // in Chinese: 标题, 正文第2段, 表“…”第3行“企业”栏 …
	text  string
}

// unprintable is nil when every character of the parts prints in an
// embedded face, else an apperr.Invalid naming each character no face has
// (and its code point) and where it is, so that a writ is refused rather
// than printed with a blank in a name (REGULATIONS.md §14.8). Fonts whose
// Extension B coverage would answer 𠮷 are tens of megabytes: such a name
// is refused here and has to be written otherwise.
func unprintable(parts []part) error {
	if err := loadFaces(); err != nil {
		return err
	}
	for _, pt := range parts {
		// Broken UTF-8 would print as U+FFFD, which the faces have: a
		// character silently lost, as the .docx writer refuses it too.
		if !utf8.ValidString(pt.text) {
			return apperr.Field(pt.field, "无法生成 PDF："+pt.where+"中有无法识别的字节 (非 UTF-8)，请重新输入这些文字后重试。")
		}
	}
	var bad []string
	field := ""
	for _, pt := range parts {
		_, missing := shape(pt.text)
		if len(missing) == 0 {
			continue
		}
		if field == "" {
			field = pt.field
		}
		if len(bad) == 3 {
			bad[2] += "等处"
			break
		}
		var chars []string
		for i, r := range missing {
			if i == 5 {
				chars[i-1] += "等"
				break
			}
			chars = append(chars, fmt.Sprintf("“%c”（U+%04X）", r, r))
		}
		bad = append(bad, fmt.Sprintf("%s（%s）中的%s", pt.where, excerpt(pt.text, missing[0]), strings.Join(chars, "、")))
	}
	if bad == nil {
		return nil
	}
	return apperr.Field(field, "无法生成 PDF："+strings.Join(bad, "；")+
		"没有可用的字体字形，印出来会是空白。请修改这些文字（如改用通用规范汉字）后重试，或联系管理员。")
}

// excerpt is the text around the first occurrence of r, quoted, with each
// control character (and U+FFFE, U+FFFF) shown as □: the message names
// its code point, and a NUL or a bell in an error message would break
// what shows it.
func excerpt(text string, r rune) string {
	rs := []rune(strings.Join(strings.Fields(text), " "))
	shown := make([]rune, len(rs))
	for i, x := range rs {
		shown[i] = x
		if unicode.IsControl(x) || x == 0xFFFE || x == 0xFFFF {
			shown[i] = '□'
		}
	}
	at := 0
	for i, x := range rs {
		if x == r {
			at = i
			break
		}
	}
	from, to := max(0, at-8), min(len(rs), at+9)
	s := "“" + string(shown[from:to]) + "”"
	if from > 0 {
		s = "“…" + s[len("“"):]
	}
	if to < len(rs) {
		s = s[:len(s)-len("”")] + "…”"
	}
	return s
}

// Check refuses, before anything is numbered or drawn, a letter with a
// character no embedded face prints (the error PDF would give): a service
// that gives a letter a gap-free 文号 checks it in the numbering
// transaction, so a number never goes to a letter that cannot be printed.
func (l Letter) Check() error {
	ps := []part{
		{"issuer", "发文机关", l.Issuer}, {"doc_number", "发文字号", l.DocNumber}, {"title", "标题", l.Title},
		{"addressee", "主送机关", l.Addressee},
	}
	for i, b := range l.Body {
		ps = append(ps, part{"body", fmt.Sprintf("正文第%d段", i+1), b})
	}
	for i, it := range l.Items {
		ps = append(ps, part{"items", fmt.Sprintf("第%d项", i+1), it})
	}
	for _, t := range l.Tables {
		ps = append(ps, t.parts()...)
	}
	for i, c := range l.Closing {
		ps = append(ps, part{"closing", fmt.Sprintf("正文末第%d段", i+1), c})
	}
	ps = append(ps, part{"signature", "署名", l.Signature}, part{"date", "成文日期", l.Date}, part{"note", "附注", l.Note})
	for i, c := range l.CopyTo {
		ps = append(ps, part{"copy_to", fmt.Sprintf("抄送机关第%d个", i+1), c})
	}
	ps = append(ps, part{"printed_by", "印发机关", l.PrintedBy}, part{"printed_date", "印发日期", l.PrintedDate},
		part{"contact", "联系人", l.Contact}, part{"phone", "联系电话", l.Phone})
	return unprintable(ps)
}

// parts are what table prints: nothing without a header, and no cell
// beyond the header's columns.
func (t Table) parts() []part {
	if len(t.Header) == 0 {
		return nil
	}
	name := "表"
	if t.Caption != "" {
		name = "表“" + t.Caption + "”"
	}
	ps := []part{{"tables", "表题", t.Caption}}
	for i, h := range t.Header {
		ps = append(ps, part{"tables", fmt.Sprintf("%s第%d列表头", name, i+1), h})
	}
	for i, r := range t.Rows {
		for j, c := range r[:min(len(r), len(t.Header))] {
			ps = append(ps, part{"tables", fmt.Sprintf("%s第%d行“%s”栏", name, i+1, t.Header[j]), c})
		}
	}
	return ps
}

func (c Card) check() error {
	ps := []part{{"title", "标题", c.Title}, {"banner", "横幅", c.Banner}}
	for _, r := range c.Rows {
		ps = append(ps, part{"rows", "“" + r[0] + "”栏名", r[0]}, part{"rows", "“" + r[0] + "”栏", r[1]})
	}
	ps = append(ps, part{"footer", "页脚", c.Footer})
	return unprintable(ps)
}
