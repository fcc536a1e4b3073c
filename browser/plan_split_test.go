package browser_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
)

// TestBrowserPlanSplit: on the review page a printed name that matches no
// unit is marked; the office, on a phone, types the two units it stands for
// under 拆为 and rechecks: the two are matched in its place (the marked
// row gone), and the import assigns both.
func TestBrowserPlanSplit(t *testing.T) {
	t.Parallel()
	_, addr := apptest.Serve(t, app.Config{})
	p := page{t: t, ctx: browser(t), base: "http://" + addr, dir: artifacts(t)}
	p.login("office")
	p.do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(p.base+"/plans"), chromedp.WaitVisible(css(`textarea[name=text]`)),
		chromedp.SendKeys(css(`textarea[name=text]`), "天桥区2026年交通工作要点\n一、总则\n1.开展道路交通安全检查。(责任单位:区应急局、区建设交通部门)\n"),
		chromedp.Click(css(`form.form button.primary`)),
		chromedp.WaitVisible(css(`tr.suspect`)))
	if row := p.text(`tr.suspect`); !strings.Contains(row, "区建设交通部门") || !strings.Contains(row, "未对应到单位") {
		t.Fatalf("marked row: %q", row)
	}
	p.shot("27-review-marked-phone.jpg")
	p.do(chromedp.SendKeys(css(`tr.suspect input[name^=split_]`), "区住建局、区交通局"),
		chromedp.Click(css(`button[value=recheck]`)),
		chromedp.WaitReady(css(`input[type=hidden][value="区交通局"]`)))
	if n := p.read("marked", chromedp.Evaluate[string](`String(document.querySelectorAll('tr.suspect').length)`)); n != "0" {
		t.Errorf("%s names still marked after the split", n)
	}
	if names := p.text(`main table.list`); strings.Contains(names, "区建设交通部门") || !strings.Contains(names, "区住建局") {
		t.Errorf("names after the split: %.300q", names)
	}
	p.shot("28-review-split-phone.jpg")
	p.do(chromedp.Click(css(`button.primary[value=import]`)), chromedp.WaitReady(css(`a[href$="/figures"], .flash.err`)))
	if msg := p.read("error", chromedp.Evaluate[string](`(document.querySelector('.flash.err') || {}).textContent || ''`)); msg != "" {
		t.Fatalf("import refused: %s", msg)
	}
	if d := p.text(`main`); !strings.Contains(d, "区住房城乡建设局") && !strings.Contains(d, "区住建局") || !strings.Contains(d, "交通运输局") && !strings.Contains(d, "区交通局") {
		t.Errorf("imported plan: %.400q", d)
	}
}
