package browser_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserHomeLeadsWithTheTodo (issue 16.1): the department's home
// page opens with its 待办 — before the figures — each item a link to its
// record with its state now, and the 待办 page holds the rest.
func TestBrowserHomeLeadsWithTheTodo(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("member")
	p.do(chromedp.Navigate(p.base+"/"), chromedp.WaitVisible(css(`#home-todo`)))
	first, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.querySelector('main section').id`))
	if err != nil || first != "home-todo" {
		t.Fatalf("the home page leads with %q (%v)", first, err)
	}
	n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#home-todo ul.todo li a').length`))
	if n == 0 || n > 5 {
		t.Fatalf("the home page shows %d items of the 待办 (%s)", n, p.text(`#home-todo`))
	}
	if st := p.text(`#home-todo ul.todo li .state`); !strings.Contains(st, "现状") {
		t.Errorf("an item without its live state: %q", p.text(`#home-todo`))
	}
	p.shot("70-home-todo.jpg")
	href, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.querySelector('#home-todo ul.todo li a').getAttribute('href')`))
	if err != nil {
		t.Fatal(err)
	}
	p.do(chromedp.Click(css(`#home-todo ul.todo li a`)), chromedp.WaitVisible(css(`main h1`)))
	at, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`location.pathname + location.search + location.hash`))
	if at != href || strings.Contains(p.text(`main`), "不存在") {
		t.Errorf("the item's link %s opened %s: %q", href, at, p.text(`main h1`))
	}
	p.do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(p.base+"/todo"), chromedp.WaitVisible(css(`#todo`)))
	if m, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#todo ul.todo li a').length`)); m < n {
		t.Errorf("the 待办 page lists %d, the home page %d", m, n)
	}
	if w, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelector('#todo').scrollWidth`)); w > 390 {
		t.Errorf("the 待办 is %d px wide on a phone", w)
	}
	p.shot("71-todo-phone.jpg")
}
