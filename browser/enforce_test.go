package browser_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"anwei/internal/enforce"
)

// TestBrowserEnforceDraw: 区应急局 runs a 双随机 draw in its three steps —
// previews and fixes the 名录库 and publishes the commitment (the record
// then holds no share), is refused a public value outside the committed
// format, draws, sees the page verify it, grants a recusal — and the
// record downloaded from the page verifies against the commitment shown;
// the draw page fits a phone; the office sees the department's year.
func TestBrowserEnforceDraw(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("member")
	p.do(chromedp.Navigate(p.base+"/enforce"), chromedp.WaitVisible(css(`#enforce-overview`)))
	if row := p.text(`#enforce-overview tbody`); !strings.Contains(row, "济南市天桥区应急管理局") || !strings.Contains(row, "已公示") {
		t.Errorf("the department's year: %q", row)
	}
	p.shot("70-enforce-year.jpg")
	p.do(chromedp.Click(css(`#plan-link`)), chromedp.WaitVisible(css(`#plan-verdict`)))
	if v, st := p.text(`#plan-verdict`), p.text(`#plan-state`); !strings.HasPrefix(v, "排得下") || st != "已公示" {
		t.Errorf("the demo's plan: %q, %q", v, st)
	}
	if steps := p.text(`#plan-steps`); !strings.Contains(steps, "总法定工作日 = 法定工作日/人 248 × 执法人员 8") {
		t.Errorf("the arithmetic: %q", steps)
	}
	p.shot("71-enforce-plan.jpg")

	// Step 1: the 名录库 previewed, fixed, the commitment published.
	p.do(chromedp.Navigate(p.base+"/enforce/draws/new?preview=1&exclude_days=0&exclude_last=1"), chromedp.WaitVisible(css(`#draw-preview`)))
	if pv := p.text(`#draw-preview`); !regexp.MustCompile(`名录库 \d+ 户，执法检查人员名录库 8 人`).MatchString(pv) {
		t.Errorf("preview: %q", pv)
	}
	p.do(chromedp.SendKeys(css(`#draw-form input[name=count]`), "3"),
		chromedp.SendKeys(css(`#draw-form input[name=public_source]`), "12月10日福彩3D开奖号码"),
		chromedp.SendKeys(css(`#draw-form input[name=public_format]`), `^\d{3}$`))
	p.shot("72-enforce-draw-form.jpg")
	p.submit(`#draw-commit`)
	p.do(chromedp.WaitVisible(css(`#commitment`)))
	commitment := p.text(`#commitment`)
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(commitment) || !strings.Contains(p.text(`#draw-state`), "待抽取") {
		t.Fatalf("after step 1: %q, %q", commitment, p.text(`#draw-state`))
	}
	href, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.querySelector('#draw-record').getAttribute('href')`))
	if err != nil {
		t.Fatal(err)
	}
	var before enforce.DrawRecord
	if err := json.Unmarshal(download(t, p.base, "member", href), &before); err != nil || before.Share != "" || len(before.Result) != 0 ||
		before.Commitment != commitment || before.Count != 3 {
		t.Errorf("the record before the draw: share %q, %d picks, commitment %q, count %d (%v)", before.Share, len(before.Result), before.Commitment, before.Count, err)
	}

	// Steps 2 and 3: a value outside the format is refused, then the draw.
	p.do(chromedp.SendKeys(css(`#draw-run input[name=public_value]`), "12"))
	p.submit(`#draw-go`)
	p.do(chromedp.WaitVisible(css(`#draw-run .field-err`)))
	if e := p.text(`#draw-run .field-err`); !strings.Contains(e, "不合公布的格式") {
		t.Errorf("a two-digit value: %q", e)
	}
	p.do(chromedp.SetValue(css(`#draw-run input[name=public_value]`), "507"))
	p.submit(`#draw-go`)
	p.do(chromedp.WaitVisible(css(`#draw-verified`)))
	if v := p.text(`#draw-verified`); !strings.HasPrefix(v, "核验通过") {
		t.Errorf("verification: %q", v)
	}
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#draw-result tbody tr').length`)); n != 3 {
		t.Errorf("%d enterprises drawn, want 3", n)
	}
	p.shot("73-enforce-drawn.jpg")

	// A recusal on the party's application: the slot redrawn, still verified.
	p.do(chromedp.SendKeys(css(`#recusal-form input[name=reason]`), "该执法人员曾在本企业任职"))
	p.submit(`#recusal-go`)
	p.do(chromedp.WaitVisible(css(`#draw-recusals`)))
	if r, v := p.text(`#draw-recusals`), p.text(`#draw-verified`); !strings.Contains(r, "回避，由") || !strings.HasPrefix(v, "核验通过") {
		t.Errorf("after the recusal: %q, %q", r, v)
	}
	var rec enforce.DrawRecord
	if err := json.Unmarshal(download(t, p.base, "member", href), &rec); err != nil {
		t.Fatal(err)
	}
	if problems := enforce.Verify(rec, commitment); len(problems) > 0 || rec.PublicValue != "507" || len(rec.Recusals) != 1 {
		t.Errorf("the downloaded record against the commitment shown: %v (public %q, %d recusals)", problems, rec.PublicValue, len(rec.Recusals))
	}
	rec.Enterprises = rec.Enterprises[1:]
	if problems := enforce.Verify(rec, commitment); len(problems) == 0 {
		t.Error("a record with an enterprise struck from the lists verifies")
	}
	p.do(chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(css(`#draw-result`)))
	if p.wider() {
		t.Error("the draw page is wider than the phone")
	}
	p.shot("74-enforce-drawn-phone.jpg")

	// 双随机一公开: signed out, the draw's public page and record, by its commitment.
	p.logout()
	resp, err := http.Get(p.base + "/public/draws/" + commitment + "/record.json")
	if err != nil {
		t.Fatal(err)
	}
	var public enforce.DrawRecord
	err = json.NewDecoder(resp.Body).Decode(&public)
	resp.Body.Close()
	if err != nil || len(enforce.Verify(public, commitment)) > 0 || public.Share == "" {
		t.Fatalf("the public record: %v, problems %v", err, enforce.Verify(public, commitment))
	}
	var first string
	for _, e := range public.Enterprises {
		if e.ID == public.Result[0].Enterprise {
			first = e.Name
		}
	}
	p.do(chromedp.Navigate(p.base+"/public/draws/"+commitment), chromedp.WaitVisible(css(`#draw-verified`)))
	if v, res := p.text(`#draw-verified`), p.text(`#draw-result`); !strings.HasPrefix(v, "核验通过") || first == "" || !strings.Contains(res, first) {
		t.Errorf("the public page: %q, %q (want %q)", v, res, first)
	}
	p.shot("76-enforce-public-draw.jpg")
	p.login("office")
	p.do(chromedp.EmulateViewport(1366, 768), chromedp.Navigate(p.base+"/enforce"), chromedp.WaitVisible(css(`#enforce-overview`)))
	if row := p.text(`#enforce-overview tbody`); !strings.Contains(row, "济南市天桥区应急管理局") || !strings.Contains(row, "排得下") {
		t.Errorf("the office's view: %q", row)
	}
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#draws tbody tr').length`)); n < 3 {
		t.Errorf("the office sees %d draws, want the demo's two and the new one", n)
	}
}

// TestBrowserEnforcePlanThatCannotFit: the department drafts next year's
// plan with too few days: the page says plainly it cannot fit and how it
// could; the head's approval is refused with the reason; with the ratio
// the page suggests the plan fits and the head approves it.
func TestBrowserEnforcePlanThatCannotFit(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("member")
	p.do(chromedp.Navigate(p.base+"/enforce/plans/new?year=2027"), chromedp.WaitVisible(css(`#plan-form`)))
	for field, v := range map[string]string{"officers": "2", "other_enforcement_days": "300", "non_enforcement_days": "150"} {
		p.do(chromedp.SendKeys(css(`#plan-form input[name=`+field+`]`), v))
	}
	p.do(chromedp.SetValue(css(`#plan-form input[name=sample_percent]`), "60"))
	p.submit(`#plan-save`)
	p.do(chromedp.WaitVisible(css(`#plan-verdict`)))
	verdict := p.text(`#plan-verdict`)
	m := regexp.MustCompile(`抽查比例不超过 ([\d.]+)%`).FindStringSubmatch(verdict)
	if !strings.HasPrefix(verdict, "排不下") || m == nil {
		t.Fatalf("a plan of 2 officers: %q", verdict)
	}
	if steps := p.text(`#plan-steps`); !strings.Contains(steps, "放假通知尚未载入") {
		t.Errorf("2027's working days are not said to be provisional: %q", steps)
	}
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#plan-approve').length`)); n != 1 {
		t.Error("the member sees no approve button (it may press it: the service refuses the drafter)")
	}
	p.shot("75-enforce-plan-short.jpg")
	planURL := p.read(`body`, chromedp.Evaluate[string](`location.pathname`))
	p.logout()
	p.login("head")
	p.do(chromedp.Navigate(p.base+planURL), chromedp.WaitVisible(css(`#plan-approve`)))
	p.submit(`#plan-approve`)
	p.do(chromedp.WaitVisible(css(`.flash.err[role=alert]`)))
	if e := p.text(`main`); !strings.Contains(e, "计划排不下，不能审批") {
		t.Errorf("approving a plan that cannot fit: %q", e)
	}
	p.logout()
	p.login("member")
	p.do(chromedp.Navigate(p.base+planURL), chromedp.WaitVisible(css(`#plan-form`)))
	p.js(`document.querySelector('#plan-verdict').remove()`) // so the wait below is for the saved page's
	p.do(chromedp.SetValue(css(`#plan-form input[name=sample_percent]`), m[1]))
	p.submit(`#plan-save`)
	p.do(chromedp.WaitVisible(css(`#plan-verdict`)))
	if v := p.text(`#plan-verdict`); !strings.HasPrefix(v, "排得下") {
		t.Fatalf("at the suggested ratio %s%%: %q", m[1], v)
	}
	p.logout()
	p.login("head")
	p.do(chromedp.Navigate(p.base+planURL), chromedp.WaitVisible(css(`#plan-approve`)))
	p.js(`document.querySelector('#plan-state').remove()`) // so the wait below is for the approved page's
	p.submit(`#plan-approve`)
	p.do(chromedp.WaitVisible(css(`#plan-state`)))
	if st := p.text(`#plan-state`); st != "已审批" {
		t.Errorf("after the head's approval: %q (%s)", st, p.text(`main`))
	}
}
