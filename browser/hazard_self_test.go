package browser_test

import (
	"image/color"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"anwei/internal/docs"
)

// wider reports whether the page is wider than the viewport (anything but
// a table scrolling in its own box pushes the document out).
func (p page) wider() bool {
	p.t.Helper()
	w, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if err != nil {
		p.t.Fatal(err)
	}
	return w
}

// TestBrowserEnterpriseFixesAtOnce: on a phone, the enterprise reports a
// general hazard it found and fixed on the spot (即查即改), with photos
// before and after, in one step: the hazard is closed, and the list and
// the 台账 mark it 即查即改.
func TestBrowserEnterpriseFixesAtOnce(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("enterprise")
	p.do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(p.base+"/hazards/new"), chromedp.WaitVisible(css(`#handling`)),
		chromedp.Click(css(`#handling input[value=fix]`)), chromedp.WaitVisible(css(`#hazard-form input[name=after_files]`)))
	if shown, _ := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`document.querySelector('#hazard-form input[name=deadline]').offsetParent !== null`)); shown {
		t.Error("a 即查即改 is asked for a deadline")
	}
	p.do(chromedp.SendKeys(css(`#hazard-form input[name=place]`), "机修车间"),
		chromedp.SendKeys(css(`#hazard-form textarea[name=description]`), "砂轮机防护罩缺失"),
		chromedp.SendKeys(css(`#hazard-form textarea[name=measures]`), "已加装防护罩并调整托架间隙"),
		chromedp.SetUploadFiles(css(`#hazard-form input[name=files]`), []string{photo(t, "砂轮机.png", color.RGBA{200, 40, 0, 255})}),
		chromedp.SetUploadFiles(css(`#hazard-form input[name=after_files]`), []string{photo(t, "加装防护罩.png", color.RGBA{0, 160, 60, 255})}))
	if p.wider() {
		t.Error("the report form is wider than the phone")
	}
	p.shot("60-hazard-fix-form-phone.jpg")
	p.do(chromedp.Click(css(`#hazard-form button.primary`)), chromedp.WaitVisible(css(`#hazard-state`)))
	if st, how := p.text(`#hazard-state`), p.text(`#hazard-handling`); !strings.Contains(st, "已销号") || how != "即查即改" {
		t.Fatalf("after the fix: %q, %q (%s)", st, how, p.text(`main`))
	}
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#photos img').length`)); n != 2 {
		t.Errorf("photos before and after: %d", n)
	}
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#hazard-actions form').length`)); n != 0 {
		t.Errorf("%d steps left on a fixed hazard", n)
	}
	number := p.text(`h1 .mono`)
	if fl := p.text(`.flash`); !strings.Contains(fl, "即查即改并销号") {
		t.Errorf("flash: %q", fl)
	}
	p.shot("61-hazard-fixed-phone.jpg")
	p.do(chromedp.Navigate(p.base+"/hazards?handling=fix"), chromedp.WaitVisible(css(`#hazards`)))
	if rows := p.text(`#hazards tbody`); !strings.Contains(rows, number) || !strings.Contains(rows, "即查即改") {
		t.Errorf("the list of fixed hazards: %q", rows)
	}
	// The 台账 the department exports marks it.
	sheet := filepath.Join(t.TempDir(), "台账.xlsx")
	if err := os.WriteFile(sheet, download(t, p.base, "member", "/hazards/ledger.xlsx"), 0o644); err != nil {
		t.Fatal(err)
	}
	rows, err := docs.Open(docs.File{Name: "台账.xlsx", Path: sheet}, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	head := rows.Header()
	found := false
	for {
		_, r, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if r[0] == number {
			found = true
			if head[len(head)-1] != "整改方式" || r[len(r)-1] != "即查即改" {
				t.Errorf("ledger: %q %q", head[len(head)-1], r[len(r)-1])
			}
		}
	}
	if !found {
		t.Errorf("%s not in the department's ledger", number)
	}
}

// TestBrowserJudgePickerFitsThePhone: the street judges a hazard of a 危化
// enterprise on a phone: the 判定标准 picker offers the 危化 standard's
// items first, the others folded, filters as one types, and the page is
// never wider than the phone.
func TestBrowserJudgePickerFitsThePhone(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("street")
	p.do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(p.base+"/hazards/new"), chromedp.WaitVisible(css(`#hazard-form`)),
		chromedp.SendKeys(css(`#hazard-form input[name=enterprise_name]`), "济南泺口精细化工有限公司"),
		chromedp.SendKeys(css(`#hazard-form input[name=place]`), "液氯储罐区"),
		chromedp.SendKeys(css(`#hazard-form textarea[name=description]`), "储罐未设置紧急切断装置"),
		chromedp.Click(css(`#hazard-form button.primary`)), chromedp.WaitVisible(css(`#act-judge [data-crit-picker]`)))
	if p.wider() {
		t.Error("the judge form is wider than the phone")
	}
	visible := func() []string {
		t.Helper()
		keys, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]string](
			`[...document.querySelectorAll('#act-judge [data-crit]')].filter(l => l.checkVisibility()).map(l => l.querySelector('input').value)`))
		if err != nil {
			t.Fatal(err)
		}
		return keys
	}
	first := visible()
	for _, k := range first {
		if !strings.HasPrefix(k, "hg121-") && !strings.HasPrefix(k, "gm10-3-") {
			t.Errorf("a 危化 enterprise with 有限空间 is offered %s unasked", k)
		}
	}
	if len(first) != 23 {
		t.Errorf("%d items offered first, want the 20 of the 危化 standard and 3 of 工贸 management", len(first))
	}
	p.do(chromedp.SendKeys(css(`#act-judge [data-crit-filter]`), "紧急切断"))
	found := visible()
	if len(found) == 0 || len(found) >= len(first) {
		t.Fatalf("filtered to %d of %d", len(found), len(first))
	}
	if text := p.text(`#act-judge .crit-list`); !strings.Contains(text, "紧急切断") {
		t.Errorf("filtered list: %q", text)
	}
	if p.wider() {
		t.Error("the filtered picker is wider than the phone")
	}
	p.shot("62-hazard-judge-picker-phone.jpg")
	// The other standards stay within reach: typing a word of another
	// standard finds its items.
	p.js(`(() => { const b = document.querySelector('#act-judge [data-crit-filter]'); b.value = '烟花'; b.dispatchEvent(new Event('input', {bubbles: true})) })()`)
	if others := visible(); len(others) == 0 || !strings.HasPrefix(others[0], "yh121-") {
		t.Errorf("another standard's items: %v", others)
	}
	p.js(`(() => { const b = document.querySelector('#act-judge [data-crit-filter]'); b.value = '紧急切断'; b.dispatchEvent(new Event('input', {bubbles: true})) })()`)
	p.do(chromedp.SetValue(css(`#act-judge select[name=level]`), "major"),
		chromedp.Click(css(`#act-judge input[name=criterion][value="`+found[0]+`"]`)))
	p.act("judge", "已判定")
	if f := p.text(`#hazard-facts`); !strings.Contains(f, "重大") || !strings.Contains(f, "化工和危险化学品") {
		t.Errorf("judged: %q", f)
	}
}
