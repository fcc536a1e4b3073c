package browser_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserPlanDutiesOnce: 区应急局's 我的任务 and the office's plan page
// show 四.20 once — the department as its lead, with the item's four
// sentences it is on — and the office sets the plan's reporting cadence on
// the plan page, which then shows it (issue 14.8: 四.20 appeared four times,
// alike, and a task without dates of its own was tracked by nothing). The
// cadence is set back at the end: the server is shared.
func TestBrowserPlanDutiesOnce(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	rows := func(sel string) int {
		n, _ := strconv.Atoi(p.read("rows", chromedp.Evaluate[string](`String(document.querySelectorAll('`+sel+` tr[data-ref="四.20"]').length)`)))
		return n
	}
	p.login("member")
	p.do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(p.base+"/tasks"), chromedp.WaitVisible(css(`#my-duties`)))
	if n := rows("#my-duties"); n != 1 {
		t.Errorf("四.20 in 区应急局's tasks: %d rows, want 1", n)
	}
	if row := p.text(`#my-duties tr[data-ref="四.20"]`); !strings.Contains(row, "牵头") || !strings.Contains(row, "工贸") || !strings.Contains(row, "疫苗") {
		t.Errorf("四.20's row: %q, want the lead badge and the sentences it is on", row)
	}
	p.shot("40-member-tasks-390.jpg")
	p.logout()

	p.login("office")
	plan := p.planPath(demoPlan(time.Now().Year()))
	p.do(chromedp.EmulateViewport(1366, 768), chromedp.Navigate(p.base+plan), chromedp.WaitVisible(css(`#duties`)))
	if n := rows("#duties"); n != 1 {
		t.Errorf("四.20 on the plan page: %d rows, want 1", n)
	}
	set := func(cadence, days string) string {
		p.do(chromedp.SetValue(css(`#cadence-form select[name=cadence]`), cadence),
			chromedp.SetValue(css(`#cadence-form input[name=cadence_days]`), days),
			chromedp.Click(css(`#cadence-form button`)), chromedp.WaitVisible(css(`.flash.ok, .flash.err`)))
		return p.text(`#cadence`)
	}
	if got := set("quarter", "5"); !strings.Contains(got, "每季度，季后5个工作日内报送") {
		t.Errorf("the cadence after saving: %q", got)
	}
	p.shot("41-plan-cadence-duties.jpg")
	p.do(chromedp.Navigate(p.base+plan), chromedp.WaitVisible(css(`#cadence-form`))) // no flash left to wait for
	if got := set("", "0"); !strings.Contains(got, "不设") {
		t.Errorf("the cadence set back: %q", got)
	}
}
