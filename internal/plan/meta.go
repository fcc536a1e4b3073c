package plan

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	reTitle     = regexp.MustCompile(`《([^》]+)》`)
	reDocNumber = regexp.MustCompile(`[\p{Han}]{1,10}〔\d{4}〕\d{1,4}号`)
	reYear      = regexp.MustCompile(`(20\d\d|19\d\d)年`)
	reAnyYear   = regexp.MustCompile(`20\d\d`)
	reDateLine  = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(\d{1,2})日$`)
	reGarbled   = regexp.MustCompile(`^(\d{6,8})日?$`)
	reCoverNote = regexp.MustCompile(`^([\p{Han}]{2,30}?(?:委员会|人民政府|办公室|办公厅|管理厅|管理局))关于印发`)
	reIssuer    = regexp.MustCompile(`^[\p{Han}]{2,30}(?:委员会|人民政府|办公室|办公厅|管理厅|管理局)$`)
	reReportDue = regexp.MustCompile(`(\d{4}年)?(\d{1,2}月)?(\d{1,2})日前|(\d{3,8})日前`)
)

// parseMeta reads title, year, issuer, 文号, date and report duties from the
// notice (the lines before the first item) and the whole text.
func parseMeta(p *Parsed, notice []string, noticeText, all string, year int) {
	for _, l := range notice {
		if m := reTitle.FindStringSubmatch(l); m != nil {
			p.Title = strings.TrimSpace(m[1])
			break
		}
	}
	if p.Title == "" && len(notice) > 0 {
		p.Title = strings.TrimSpace(notice[0])
	}
	if m := reDocNumber.FindString(noticeText); m != "" {
		p.DocNumber = &m
	}
	// The signature: an issuing body's name on its own line, the date on the next.
	for i := 0; i+1 < len(notice); i++ {
		date, ok := signatureDate(notice[i+1])
		if ok && reIssuer.MatchString(notice[i]) {
			issuer := notice[i]
			p.Issuer, p.Date = &issuer, &date
			break
		}
	}
	// No signature: the cover note's own title names who issues it
	// (××安全生产委员会关于印发《…》的通知).
	// (or the issuer on its own line above a 关于印发… title line), and a
	// date on a line of its own dates it.
	for i, l := range notice {
		if p.Issuer != nil {
			break
		}
		if m := reCoverNote.FindStringSubmatch(l); m != nil {
			issuer := m[1]
			p.Issuer = &issuer
		} else if strings.HasPrefix(l, "关于印发") && i > 0 && reIssuer.MatchString(notice[i-1]) {
			issuer := notice[i-1]
			p.Issuer = &issuer
		}
	}
	for _, l := range notice {
		if p.Date != nil {
			break
		}
		if date, ok := signatureDate(l); ok {
			p.Date = &date
		}
	}
	switch {
	case year > 0:
	case reYear.MatchString(p.Title):
		year, _ = strconv.Atoi(reYear.FindStringSubmatch(p.Title)[1])
	case p.Date != nil:
		year, _ = strconv.Atoi((*p.Date)[:4])
	default:
		if m := reAnyYear.FindString(all); m != "" {
			year, _ = strconv.Atoi(m)
		}
	}
	if year > 0 {
		p.Year = &year
	}
	p.Reports = reportsOf(noticeText, year)
}

func signatureDate(l string) (string, bool) {
	if m := reDateLine.FindStringSubmatch(l); m != nil {
		y, _ := strconv.Atoi(m[1])
		return validDate(y, m[2], m[3])
	}
	if m := reGarbled.FindStringSubmatch(l); m != nil {
		return garbledDate(m[1], 0)
	}
	return "", false
}

// reportsOf finds "于6月25日前和12月25日前分别将上半年和全年工作完成情况报送…".
func reportsOf(notice string, year int) []Report {
	out := []Report{}
	for _, sentence := range strings.FieldsFunc(notice, func(r rune) bool { return r == '。' || r == '\n' }) {
		if !strings.Contains(sentence, "报送") && !strings.Contains(sentence, "报告") {
			continue
		}
		var dues []string
		for _, m := range reReportDue.FindAllStringSubmatch(sentence, -1) {
			y := year
			if m[1] != "" {
				y, _ = strconv.Atoi(strings.TrimSuffix(m[1], "年"))
			}
			switch {
			case m[4] != "":
				if d, ok := garbledDate(m[4], y); ok {
					dues = append(dues, d)
				}
			case m[2] != "" && y > 0:
				if d, ok := validDate(y, strings.TrimSuffix(m[2], "月"), m[3]); ok {
					dues = append(dues, d)
				}
			}
		}
		if len(dues) == 0 {
			continue
		}
		whats := reportWhats(sentence, len(dues))
		for i, d := range dues {
			out = append(out, Report{Due: d, What: whats[i]})
		}
	}
	return out
}

// reportWhats names what each report is: "分别将上半年和全年工作完成情况" gives
// 上半年工作完成情况 and 全年工作完成情况.
func reportWhats(sentence string, n int) []string {
	what := ""
	if i := strings.LastIndex(sentence, "将"); i >= 0 {
		what = sentence[i+len("将"):]
		if j := strings.Index(what, "报"); j >= 0 {
			what = what[:j]
		}
	}
	parts := strings.Split(what, "和")
	out := make([]string, n)
	if len(parts) == n && n > 1 {
		last := parts[n-1]
		suffix := ""
		for _, k := range []string{"工作完成情况", "完成情况", "情况"} {
			if strings.HasSuffix(last, k) {
				suffix = k
				break
			}
		}
		for i, p := range parts {
			if !strings.HasSuffix(p, suffix) {
				p += suffix
			}
			out[i] = p
		}
		return out
	}
	for i := range out {
		out[i] = what
	}
	return out
}
