package browser_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"anwei/internal/store/storetest"
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
	p.do(chromedp.Navigate(p.base+"/enterprises"), chromedp.WaitVisible(css(`#enterprises tbody a`)))
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

// TestBrowserListsAreCardsOnAPhone: on a phone every list page, as the
// roles that use it see it, is cards with their column headings (the
// sortable ones and the new 街道, 行业, 监管部门 included), no page or form
// is wider than the screen, no field sticks out of its card, the header
// takes two lines at most, and 我的任务's 报完成 is within reach (issue
// 16.4: textareas spilt off the card, 报完成 was past the right edge, the
// header wrapped to three lines).
func TestBrowserListsAreCardsOnAPhone(t *testing.T) {
	t.Parallel()
	storetest.SkipWalk(t)
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.do(chromedp.EmulateViewport(390, 844))
	// fits checks the page at path: nothing wider than the phone, no field
	// past its right edge, the header on two lines at most; a list page
	// (cards) has its tables as cards with every cell labelled.
	fits := func(who, path string, cards bool) {
		t.Helper()
		p.do(chromedp.Navigate(p.base+path), chromedp.WaitReady(css(`main`)))
		// Cards are made once the page's scripts ran (they run before load ends).
		got := p.read(path, chromedp.Evaluate[string](`new Promise(r => requestAnimationFrame(() => r(JSON.stringify({
			width: document.documentElement.scrollWidth,
			lists: document.querySelectorAll('table.list:not(.nocards)').length,
			cards: document.querySelectorAll('table.list.cards').length,
			unlabelled: [...document.querySelectorAll('table.list.cards tbody td:not([colspan])')].filter(td => !td.hasAttribute('data-label')).length,
			labels: [...new Set([...document.querySelectorAll('table.list.cards td[data-label]')].map(td => td.getAttribute('data-label')))].join(' '),
			out: [...document.querySelectorAll('main input:not([type=hidden]), main textarea, main select, main button')]
				.filter(e => { const r = e.getBoundingClientRect(), box = (e.closest('.card, table.list.cards tr') || document.querySelector('main')).getBoundingClientRect();
					return r.width > 0 && (r.right > 390.5 || r.right > box.right + 0.5); }).map(e => (e.name || e.textContent.trim()) + '@' + Math.round(e.getBoundingClientRect().right)).join(' '),
			header: [...document.querySelectorAll('.topbar .brand, .topbar .navbutton, .topbar .who > *')]
				.filter(e => e.getBoundingClientRect().height > 0).map(e => e.getBoundingClientRect().top).sort((a, b) => a - b)
				.reduce((rows, top, i, tops) => rows + (i > 0 && top > tops[i - 1] + 8 ? 1 : 0), 1),
		}))))`, chromedp.EvalAwaitPromise))
		var m struct {
			Width, Lists, Cards, Unlabelled, Header int
			Labels, Out                             string
		}
		if err := json.Unmarshal([]byte(got), &m); err != nil {
			t.Fatalf("%s: %v %s", path, err, got)
		}
		if m.Width > 390 {
			t.Errorf("%s as %s is %d px wide on a 390 px phone", path, who, m.Width)
		}
		if m.Out != "" {
			t.Errorf("%s as %s: fields past the right edge: %s", path, who, m.Out)
		}
		if cards && (m.Lists == 0 || m.Cards != m.Lists) {
			t.Errorf("%s as %s: %d of %d lists are cards", path, who, m.Cards, m.Lists)
		}
		if m.Unlabelled > 0 {
			t.Errorf("%s as %s: %d cells of the cards carry no column heading", path, who, m.Unlabelled)
		}
		if m.Header > 2 {
			t.Errorf("%s as %s: the header takes %d lines", path, who, m.Header)
		}
		p.shot("50-phone" + strings.NewReplacer("/", "-", "?", "-", "=", "-", "&", "-").Replace(path) + "-" + who + ".jpg")
	}
	p.login("member")
	fits("member", "/tasks", true)
	right := p.read("报完成", chromedp.Evaluate[string](`(() => { const b = [...document.querySelectorAll('main button')].find(b => b.textContent.includes('报完成'));
		return b ? String(Math.round(b.getBoundingClientRect().right)) : 'none'; })()`))
	if n, err := strconv.Atoi(right); err != nil || n > 390 {
		t.Errorf("我的任务's 报完成 ends at %s px on a 390 px phone", right)
	}
	task := p.read("a task", chromedp.Evaluate[string](`(document.querySelector('a[href^="/tasks/"]') || {}).getAttribute?.('href') || ''`))
	for _, path := range []string{"/inbox", "/enterprises", "/hazards", "/risks", "/plans", "/enterprises/expiring", "/hazard-listings"} {
		fits("member", path, true)
	}
	fits("member", "/todo", false) // a list of its own, no table
	for _, path := range []string{"/enterprises", "/hazards"} {
		p.do(chromedp.Navigate(p.base+path+"?sort=street"), chromedp.WaitReady(css(`table.list.cards td[data-label]`)))
		l := p.read("labels", chromedp.Evaluate[string](`[...new Set([...document.querySelectorAll('table.list.cards td[data-label]')].map(td => td.getAttribute('data-label')))].join(' ')`))
		for _, w := range []string{"街道", "行业", "监管部门"} {
			if !strings.Contains(" "+l+" ", " "+w+" ") {
				t.Errorf("%s: the cards lack %s (labels: %s)", path, w, l)
			}
		}
		if a := p.read("arrow", chromedp.Evaluate[string](`(document.querySelector('th[aria-sort] .arrow') || {}).textContent || ''`)); a != "↑" {
			t.Errorf("%s?sort=street: the sorted column shows %q", path, a)
		}
		// The headings are hidden on a phone; their sort links stand above the cards.
		if c := p.read("sort links", chromedp.Evaluate[string](`(a => a && a.offsetParent ? a.textContent : '')(document.querySelector('nav.cardsort a.current'))`)); !strings.HasPrefix(c, "街道") {
			t.Errorf("%s?sort=street: a phone's sort links show %q as the current order", path, c)
		}
	}
	hz := p.read("a hazard", chromedp.Evaluate[string](`fetch('/api/v1/hazards?open=1&limit=1').then(r => r.json()).then(l => l.items.length ? '/hazards/' + l.items[0].id : '')`, chromedp.EvalAwaitPromise))
	for _, path := range []string{task, hz, "/hazards/new"} {
		if path == "" {
			t.Error("no task or open hazard to open")
			continue
		}
		fits("member", path, false)
	}
	p.logout()
	p.login("office")
	for _, path := range []string{"/notices", "/supervise", "/enterprises/changes", "/enterprises/duties", "/org/units", "/org/users", "/org/regions", "/org/committees", "/audit", "/account/tokens"} {
		fits("office", path, true)
	}
	ent := p.read("泺口化工", chromedp.Evaluate[string](`fetch('/api/v1/enterprises?q=' + encodeURIComponent('济南泺口精细化工有限公司')).then(r => r.json()).then(l => String(l.items[0].id))`, chromedp.EvalAwaitPromise))
	for _, path := range []string{"/enterprises/new", "/enterprises/import", "/org/users/new", "/org/units/new", "/risks/new?enterprise=" + ent, "/enterprises/" + ent + "/edit"} {
		fits("office", path, false)
	}
	p.logout()
	p.login("expert")
	fits("expert", "/hazard-requests", false) // cards of its own
	// The new columns at a desktop's width, to look at.
	if p.dir != "" {
		p.logout()
		p.login("member")
		p.do(chromedp.EmulateViewport(1366, 768))
		for _, path := range []string{"/enterprises", "/hazards"} {
			p.do(chromedp.Navigate(p.base+path+"?sort=street&desc=1"), chromedp.WaitReady(css(`table.list`)))
			p.shot("51-desktop-" + path[1:] + "-sorted.jpg")
		}
	}
}
