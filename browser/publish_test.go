package browser_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPublicationAndWithdrawal (issue 25): the officer publishes the
// demo's overdue penalty decision from the department's 执法公示 list; the
// public, signed out and on a phone, reads it with the party's
// representative masked; the head records that a 行政复议 decision
// revoked it, the list asks for the withdrawal, the officer withdraws it
// with the reason, and the public page shows the withdrawal and its
// reason in place of the decision.
func TestBrowserPublicationAndWithdrawal(t *testing.T) {
	t.Parallel()
	base := liveServer(t)
	p := page{t: t, ctx: browser(t), base: base, dir: artifacts(t)}
	p.login("officer")
	p.do(chromedp.Navigate(base+"/enforce/publications?overdue=1"), chromedp.WaitVisible(css(`#publications`)))
	row := p.read(`#publications`, chromedp.Evaluate[string](`(document.querySelector('#publications .pub-publish') || {closest: () => ({id: ''})}).closest('tr').id`))
	if row == "" {
		t.Fatalf("no overdue decision to publish: %q", p.text(`#publications`))
	}
	party := p.read(`#`+row, chromedp.Evaluate[string](`document.querySelector('#`+row+` td:nth-child(2)').firstChild.textContent.trim()`))
	caseHref := mustAttr(p, `#`+row+` td:first-child a`, "href")
	if !strings.Contains(p.text(`#`+row), "已逾期") {
		t.Errorf("the overdue decision is not marked: %q", p.text(`#`+row))
	}
	p.submitTo(`#`+row+` .pub-publish`, `#publications`)
	if st := p.text(`#` + row + ` .pub-state`); st != "已公示" || !strings.Contains(p.text(`#`+row), "超期办理") {
		t.Errorf("after publishing late: %q", p.text(`#`+row))
	}
	number := p.text(`#` + row + ` td:nth-child(2) .mono`) // the decision's 文号, as published

	pub := page{t: t, ctx: browser(t), base: base, dir: p.dir}
	pub.do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/public/enforce?kind=decision"), chromedp.WaitVisible(css(`#public-list`)))
	list := pub.text(`#public-list`)
	if !strings.Contains(list, party) || !strings.Contains(list, "处罚决定") || !strings.Contains(list, "罚款") {
		t.Fatalf("the public page without %s's decision: %q", party, list)
	}
	if rep := pub.read(`#public-list`, chromedp.Evaluate[string](`[...document.querySelectorAll('#public-list dt')].filter(d => d.textContent === '法定代表人').map(d => d.nextElementSibling.textContent).join(',')`)); rep == "" || !strings.Contains(rep, "*") {
		t.Errorf("the representative is not masked: %q", rep)
	}
	if w, _ := chromedp.Run(pub.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("the public page is %d px wide on a phone", w)
	}
	pub.shot("90-public-phone.jpg")

	head := page{t: t, ctx: browser(t), base: base, dir: p.dir}
	head.login("head")
	head.do(chromedp.Navigate(base+caseHref), chromedp.WaitVisible(css(`#revise`)),
		chromedp.SendKeys(css(`#revise textarea[name=reason]`), "历下政复决字〔2026〕7号 行政复议决定撤销"))
	head.submitTo(`#revise-save`, `#case-revised`)
	if got := head.text(`#case-publication`); !strings.Contains(got, "前撤回") {
		t.Errorf("the case does not ask for the withdrawal: %q", got)
	}

	p.do(chromedp.Navigate(base+"/enforce/publications"), chromedp.WaitVisible(css(`#`+row+` .pub-withdraw`)))
	if got := p.text(`#` + row); !strings.Contains(got, "撤回") || !strings.Contains(got, "前") {
		t.Errorf("the list does not ask for the withdrawal: %q", got)
	}
	p.do(chromedp.SetValue(css(`#`+row+` input[name=reason]`), "该行政处罚决定已被行政复议决定撤销"))
	p.submitTo(`#`+row+` .pub-withdraw`, `#publications`)
	if st := p.text(`#` + row + ` .pub-state`); st != "已撤回" {
		t.Errorf("after withdrawing: %q", p.text(`#`+row))
	}
	p.shot("91-publications.jpg")

	pub.do(chromedp.Navigate(base+"/public/enforce?kind=decision"), chromedp.WaitVisible(css(`#public-list`)))
	list = pub.text(`#public-list`)
	if !strings.Contains(list, "已撤回") || !strings.Contains(list, "该行政处罚决定已被行政复议决定撤销") || !strings.Contains(list, number) {
		t.Errorf("the withdrawal is not on the public page: %q", list)
	}
	gone := pub.read(`#public-list`, chromedp.Evaluate[string](`[...document.querySelectorAll('#public-list article.withdrawn')].map(a => a.textContent).filter(t => t.includes('`+number+`')).join('')`))
	if gone == "" || strings.Contains(gone, party) {
		t.Errorf("the withdrawn decision's entry (it keeps its number, not the party %s): %q", party, gone)
	}
	pub.shot("92-public-withdrawn.jpg")
}
