package browser_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserEnterpriseEditsItsOwnRecord: the enterprise opens its record,
// finds its street selected among its county's, saves a new phone number
// (kept at once), then moves to another street (a key field: sent to its
// department for review) — the browser's own form checks pass both times
// (issue 14.1: the street list held only "请选择", so the form never sent).
func TestBrowserEnterpriseEditsItsOwnRecord(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("enterprise")
	p.do(chromedp.Navigate(p.base+"/enterprises"), chromedp.WaitVisible(css(`#enterprises tbody a`)),
		chromedp.Click(css(`#enterprises tbody a`)), chromedp.WaitVisible(css(`a[href$="/edit"]`)),
		chromedp.Click(css(`a[href$="/edit"]`)), chromedp.WaitVisible(css(`#ent-form`)))
	streets, _ := strconv.Atoi(p.read("streets", chromedp.Evaluate[string](`String(document.querySelectorAll('#ent-form select[name=region_code] option[value^="370105"]').length)`)))
	if own := p.value(`#ent-form select[name=region_code]`); own != "370105015" || streets < 10 {
		t.Fatalf("the street list: %d streets, %q selected; want the county's, 370105015 (泺口街道)", streets, own)
	}
	p.shot("35-enterprise-own-form.jpg")
	p.js(`document.querySelector('#ent-form input[name=safety_phone]').value = '0531-85550101'`)
	p.do(chromedp.Click(css(`#ent-form button.primary`)), chromedp.WaitVisible(css(`.flash.ok, .flash.err`)))
	if f := p.text(`.flash`); !strings.Contains(f, "已保存") || strings.Contains(f, "审核") {
		t.Fatalf("saving a phone number: %q", f)
	}
	if d := p.text(`main`); !strings.Contains(d, "0531-85550101") {
		t.Errorf("the record after saving lacks the new phone: %.300q", d)
	}
	p.do(chromedp.Click(css(`a[href$="/edit"]`)), chromedp.WaitVisible(css(`#ent-form`)),
		chromedp.SetValue(css(`#ent-form select[name=region_code]`), "370105001"),
		chromedp.Click(css(`#ent-form button.primary`)), chromedp.WaitVisible(css(`.flash.ok, .flash.err`)))
	if f := p.text(`.flash`); !strings.Contains(f, "提交监管部门审核") {
		t.Errorf("moving to another street: %q, want it sent for review", f)
	}
	p.shot("36-enterprise-change-sent.jpg")
}
