package browser_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserOfficerPickedByName: the 责任人 of a supervising department is
// picked by typing a name, from the department's people (issue 16.3: it
// asked for a 用户编号).
func TestBrowserOfficerPickedByName(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("member")
	id := p.read("enterprise", chromedp.Evaluate[string](`fetch('/api/v1/enterprises?q=泺口精细').then(r => r.json()).then(d => String(d.items[0].id))`, chromedp.EvalAwaitPromise))
	officer := p.read("officer", chromedp.Evaluate[string](`fetch('/api/v1/users?q=赵明').then(r => r.json()).then(d => String(d.items[0].id))`, chromedp.EvalAwaitPromise))
	box := `.picker:has(input[name=officer_id]) input.picker-box`
	p.do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(p.base+"/enterprises/"+id+"?tab=duty"),
		chromedp.WaitVisible(css(box)),
		chromedp.SendKeys(css(box), "赵"),
		chromedp.WaitVisible(css(`.picker-list li[data-id="`+officer+`"]`)))
	p.shot("60-officer-picker-phone.jpg")
	if ph := p.read("placeholder", chromedp.Evaluate[string](`document.querySelector('`+box+`').placeholder`)); !strings.Contains(ph, "姓名") {
		t.Errorf("the box asks for %q, not a name", ph)
	}
	p.do(chromedp.Click(css(`.picker-list li[data-id="` + officer + `"]`)))
	if got, v := p.value(box), p.value(`input[name=officer_id]`); got != "赵明" || v != officer {
		t.Fatalf("chose %q (id %s), want 赵明 (%s)", got, v, officer)
	}
}

// TestBrowserAuditInWords: the audit log reads in Chinese, its objects by
// name with links (issue 16.3).
func TestBrowserAuditInWords(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("office")
	p.do(chromedp.EmulateViewport(1366, 768), chromedp.Navigate(p.base+"/audit"), chromedp.WaitVisible(css(`table.list tbody tr`)))
	p.do(chromedp.Click(css(`table.list tbody tr details summary`)))
	p.shot("61-audit-words.jpg")
	if s := p.text(`table.list`); strings.Contains(s, "auth.login") || !strings.Contains(s, "登录") {
		t.Errorf("the audit log does not read in Chinese: %.300s", s)
	}
}
