package browser_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"anwei/internal/store/storetest"
)

// TestBrowserPagesKeepTheirCSP: the pages with scripts (charts, the import
// form, select-all, the error page's back link) work under the
// Content-Security-Policy without a violation; and an inline script is
// reported, so the watch every browser test keeps does see violations.
func TestBrowserPagesKeepTheirCSP(t *testing.T) {
	t.Parallel()
	storetest.SkipWalk(t)
	ctx, csp := watchedBrowser(t)
	p := page{t: t, ctx: ctx, base: liveServer(t), dir: artifacts(t)}
	p.login("office")
	plan := p.planPath(demoPlan(time.Now().Year()))
	for _, c := range []struct{ path, wait string }{
		{"/", `#chart-region[data-drawn="1"]`},
		{"/hazards/figures", `#chart-source[data-drawn="1"]`},
		{"/risks", `#chart-colours[data-drawn="1"]`},
		{plan + "/figures", `#chart-section[data-drawn="1"]`},
		{"/enterprises/import", `#import-form`},
		{"/org/units", `table.list`},
		{"/hazards/999999", `[data-back]`},
	} {
		p.do(chromedp.Navigate(p.base+c.path), chromedp.WaitVisible(css(c.wait)))
	}
	p.shot("40-csp-error-page.jpg")
	// The error page's back link goes back to the unit list.
	p.do(chromedp.Click(css(`[data-back]`)))
	back := ""
	for i := 0; i < 100 && back != "/org/units"; i++ {
		time.Sleep(50 * time.Millisecond)
		back, _ = chromedp.Run(p.ctx, chromedp.Evaluate[string](`location.pathname`))
	}
	if back != "/org/units" {
		t.Errorf("the back link led to %q, want /org/units", back)
	}
	// The units filter is an htmx form: it still swaps the list in.
	p.do(chromedp.Navigate(p.base+"/org/units"), chromedp.WaitVisible(css(`table.list`)), chromedp.SetValue(css(`form [name=kind]`), "department"))
	p.js(`document.querySelector('form [name=kind]').dispatchEvent(new Event('change', {bubbles: true}))`)
	var units string
	for i := 0; i < 100 && !strings.Contains(units, "kind=department"); i++ {
		time.Sleep(50 * time.Millisecond)
		units, _ = chromedp.Run(p.ctx, chromedp.Evaluate[string](`location.search`))
	}
	if !strings.Contains(units, "kind=department") {
		t.Errorf("the htmx filter did not run: location.search %q", units)
	}
	// Hovering a chart shows its tooltip: ECharts writes an HTML tooltip
	// with style attributes, which the CSP refuses; app.js draws it on the
	// canvas instead.
	p.do(chromedp.Navigate(p.base+"/hazards/figures"), chromedp.WaitVisible(css(`#chart-region[data-drawn="1"]`)))
	rect, err := chromedp.Run(p.ctx, chromedp.Evaluate[[]float64](`(function () { var r = document.getElementById('chart-region').getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })()`))
	if err != nil || len(rect) != 4 {
		t.Fatalf("chart box: %v %v", rect, err)
	}
	for _, f := range []float64{0.3, 0.5, 0.7} {
		if _, err := chromedp.Run(p.ctx, chromedp.MouseEvent(chromedp.MouseMoved, rect[0]+rect[2]*f, rect[1]+rect[3]*0.6)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // the tooltip is drawn on the next frames; a violation, if any, is reported by then
	}
	p.shot("41-csp-chart-tooltip.jpg")
	p.do(chromedp.Navigate(p.base+"/supervise?status=overdue"), chromedp.WaitVisible(css(`#issue-form`)))
	p.do(chromedp.Click(css(`[data-check-all]`)))
	unticked, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[name=instance]:not(:checked)').length`))
	if err != nil || unticked != 0 {
		t.Errorf("select all left %d boxes unticked (%v)", unticked, err)
	}
	if v := csp.take(); len(v) > 0 {
		t.Fatalf("%d Content-Security-Policy violations, the first: %s", len(v), v[0])
	}
	p.js(`(function () { var s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.body.appendChild(s); })()`)
	for i := 0; i < 100; i++ {
		if v := csp.take(); len(v) > 0 {
			t.Logf("the watch saw: %s", v[0])
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("an inline script ran or was refused without a Content-Security-Policy report")
}
