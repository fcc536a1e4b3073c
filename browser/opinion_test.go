package browser_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserExpertOpinion: the district 应急局 asks the expert to judge a
// hazard it found; the expert, on a phone, finds the request under 判定请求
// and answers it; the department reads the opinion beside its judge form
// and judges; the expert then sees the decision.
func TestBrowserExpertOpinion(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("member")
	// The hazard, reported through the API as the department (the report form is another test's).
	id, err := chromedp.Run(p.ctx, chromedp.Evaluate[int64](`(async () => {
		const es = await (await fetch('/api/v1/enterprises?q=' + encodeURIComponent('济南泺口精细化工有限公司'))).json();
		const r = await fetch('/api/v1/hazards', {method: 'POST', headers: {'Content-Type': 'application/json'},
			body: JSON.stringify({enterprise_id: es.items[0].id, place: '氯化反应釜', source: 'inspection',
				description: '氯化釜温度报警未与进料切断阀联锁，靠人工关阀'})});
		return (await r.json()).id;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil || id == 0 {
		t.Fatalf("report: %d %v", id, err)
	}
	hazardPath := fmt.Sprintf("/hazards/%d", id)
	p.do(chromedp.Navigate(p.base+hazardPath), chromedp.WaitVisible(css(`#ask-experts`)))
	p.js(`[...document.querySelectorAll('#ask-experts label.check')].find(l => l.textContent.includes('陈工')).querySelector('input').click()`)
	p.do(chromedp.Click(css(`#ask-experts button.primary`)), chromedp.WaitVisible(css(`#opinions .opinion`)))
	if o := p.text(`#opinions`); !strings.Contains(o, "陈工") || !strings.Contains(o, "待答复") {
		t.Fatalf("after asking: %q", o)
	}
	p.logout()

	// The expert, on a phone.
	p.do(chromedp.EmulateViewport(390, 844))
	p.login("expert")
	p.do(chromedp.Navigate(p.base+"/hazard-requests"), chromedp.WaitVisible(css(`#requests`)))
	if nav, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.querySelector('nav.sidenav').textContent`)); !strings.Contains(nav, "判定请求") {
		t.Errorf("the expert's navigation lacks 判定请求: %q", nav)
	}
	p.shot("59-expert-requests-phone.jpg")
	card := `[...document.querySelectorAll('#requests .request')].find(c => c.textContent.includes('氯化反应釜'))`
	href, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`(`+card+`)?.querySelector('a').getAttribute('href') || ''`))
	if err != nil || href == "" {
		t.Fatalf("the request is not among the pending: %q %v (%s)", href, err, p.text(`main`))
	}
	p.do(chromedp.Navigate(p.base+href), chromedp.WaitVisible(css(`#answer-form`)),
		chromedp.SetValue(css(`#answer-form select[name=level]`), "major"),
		chromedp.SetValue(css(`#answer-form select[name=criterion]`), "hg121-4"),
		chromedp.SendKeys(css(`#answer-form textarea[name=reasoning]`), "氯化为重点监管危险化工工艺，温度与进料未联锁即紧急停车功能缺失"))
	p.shot("60-expert-answer-phone.jpg")
	p.do(chromedp.Click(css(`#answer-form button.primary`)), chromedp.WaitVisible(css(`#my-opinion`)))
	if overflow, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`)); err != nil || overflow {
		t.Errorf("the request page is wider than the phone (%v)", err)
	}
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#answer-form').length`)); n != 0 {
		t.Error("the answer form is offered again after answering")
	}
	// Read-only on the hazard itself: no step, no request form.
	p.do(chromedp.Navigate(p.base+hazardPath), chromedp.WaitVisible(css(`#hazard-state`)))
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#hazard-actions, #ask-experts, #list-form').length`)); n != 0 {
		t.Errorf("the expert is offered %d forms on the hazard", n)
	}
	// …nor a link to the enterprise's record, which is not the expert's to read (it was a 404).
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#hazard-facts a[href^="/enterprises/"]').length`)); n != 0 {
		t.Error("the expert is offered a link to the enterprise's record")
	}
	p.logout()

	// The department decides with the opinion beside the judge form.
	p.do(chromedp.EmulateViewport(1366, 768))
	p.login("member")
	p.do(chromedp.Navigate(p.base+hazardPath), chromedp.WaitVisible(css(`#act-judge`)))
	if o := p.text(`#opinions`); !strings.Contains(o, "重大事故隐患") || !strings.Contains(o, "紧急停车") {
		t.Errorf("the department does not see the opinion: %q", o)
	}
	p.shot("61-opinion-beside-judge.jpg")
	p.do(chromedp.SetValue(css(`#act-judge select[name=level]`), "major"), chromedp.Click(css(`#act-judge input[name=criterion][value="hg121-4"]`)))
	p.act("judge", "已判定")
	p.logout()

	p.do(chromedp.EmulateViewport(390, 844))
	p.login("expert")
	p.do(chromedp.Navigate(p.base+href), chromedp.WaitVisible(css(`#decision`)))
	if d := p.text(`#decision`); !strings.Contains(d, "重大事故隐患") || !strings.Contains(d, "第（四）项") {
		t.Errorf("the expert sees the decision as %q", d)
	}
	p.shot("62-expert-sees-decision-phone.jpg")
}
