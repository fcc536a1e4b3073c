package docs

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/signintech/gopdf"
)

// The golden writ test (issue 15): every writ the platform issues is
// rendered with long, realistic content and its text layer is checked for
// what a clerk would send back: a line that begins with a closing mark or
// ends with an opening one, a signature alone on its page, a token split
// across lines in a table cell, a table header stranded at a page's foot or
// missing on a page its rows continue to, a page without its number, a 版记
// not on the last page. A new writ joins by adding itself to goldenWrits.
// With ANWEI_ARTIFACTS set, each writ is written there as PDF and, where
// pdftoppm is installed, as PNG pages for a person to look at.

// goldenWrit is one writ: its PDF, and what its text layer must show.
type goldenWrit struct {
	name   string
	pdf    func() ([]byte, error)
	date   string   // the 成文日期 line: its page must carry body text
	signs  string   // a form's first signature box (the start of its line): its page must carry body text
	tokens []string // printed whole on one line each
	header string   // a table header's first cells, repeated on each page of its rows
	rowKey string   // text every row of that table has (a hazard number prefix)
	foot   []string // the 版记, on the last page
}

const (
	office  = "济南市天桥区安全生产委员会办公室"
	emerg   = "济南市天桥区应急管理局"
	longReq = "企业要立即停止储罐区动火作业，对液氯储罐区可燃有毒气体检测报警装置开展全面检测，逐台校验，确保报警值设定符合GB/T 50493-2019的要求；" +
		"对紧急切断阀进行功能测试，完善SIS联锁回路；整改期间落实专人24小时值守，每2小时巡检1次并记录。"
)

func goldenLetters() []goldenWrit {
	var items []string
	for i := 1; i <= 14; i++ {
		items = append(items, fmt.Sprintf("开展城镇燃气安全专项整治（事项%d），对辖区内餐饮场所燃气管道、阀门、报警器逐户检查，每季度至少检查1次，形成“一户一档”（第%d季度，应于2026年%d月30日前完成）", i, i%4+1, i%12+1))
	}
	remind := Letter{Issuer: office, DocNumber: "天安办提〔2026〕3号", Title: "关于督促落实2026年全区安全生产工作要点有关任务的提醒函",
		Addressee: "区住房城乡建设局、区城市管理局、区市场监管局、泺口街道办事处、北园街道办事处",
		Body: []string{"根据《2026年全区安全生产工作要点》（天安发〔2026〕1号）分工，截至2026年11月23日，你单位牵头的以下任务已逾期未报送进展，" +
			"现予提醒。请对照任务分工，逐项明确责任人和完成时限，于2026年11月30日前将落实情况书面报送区安委办；确有困难不能按期完成的，说明原因和下一步措施。"},
		Items: items,
		Closing: []string{"逾期仍未报送的，区安委办将按照《天桥区安全生产工作考核办法》予以通报，并在年度考核中扣分。",
			"特此提醒。"},
		Signature: office, Date: "2026年11月23日", Note: "请于2026年11月30日前书面回复",
		CopyTo: []string{"区政府办公室", "区应急管理局"}, PrintedBy: office, PrintedDate: "2026年11月23日",
		Contact: "王晓梅", Phone: "0531-85901234"}

	assign := remind
	assign.DocNumber, assign.Title = "天安办交〔2026〕7号", "关于交办城镇燃气安全专项整治有关任务的交办单"
	assign.Body = []string{"经区安委会同意，现将城镇燃气安全专项整治有关任务交由你单位牵头办理。请于收到本交办单之日起5个工作日内制定工作方案，" +
		"明确责任科室和责任人，按月报送进展（YH370105-2026-000123号隐患一并整改），办结后书面报告区安委办。"}
	assign.Items = items[:9]
	assign.Closing = []string{"特此交办。"}

	press := remind
	press.DocNumber, press.Title = "天安办督〔2026〕12号", "关于城镇燃气安全专项整治任务逾期未完成的督办通知书"
	press.Body = []string{"你单位牵头的城镇燃气安全专项整治任务经两次提醒（天安办提〔2026〕3号、天安办提〔2026〕5号）仍未完成，" +
		"已严重影响全区工作进度。根据《天桥区安全生产工作督办办法》第八条，现予督办，请你单位主要负责同志亲自过问，倒排工期，限期完成。"}
	press.Items = items[:11]
	press.Closing = nil

	listing := Letter{Issuer: emerg, DocNumber: "天应急督〔2026〕18号", Title: "重大事故隐患挂牌督办通知书", Addressee: "济南泺口精细化工有限公司",
		Body: []string{"你单位液氯储罐区存在“可燃有毒气体检测报警装置未按规定设置、紧急切断装置失效”（隐患编号YH370105-2026-000001），" +
			"依据《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》第十一条，判定为重大事故隐患。根据《中华人民共和国安全生产法》第四十一条和本级重大事故隐患挂牌督办有关规定，决定对该隐患实行区级挂牌督办。"},
		Items: []string{"整改期限：2026年12月31日前完成整改。", "督办要求：" + longReq + longReq,
			"整改完成后，向" + emerg + "提交整改报告，经复查合格后销号；逾期未完成的，依法从重处理。"},
		Signature: emerg, Date: "2026年11月23日",
		CopyTo: []string{"济南市天桥区人民政府泺口街道办事处", "区工业和信息化局", "济南市应急管理局"}, PrintedBy: "济南市天桥区应急管理局办公室", PrintedDate: "2026年11月23日",
		Contact: "李强", Phone: "0531-85901288"}
	// a body long enough that the signature would fall alone on a new page
	listing.Body = append(listing.Body, strings.Repeat("企业要严格落实主体责任，主要负责人对隐患整改负总责。", 7))

	bulletin := Letter{Issuer: office, DocNumber: "天安办通〔2026〕4号", Title: "关于2026年第三季度全区隐患排查治理情况的通报",
		Addressee: "各街道办事处，区安委会各成员单位",
		Body: []string{"2026年第三季度，全区共排查上报事故隐患1286项，其中重大事故隐患23项；同期完成整改销号1174项，其中重大事故隐患19项。截至2026年9月30日，逾期未整改隐患37项，尚未销号的重大事故隐患4项。",
			"现将有关情况通报如下。", "一、总体情况",
			"全区重大事故隐患整改率82.6%，较上季度提高6.1个百分点；化工、燃气两个领域的逾期隐患占全部逾期隐患的七成。"},
		Closing:   []string{"各单位要对照通报情况，压实企业主体责任和部门监管责任，对逾期未整改的隐患逐项督办，对重大事故隐患实行“一单四制”管理，确保按期整改销号、动态清零。"},
		Signature: office, Date: "2026年10月9日", CopyTo: []string{"区委办公室", "区政府办公室"}, PrintedBy: office, PrintedDate: "2026年10月9日",
		Contact: "王晓梅", Phone: "0531-85901234"}
	byRegion := Table{Caption: "二、按属地统计", Header: []string{"单位/领域", "新增", "其中重大", "销号", "逾期", "重大未销号"}, Widths: []float64{3, 1, 1, 1, 1, 1.3}}
	for _, s := range []string{"泺口街道", "北园街道", "工人新村北村街道", "工人新村南村街道", "天桥东街街道", "无影山街道", "制锦市街道", "宝华街道", "官扎营街道", "纬北路街道", "药山街道", "大桥街道", "桑梓店街道", "济南新材料产业园区"} {
		byRegion.Rows = append(byRegion.Rows, []string{s, "96", "2", "88", "3", "1"})
	}
	majors := Table{Caption: "三、尚未销号的重大事故隐患", Header: []string{"隐患编号", "企业", "隐患", "整改期限", "督办"}, Widths: []float64{2.2, 2.2, 3, 1.4, 2}}
	var tokens []string
	for i := 1; i <= 26; i++ {
		n := fmt.Sprintf("YH370105-2026-%06d", i)
		tokens = append(tokens, n, fmt.Sprintf("天应急督〔2026〕%d号", i))
		majors.Rows = append(majors.Rows, []string{n, "济南泺口精细化工有限公司", "液氯储罐区：可燃有毒气体检测报警装置未按规定设置，紧急切断装置失效", "2026-12-31（逾期）",
			fmt.Sprintf("区级挂牌 天应急督〔2026〕%d号", i)})
	}
	bulletin.Tables = []Table{byRegion, majors}

	return []goldenWrit{
		{name: "writ-reminder", pdf: remind.PDF, date: remind.Date, tokens: []string{"天安办提〔2026〕3号", "0531-85901234"}, foot: []string{"抄送：", "印发"}},
		{name: "writ-assignment", pdf: assign.PDF, date: assign.Date, tokens: []string{"YH370105-2026-000123"}, foot: []string{"抄送：", "印发"}},
		{name: "writ-supervision", pdf: press.PDF, date: press.Date, tokens: []string{"天安办提〔2026〕3号", "天安办提〔2026〕5号"}, foot: []string{"抄送：", "印发"}},
		{name: "writ-listing", pdf: listing.PDF, date: listing.Date, tokens: []string{"YH370105-2026-000001", "GB/T"}, foot: []string{"抄送：", "印发"}},
		{name: "writ-bulletin", pdf: bulletin.PDF, date: bulletin.Date, tokens: tokens, header: "隐患编号企业", rowKey: "YH370105-2026-", foot: []string{"抄送：", "印发"}},
		{name: "writ-order", pdf: sampleOrder().PDF, signs: "执法人员（签名）", tokens: []string{"YH370105-2026-000001", "(天)应急责改〔2026〕18号"}},
	}
}

// sampleOrder is a 责令限期整改指令书 (FamilyForm) with one drawn signature.
func sampleOrder() Form {
	sig := image.NewRGBA(image.Rect(0, 0, 240, 80))
	for x := 10; x < 230; x++ {
		y := 40 + int(20*float64((x%60)-30)/30)
		sig.Set(x, y, color.RGBA{0, 0, 0, 255})
		sig.Set(x, y+1, color.RGBA{0, 0, 0, 255})
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, sig)
	return Form{Issuer: emerg, Title: "责令限期整改指令书", DocNumber: "(天)应急责改〔2026〕18号",
		Fields: []Field{
			{Label: "被检查单位", Value: []string{"济南泺口精细化工有限公司"}},
			{Label: "地址", Value: []string{"济南市天桥区泺口街道化工路18号"}},
			{Label: "检查时间", Value: []string{"2026年11月20日9时30分至11时45分"}},
			{Label: "存在问题", Value: []string{"1．液氯储罐区可燃有毒气体检测报警装置未按规定设置（隐患编号YH370105-2026-000001）；",
				"2．紧急切断装置失效，SIS联锁回路未投用；", "3．" + longReq}},
			{Label: "整改期限", Value: []string{"2026年12月31日前整改完毕，达到有关法律法规规章和标准规定的要求。"}},
			{Label: "整改要求", Value: []string{"整改期间采取可靠的安全防范措施，整改完成后向本局书面报告整改情况。"}},
		},
		Basis: "依据《中华人民共和国安全生产法》第六十五条第一款第三项的规定，现责令你单位于2026年12月31日前整改完毕。" +
			"如果不服本指令，可以依法在60日内向济南市天桥区人民政府申请行政复议，或者在6个月内依法向济南铁路运输法院提起行政诉讼，但本指令不停止执行，法律另有规定的除外。",
		Signers: []Signer{
			{Role: "执法人员", Name: "张建国", Certificate: "37010520230018", Image: buf.Bytes(), Date: "2026年11月20日"},
			{Role: "执法人员", Name: "刘晓燕", Certificate: "37010520230027"},
			{Role: "被检查单位负责人", Name: "赵明"},
		},
		Receipt: true, Party: "济南泺口精细化工有限公司"}
}

func TestGoldenWrits(t *testing.T) {
	start := time.Now()
	dir := os.Getenv("ANWEI_ARTIFACTS")
	for _, w := range goldenLetters() {
		b, err := w.pdf()
		if err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		got := readPDF(t, b)
		for _, msg := range checkWrit(w, got) {
			t.Errorf("%s: %s", w.name, msg)
		}
		if dir != "" {
			p := filepath.Join(dir, w.name+".pdf")
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := exec.LookPath("pdftoppm"); err == nil {
				if out, err := exec.Command("pdftoppm", "-r", "72", "-png", p, strings.TrimSuffix(p, ".pdf")).CombinedOutput(); err != nil {
					t.Errorf("pdftoppm: %v %s", err, out)
				}
			} else {
				t.Log("pdftoppm not installed: no PNG")
			}
		}
	}
	t.Logf("rendered and checked in %v", time.Since(start))
}

// Closing marks that may not begin a line, opening marks that may not end one.
const (
	badStart = "。，、；：？！）」』》〉〕】〗”’"
	badEnd   = "（「『《〈〔【〖“‘"
)

// checkWrit is what the golden test asks of a writ's text layer.
func checkWrit(w goldenWrit, got printed) []string {
	var bad []string
	n := len(got.pages)
	for i, lines := range got.pages {
		page := i + 1
		// page numbers, at the foot
		want := fmt.Sprintf("— %d —", page)
		if len(lines) == 0 || lines[len(lines)-1].text != want {
			bad = append(bad, fmt.Sprintf("page %d: no page number %q at its foot", page, want))
		}
		for _, l := range lines {
			rs := []rune(strings.TrimLeft(l.text, "　 "))
			if len(rs) == 0 {
				continue
			}
			if strings.ContainsRune(badStart, rs[0]) {
				bad = append(bad, fmt.Sprintf("page %d: line starts with %q: %s", page, rs[0], l.text))
			}
			if strings.ContainsRune(badEnd, rs[len(rs)-1]) {
				bad = append(bad, fmt.Sprintf("page %d: line ends with %q: %s", page, rs[len(rs)-1], l.text))
			}
		}
		// the table header repeats on each page its rows continue to, and
		// is never the last line of a page
		if w.header != "" {
			hasRow, hasHead, headLast := false, false, false
			for j, l := range lines {
				if strings.HasPrefix(l.text, w.header) {
					hasHead = true
					headLast = j+1 >= len(lines)-1 || !strings.Contains(lines[j+1].text, w.rowKey)
				}
				if strings.Contains(l.text, w.rowKey) {
					hasRow = true
				}
			}
			if hasRow && !hasHead {
				bad = append(bad, fmt.Sprintf("page %d: table rows without the header", page))
			}
			if headLast {
				bad = append(bad, fmt.Sprintf("page %d: table header without a row under it", page))
			}
		}
	}
	all := []string{}
	for _, lines := range got.pages {
		for _, l := range lines {
			all = append(all, l.text)
		}
	}
	for _, tok := range w.tokens {
		found := false
		for _, l := range all {
			if strings.Contains(l, tok) {
				found = true
			}
		}
		if !found {
			bad = append(bad, fmt.Sprintf("%q is not printed whole on one line", tok))
		}
	}
	if w.date != "" {
		for i, lines := range got.pages {
			k := -1
			for j, l := range lines {
				if l.text == w.date {
					k = j
				}
			}
			if k < 0 {
				continue
			}
			// lines above the signature (the line before the date) are body text
			if k < 2 {
				bad = append(bad, fmt.Sprintf("page %d: the signature and date are alone on their page", i+1))
			}
		}
	}
	if w.signs != "" {
		found := false
		for i, lines := range got.pages {
			for j, l := range lines {
				if strings.HasPrefix(l.text, w.signs) {
					found = true
					if j == 0 {
						bad = append(bad, fmt.Sprintf("page %d: the signature boxes are alone on their page", i+1))
					}
				}
			}
		}
		if !found {
			bad = append(bad, "no signature boxes")
		}
	}
	if len(w.foot) > 0 && n > 0 {
		last := got.pages[n-1]
		for _, f := range w.foot {
			found := false
			for _, l := range last {
				if strings.Contains(l.text, f) {
					found = true
				}
			}
			if !found {
				bad = append(bad, fmt.Sprintf("版记 %q not on the last page", f))
			}
		}
	}
	if n < 2 {
		bad = append(bad, fmt.Sprintf("%d page: the content should need more than one", n))
	}
	return bad
}

// The signature falls at every place of a page in turn: a body one
// sentence longer each time moves it down a line or so, across a page
// boundary; never may it stand alone on its page.
func TestSignatureNeverAlone(t *testing.T) {
	for n := 0; n < 14; n++ {
		l := Letter{Issuer: emerg, DocNumber: "天应急督〔2026〕18号", Title: "重大事故隐患挂牌督办通知书", Addressee: "济南泺口精细化工有限公司",
			Body:      []string{strings.Repeat("企业要严格落实主体责任，主要负责人对隐患整改负总责，", 1+n)},
			Signature: emerg, Date: "2026年11月23日", Contact: "李强", Phone: "0531-85901288"}
		b, err := l.PDF()
		if err != nil {
			t.Fatal(err)
		}
		w := goldenWrit{name: fmt.Sprintf("督办通知书+%d", n), date: l.Date}
		got := readPDF(t, b)
		for _, msg := range checkWrit(w, got) {
			if !strings.Contains(msg, "more than one") {
				t.Errorf("%s: %s", w.name, msg)
			}
		}
	}
}

// Titles break between words, outside 《》 where they can, never inside a
// number with its unit, in balanced lines (GB/T 9704 7.3.1).
func TestTitleLines(t *testing.T) {
	p, err := newPen(gopdf.PdfInfo{})
	if err != nil {
		t.Fatal(err)
	}
	p.set(styleTitle, titleSize)
	for title, want := range map[string]string{
		"关于督促落实《安全生产工作要点》有关任务的交办单":            "关于督促落实《安全生产工作要点》|有关任务的交办单",
		"关于城镇燃气安全专项整治任务逾期未完成的督办通知书":           "关于城镇燃气安全专项整治|任务逾期未完成的督办通知书",
		"关于督促落实2026年全区安全生产工作要点有关任务的提醒函":       "关于督促落实2026年全区安全生产|工作要点有关任务的提醒函",
		"关于2026年10月1日至2026年10月31日隐患排查治理情况的通报": "关于2026年10月1日至2026年|10月31日隐患排查治理情况的通报",
		"重大事故隐患挂牌督办通知书":                       "重大事故隐患挂牌督办通知书",
	} {
		if got := strings.Join(p.titleLines(title, width-2*titleSize), "|"); got != want {
			t.Errorf("%s: %s, want %s", title, got, want)
		}
	}
	got := p.titleLines("关于进一步加强危险化学品企业重大危险源安全包保责任制落实工作的通知", width-2*titleSize)
	for _, l := range got {
		if strings.HasSuffix(l, "重大") || strings.HasSuffix(l, "危险") {
			t.Errorf("a word broken: %q", got)
		}
	}
}
