package browser_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"anwei/internal/calendar"
)

// photo writes a small real PNG for upload.
func photo(t *testing.T, name string, c color.RGBA) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := 0; x < 64; x++ {
		for y := 0; y < 48; y++ {
			img.Set(x, y, color.RGBA{c.R, c.G, uint8(y * 5), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// act submits one of the detail page's step forms and waits for the
// page to come back showing the new state.
func (p page) act(action string, want string) {
	p.t.Helper()
	p.js(`document.body.dataset.stale = '1'`) // the next page's body has no mark
	p.do(chromedp.Click(css(`#act-`+action+` button`)), chromedp.WaitVisible(css(`body:not([data-stale]) #hazard-state`)))
	if st := p.text(`#hazard-state`); !strings.Contains(st, want) {
		p.t.Fatalf("after %s: state %q, want %q (%s)", action, st, want, p.text(`main`))
	}
}

// TestBrowserHazardLifecycle: the enterprise reports a hazard with a
// photo; the street judges and assigns it; the enterprise starts and
// reports it rectified with a photo; the street's review fails once, then
// passes and the hazard is closed.
func TestBrowserHazardLifecycle(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	deadline := calendar.Local(time.Now()).AddDate(0, 0, 20).Format("2006-01-02")
	p.login("enterprise")
	p.do(chromedp.Navigate(p.base+"/hazards/new"), chromedp.WaitVisible(css(`#hazard-form`)),
		chromedp.SendKeys(css(`#hazard-form input[name=place]`), "原料仓库"),
		chromedp.SendKeys(css(`#hazard-form textarea[name=description]`), "仓库内电气线路私拉乱接"),
		chromedp.SendKeys(css(`#hazard-form textarea[name=measures]`), "拆除临时线路，穿管敷设"),
		chromedp.SetUploadFiles(css(`#hazard-form input[type=file]`), []string{photo(t, "仓库线路.png", color.RGBA{200, 40, 0, 255})}),
		chromedp.Click(css(`#hazard-form button.primary`)), chromedp.WaitVisible(css(`#hazard-state`)))
	if st := p.text(`#hazard-state`); !strings.Contains(st, "已上报") {
		t.Fatalf("reported: %q", st)
	}
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#photos img').length`)); n != 1 {
		t.Errorf("photos shown: %d", n)
	}
	if ok, _ := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`document.querySelector('#photos img').naturalWidth === 64`)); !ok {
		t.Error("the photo is not served as an image")
	}
	hazardURL, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil {
		t.Fatal(err)
	}
	p.shot("40-hazard-reported.jpg")
	if n, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#act-judge, #act-assign').length`)); err != nil || n != 0 {
		t.Errorf("the enterprise is offered to judge or assign its own hazard (%d, %v)", n, err)
	}
	p.logout()

	p.login("street")
	p.do(chromedp.Navigate(p.base+hazardURL), chromedp.WaitVisible(css(`#act-judge`)))
	p.act("judge", "已判定")
	p.js(`document.querySelector('#act-assign input[name=deadline]').value = '` + deadline + `'`)
	p.do(chromedp.SendKeys(css(`#act-assign input[name=writ]`), "泺口街责改〔2026〕7号"))
	p.act("assign", "已交办")
	p.shot("41-hazard-assigned.jpg")
	p.logout()

	p.login("enterprise")
	p.do(chromedp.Navigate(p.base+hazardURL), chromedp.WaitVisible(css(`#act-start`)))
	p.act("start", "整改中")
	p.do(chromedp.SendKeys(css(`#act-submit textarea[name=evidence]`), "已拆除临时线路，穿管敷设"),
		chromedp.SetUploadFiles(css(`#act-submit input[type=file]`), []string{photo(t, "整改后.png", color.RGBA{0, 160, 60, 255})}))
	p.act("submit", "已整改待复查")
	p.logout()

	p.login("street")
	p.do(chromedp.Navigate(p.base+hazardURL), chromedp.WaitVisible(css(`#act-fail`)))
	p.act("fail", "已整改待复查") // no reason: refused, nothing lost
	if e := p.text(`.flash.err`); !strings.Contains(e, "理由") {
		t.Errorf("fail without reason: %q", e)
	}
	p.do(chromedp.SendKeys(css(`#act-fail textarea[name=reason]`), "穿线管未固定，接线盒缺盖"))
	p.act("fail", "整改中")
	p.shot("42-hazard-review-failed.jpg")
	p.logout()

	p.login("enterprise")
	p.do(chromedp.Navigate(p.base+hazardURL), chromedp.WaitVisible(css(`#act-submit`)),
		chromedp.SendKeys(css(`#act-submit textarea[name=evidence]`), "线管已固定，接线盒加盖"))
	p.act("submit", "已整改待复查")
	p.logout()

	p.login("street")
	p.do(chromedp.Navigate(p.base+hazardURL), chromedp.WaitVisible(css(`#act-pass`)))
	p.act("pass", "已销号")
	hist := p.text(`#history`)
	for _, want := range []string{"上报", "判定", "交办", "开始整改", "报整改完成", "复查不通过", "穿线管未固定", "复查通过销号"} {
		if !strings.Contains(hist, want) {
			t.Errorf("history lacks %q: %q", want, hist)
		}
	}
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#photos figure').length`)); n != 2 {
		t.Errorf("photos after rectification: %d", n)
	}
	p.shot("43-hazard-closed.jpg")
}

// TestBrowserMajorHazardListed: the street reports a major hazard it
// found, the county office lists it for supervision and prints the
// 督办通知书, and the month's bulletin shows it on screen and as a PDF (a
// test of its own, on a deployment of its own, so that it runs beside the
// lifecycle instead of after it).
func TestBrowserMajorHazardListed(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	deadline := calendar.Local(time.Now()).AddDate(0, 0, 20).Format("2006-01-02")
	p.login("street")
	p.do(chromedp.Navigate(p.base+"/hazards/new"), chromedp.WaitVisible(css(`#hazard-form`)),
		chromedp.SendKeys(css(`#hazard-form input[name=enterprise_name]`), "济南泺口精细化工有限公司"),
		chromedp.SendKeys(css(`#hazard-form input[name=place]`), "液氯储罐区"),
		chromedp.SendKeys(css(`#hazard-form textarea[name=description]`), "有毒气体检测报警装置未按国家标准设置"),
		chromedp.Click(css(`#hazard-form button.primary`)), chromedp.WaitVisible(css(`#act-judge [data-crit-picker]`)),
		chromedp.SetValue(css(`#act-judge select[name=level]`), "major"),
		chromedp.Click(css(`#act-judge input[name=criterion][value="hg121-12"]`)))
	p.act("judge", "已判定")
	majorURL, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil {
		t.Fatal(err)
	}
	major := p.text(`h1 .mono`)
	if f := p.text(`#hazard-facts`); !strings.Contains(f, "第十二项") && !strings.Contains(f, "hg121") && !strings.Contains(f, "化工和危险化学品") {
		t.Errorf("criterion cited: %q", f)
	}
	p.js(`document.querySelector('#act-assign input[name=deadline]').value = '` + deadline + `'`)
	p.do(chromedp.SendKeys(css(`#act-assign input[name=writ]`), "泺口街责改〔2026〕8号"))
	p.act("assign", "已交办")
	p.logout()

	p.login("office")
	p.do(chromedp.Navigate(p.base+majorURL), chromedp.WaitVisible(css(`#list-form`)))
	p.js(`document.body.dataset.stale = '1'`)
	p.do(chromedp.Click(css(`#list-form button`)), chromedp.WaitVisible(css(`body:not([data-stale]) #listings`)))
	listing := p.text(`#listings`)
	if !strings.Contains(listing, "县级") || !strings.Contains(listing, "天安办督〔") {
		t.Fatalf("listing: %q", listing)
	}
	p.shot("44-hazard-listed.jpg")
	pdf := download(t, p.base, "office", strings.TrimPrefix(mustAttr(p, `#listings a`, "href"), p.base))
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatal("督办通知书 is not a PDF")
	}
	writeArtifact(t, p.dir, "44-listing-notice.pdf", pdf)
	p.do(chromedp.Navigate(p.base+"/hazards/bulletin"), chromedp.WaitVisible(css(`#bulletin-majors`)))
	if m := p.text(`#bulletin-majors`); !strings.Contains(m, major) || !strings.Contains(m, "县级挂牌") {
		t.Errorf("bulletin majors lack %s: %q", major, m)
	}
	if b := p.text(`#bulletin`); !strings.Contains(b, "排查上报事故隐患") {
		t.Errorf("bulletin: %q", b)
	}
	p.shot("45-bulletin.jpg")
	q := url.Values{"from": {p.value(`#bulletin-form input[name=from]`)}, "to": {p.value(`#bulletin-form input[name=to]`)}}
	bpdf := download(t, p.base, "office", "/hazards/bulletin.pdf?"+q.Encode())
	if !bytes.HasPrefix(bpdf, []byte("%PDF")) || len(bpdf) < 20000 {
		t.Fatalf("bulletin PDF: %d bytes", len(bpdf))
	}
	writeArtifact(t, p.dir, "45-bulletin.pdf", bpdf)
	p.do(chromedp.Navigate(p.base+"/"), chromedp.WaitVisible(css(`#chart-region[data-drawn]`)))
	if tiles := p.text(`#hazard-tiles`); !strings.Contains(tiles, "未销号重大隐患") {
		t.Errorf("dashboard tiles: %q", tiles)
	}
	p.shot("46-dashboard.jpg")
	p.do(chromedp.Navigate(p.base+"/hazards/figures"), chromedp.WaitVisible(css(`#chart-dept[data-drawn]`)))
	p.shot("47-hazard-figures.jpg")
}

func mustAttr(p page, sel, name string) string {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.querySelector('`+sel+`').getAttribute('`+name+`')`))
	if err != nil || v == "" {
		p.t.Fatalf("%s[%s]: %v", sel, name, err)
	}
	return v
}

// writeArtifact saves b as name in the artifacts folder dir, if there is one.
func writeArtifact(t *testing.T, dir, name string, b []byte) {
	t.Helper()
	if dir == "" {
		return
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("artifact: %s", path)
}

// TestBrowserRiskPoint: the enterprise grades a risk point by LEC on its
// profile, sees it in the four-colour distribution and prints its 告知卡.
func TestBrowserRiskPoint(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("enterprise")
	p.do(chromedp.Navigate(p.base+"/risks/new"), chromedp.WaitVisible(css(`#risk-form`)),
		chromedp.SendKeys(css(`#risk-form input[name=name]`), "导热油炉房"),
		chromedp.SendKeys(css(`#risk-form textarea[name=factors]`), "导热油泄漏、超温"),
		chromedp.SendKeys(css(`#risk-form textarea[name=measures]`), "超温联锁，定期检测导热油"),
		chromedp.SendKeys(css(`#risk-form input[name=responsible]`), "动力车间主任 吴刚"),
		chromedp.Click(css(`#risk-form button.primary`)), chromedp.WaitVisible(css(`#risk-form .flash.err, .flash.err`)))
	if e := p.text(`.flash.err`); !strings.Contains(e, "事故类型") {
		t.Errorf("no accident type: %q", e)
	}
	if v := p.value(`#risk-form input[name=name]`); v != "导热油炉房" {
		t.Errorf("the form lost what was typed: %q", v)
	}
	p.do(chromedp.Click(css(`#risk-form input[value="火灾"]`)), chromedp.Click(css(`#risk-form input[value="灼烫"]`)),
		chromedp.SetValue(css(`#risk-form select[name=l]`), "6"), chromedp.SetValue(css(`#risk-form select[name=e]`), "6"),
		chromedp.SetValue(css(`#risk-form select[name=c]`), "7"),
		chromedp.Click(css(`#risk-form button.primary`)), chromedp.WaitVisible(css(`#risk-level`)))
	if l := p.text(`#risk-level`); !strings.Contains(l, "较大风险") || !strings.Contains(l, "橙") {
		t.Errorf("D = 252: %q", l)
	}
	p.shot("48-risk-point.jpg")
	card := download(t, p.base, "enterprise", mustAttr(p, `#card-link`, "href"))
	if !bytes.HasPrefix(card, []byte("%PDF")) {
		t.Fatal("告知卡 is not a PDF")
	}
	writeArtifact(t, p.dir, "48-risk-card.pdf", card)
	p.do(chromedp.Navigate(p.base+"/risks"), chromedp.WaitVisible(css(`#chart-colours[data-drawn]`)))
	if s := p.text(`#colour-shares`); !strings.Contains(s, "济南泺口精细化工有限公司") {
		t.Errorf("shares: %q", s)
	}
	p.shot("49-risk-colours.jpg")
}
