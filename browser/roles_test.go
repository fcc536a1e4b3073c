package browser_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserStreetWorksItsJurisdiction: the street office opens the
// district's plan (its tasks name 各街道办事处; it was a 404), finds no
// form for the county's 重点监管名单 on an enterprise of its area, and
// names itself the enterprise's 属地 supervisor in one click (the form's
// department list was empty and it answered 422) — issue 14.4.
func TestBrowserStreetWorksItsJurisdiction(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("street")
	plan := p.planPath(demoPlan(time.Now().Year()))
	p.do(chromedp.Navigate(p.base+plan), chromedp.WaitVisible(css(`main h1`)))
	if m := p.text(`main`); !strings.Contains(m, "工作要点") || !strings.Contains(m, "任务分工") {
		t.Errorf("the district plan as the street sees it: %.300q", m)
	}
	p.do(chromedp.Navigate(p.base+"/enterprises"), chromedp.WaitVisible(css(`#enterprises a`)))
	href := p.read("an enterprise", chromedp.Evaluate[string](`document.querySelector('#enterprises a[href^="/enterprises/"]').getAttribute('href')`))
	p.do(chromedp.Navigate(p.base+href+"?tab=duty"), chromedp.WaitVisible(css(`#supervisors`)))
	if n := p.read("key-list forms", chromedp.Evaluate[string](`String(document.querySelectorAll('form[action$="/keylist"]').length)`)); n != "0" {
		t.Errorf("the street is offered the county's key list (%s forms)", n)
	}
	p.do(chromedp.Click(css(`form[action$="/supervisors"] button`)), chromedp.WaitVisible(css(`.flash`)))
	if f := p.text(`.flash`); strings.Contains(f, "请选择") || !strings.Contains(p.text(`#supervisors`), "泺口街道") {
		t.Errorf("naming itself a supervisor: flash %q, supervisors %q", f, p.text(`#supervisors`))
	}
	p.shot("37-street-names-itself.jpg")
}

// TestBrowserEnterpriseNavigation: on a phone, the enterprise's menu holds
// its record, hazards and risks and its messages — no 行政区划, 安委会 or
// 工作要点, always empty for it — and marks one entry for the page shown
// (issue 14.7).
func TestBrowserEnterpriseNavigation(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("enterprise")
	p.do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(p.base+"/hazards/new"), chromedp.WaitReady(css(`.sidenav a`)))
	nav := p.read("the menu", chromedp.Evaluate[string](`[...document.querySelectorAll('.sidenav a')].map(a => a.textContent + (a.classList.contains('current') ? '*' : '')).join(' ')`))
	for _, want := range []string{"企业档案", "隐患排查治理", "上报隐患*", "风险分级管控", "消息"} {
		if !strings.Contains(nav, want) {
			t.Errorf("the enterprise's menu lacks %q: %s", want, nav)
		}
	}
	for _, not := range []string{"行政区划", "安委会", "工作要点", "隐患统计", "挂牌督办", "隐患排查治理*"} {
		if strings.Contains(nav, not) {
			t.Errorf("the enterprise's menu has %q: %s", not, nav)
		}
	}
	if n := strings.Count(nav, "*"); n != 1 {
		t.Errorf("%d current entries: %s", n, nav)
	}
	p.do(chromedp.Click(css(`label.navbutton`)), chromedp.WaitVisible(css(`.sidenav a.current`)))
	p.shot("38-enterprise-menu-phone.jpg")
}

// TestBrowserProfileFitsAPhone: every tab of an enterprise's 一企一档, as
// the office sees it with all its forms, is no wider than a phone (the key
// list's 理由 field, size="40", made the 监管责任 tab 419 px wide).
func TestBrowserProfileFitsAPhone(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("office")
	p.do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(p.base+"/enterprises?q="+"济南泺口精细化工有限公司"),
		chromedp.WaitVisible(css(`#enterprises a[href^="/enterprises/"]`)))
	href := p.read("泺口化工", chromedp.Evaluate[string](`document.querySelector('#enterprises a[href^="/enterprises/"]').getAttribute('href')`))
	for _, tab := range []string{"basic", "duty", "sources", "papers", "credit", "hazards", "risks"} {
		p.do(chromedp.Navigate(p.base+href+"?tab="+tab), chromedp.WaitReady(css(`main h1`)))
		if w := p.read("page width", chromedp.Evaluate[string](`String(document.documentElement.scrollWidth)`)); w != "390" {
			t.Errorf("the %s tab is %s px wide on a 390 px phone", tab, w)
		}
	}
}

// TestBrowserListsAreCardsOnAPhone: on a phone the lists are cards with
// their column headings, no page is wider than the screen, and 我的任务's
// 报完成 is within reach (issue 16.4: it was past the right edge).
func TestBrowserListsAreCardsOnAPhone(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("member")
	p.do(chromedp.EmulateViewport(390, 844))
	for _, path := range []string{"/tasks", "/enterprises", "/hazards", "/inbox"} {
		p.do(chromedp.Navigate(p.base+path), chromedp.WaitReady(css(`table.list`)))
		// Cards are made once the page's scripts ran (they run before load ends).
		if n := p.read("cards", chromedp.Evaluate[string](`new Promise(r => requestAnimationFrame(() => r(String(document.querySelectorAll('table.list.cards').length))))`, chromedp.EvalAwaitPromise)); n == "0" {
			t.Errorf("%s: the list is no cards", path)
		}
		if w := p.read("page width", chromedp.Evaluate[string](`String(document.documentElement.scrollWidth)`)); w != "390" {
			t.Errorf("%s is %s px wide on a 390 px phone", path, w)
		}
		if l := p.read("a card's label", chromedp.Evaluate[string](`(document.querySelector('table.list.cards td[data-label]') || {}).getAttribute?.('data-label') || ''`)); l == "" {
			t.Errorf("%s: the cards carry no column headings", path)
		}
	}
	p.do(chromedp.Navigate(p.base+"/tasks"), chromedp.WaitReady(css(`table.list`)))
	right := p.read("报完成", chromedp.Evaluate[string](`(() => { const b = [...document.querySelectorAll('main button')].find(b => b.textContent.includes('报完成'));
		return b ? String(Math.round(b.getBoundingClientRect().right)) : 'none'; })()`))
	if n, err := strconv.Atoi(right); err != nil || n > 390 {
		t.Errorf("我的任务's 报完成 ends at %s px on a 390 px phone", right)
	}
	p.shot("50-tasks-cards-phone.jpg")
}
