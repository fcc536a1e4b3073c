package browser_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/calendar"
	"anwei/internal/demo"
	"anwei/internal/enforce"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// TestBrowserCaseFromViolationToLatePayment: 赵明 opens a case from a
// violation an inspection found (the inspection page's 立案查处), issues
// the 告知书 in the 裁量基准's tier; the party, signed in as its own safety
// manager, states its case online and consents to electronic service; the
// head (not an investigator) decides; the officer serves it electronically.
// Twenty days on, the party — on a phone — sees the fine three days late
// with its 加处罚款, is refused paying the fine alone, and pays the total.
// The 告知书 and the 决定书 are downloaded as PDFs (kept with the
// artifacts) and their words checked.
func TestBrowserCaseFromViolationToLatePayment(t *testing.T) {
	t.Parallel()
	// 10 July 2026, a Friday (the plan test's day: one demo load serves
	// both): served today, the 15 days end on Saturday 25 July and so on
	// Monday 27 July; on 30 July the fine is 3 days late.
	clock := calendar.NewFixed(time.Date(2026, 7, 10, 2, 0, 0, 0, time.UTC))
	a, addr := apptest.Serve(t, app.Config{Clock: clock})
	base := "http://" + addr
	p := page{t: t, ctx: browser(t), base: base, dir: artifacts(t)}
	ctx := context.Background()

	// A violation found on a closed inspection of 区应急局, with no case yet.
	member, err := a.Org.ActorByUsername(ctx, "member")
	if err != nil {
		t.Fatal(err)
	}
	is, _, err := a.Enforce.ListInspections(ctx, member, enforce.InspectionFilter{Year: 2026, State: enforce.StateClosed, Page: paging.Page{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	var insp, finding, firm int64
	var firmName string
	for _, i := range is {
		d, err := a.Enforce.GetInspection(ctx, member, i.ID)
		if err != nil {
			t.Fatal(err)
		}
		cs, _, err := a.Enforce.Cases(ctx, member, enforce.CaseFilter{Inspection: i.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range d.Findings {
			if f.Violation != "" && len(cs) == 0 && finding == 0 {
				insp, finding, firm, firmName = i.ID, f.ID, d.EnterpriseID, d.Enterprise
			}
		}
	}
	if finding == 0 {
		t.Fatalf("no violation without a case among %d closed inspections", len(is))
	}
	if _, err := a.Org.CreateUser(ctx, org.System, org.UserInput{Username: "party1", DisplayName: "孙安全", UnitID: firm,
		Roles: []org.Role{org.RoleEnterprise}, Password: demo.Password}); err != nil {
		t.Fatal(err)
	}

	// 立案 from the inspection page.
	p.login("officer")
	p.do(chromedp.Navigate(fmt.Sprintf("%s/enforce/inspections/%d", base, insp)), chromedp.WaitVisible(css(fmt.Sprintf(`#case-open-%d`, finding))))
	p.submitTo(fmt.Sprintf(`#case-open-%d`, finding), `#notice`)
	if n := p.text(`#case-number`); !strings.Contains(n, "立〔2026〕") {
		t.Errorf("the case's number: %q", n)
	}
	caseURL := p.read(`#case-number`, chromedp.Evaluate[string](`location.pathname`))
	var d struct {
		ID   int64 `json:"id"`
		Rows []struct {
			Tier string  `json:"tier"`
			Min  float64 `json:"min"`
			Max  float64 `json:"max"`
		} `json:"discretion"`
		Writs []struct {
			ID     int64  `json:"id"`
			Kind   string `json:"kind"`
			Number string `json:"number"`
			Fields []struct {
				Label string   `json:"label"`
				Value []string `json:"value"`
			} `json:"fields"`
		} `json:"writs"`
		Owed struct {
			LateDays int     `json:"late_days"`
			LateFee  float64 `json:"late_fee"`
			Total    float64 `json:"total"`
		} `json:"owed"`
		Paid      float64 `json:"paid"`
		Surcharge float64 `json:"surcharge"`
		State     string  `json:"state"`
	}
	get := func() {
		t.Helper()
		if err := json.Unmarshal(apiCall(t, base, "officer", "GET", "/api/v1"+caseURL, "", 200), &d); err != nil {
			t.Fatal(err)
		}
	}
	get()
	var fine float64
	for _, r := range d.Rows {
		if r.Tier == "较轻" {
			fine = r.Max // the top of the lightest tier: below the hearing threshold
		}
	}
	if fine == 0 || fine >= 50000 {
		t.Fatalf("the lightest tier of %+v", d.Rows)
	}
	p.do(chromedp.Click(css(`#notice input[name=tier][value="较轻"]`)), chromedp.SendKeys(css(`#notice input[name=proposed]`), fmt.Sprintf("%.0f", fine+1)))
	p.submitTo(`#notice-issue`, `#notice .field-err`)
	if e := p.text(`#notice`); !strings.Contains(e, "较轻") || !strings.Contains(e, "之内") {
		t.Errorf("a fine over the tier: %q", e)
	}
	p.do(chromedp.SetValue(css(`#notice input[name=proposed]`), fmt.Sprintf("%.0f", fine)), chromedp.Click(css(`#notice input[name=tier][value="较轻"]`)))
	p.submitTo(`#notice-issue`, `#writs .writ-notice`)
	p.shot("90-case-noticed.jpg")
	p.logout()

	// The party states its case online and consents to electronic service.
	p.login("party1")
	p.do(chromedp.Navigate(base+caseURL), chromedp.WaitVisible(css(`#statement`)))
	p.do(chromedp.SendKeys(css(`#statement textarea[name=text]`), "我单位已于当日整改完毕，系初次违法，请求从轻处罚。"),
		chromedp.Click(css(`#statement input[name=done]`))) // nothing to add: the head need not wait for the period's end
	p.submitTo(`#statement-send`, `#consent`)
	p.do(chromedp.SendKeys(css(`#consent input[name=signer]`), "孙安全"))
	p.submitTo(`#consent-sign`, `#statement`)
	if p.present(`#consent`) {
		t.Error("the consent form is still there once signed")
	}
	p.logout()

	// The head decides.
	p.login("head")
	p.do(chromedp.Navigate(base+caseURL), chromedp.WaitVisible(css(`#decide`)))
	p.submitTo(`#decide`, `#writs .writ-decision`)
	p.logout()

	// The officer serves it electronically.
	p.login("officer")
	p.do(chromedp.Navigate(base+caseURL), chromedp.WaitVisible(css(`#service`)), chromedp.SetValue(css(`#service select[name=how]`), "electronic"))
	p.submitTo(`#serve`, `#payment`)
	get()
	for _, w := range []struct{ kind, name string }{{"notice", "行政处罚告知书"}, {"decision", "行政处罚决定书"}} {
		var text string
		var id int64
		for _, x := range d.Writs {
			if x.Kind == w.kind {
				text, id = fmt.Sprint(x.Fields), x.ID
			}
		}
		pdf := download(t, base, "officer", fmt.Sprintf("%s/writs/%d", caseURL, id))
		if !strings.HasPrefix(string(pdf), "%PDF-") || len(pdf) < 10000 {
			t.Errorf("%s: not a PDF (%d bytes)", w.name, len(pdf))
		}
		if p.dir != "" {
			path := filepath.Join(p.dir, "91-"+w.name+".pdf")
			_ = os.WriteFile(path, pdf, 0o644)
			t.Logf("writ: %s", path)
		}
		wants := []string{firmName, "陈述", fmt.Sprintf("%.2f", fine)}
		if w.kind == "decision" {
			wants = append(wants, "百分之三", "六十日内", "六个月内", "提出陈述申辩 1 次")
		}
		for _, want := range wants {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %q: %.600s", w.name, want, text)
			}
		}
	}
	p.logout()

	// Twenty days on, the party pays on a phone: three days late.
	clock.Advance(20 * 24 * time.Hour)
	late := fine * 0.09
	p.do(chromedp.EmulateViewport(390, 844))
	p.login("party1")
	p.do(chromedp.Navigate(base+caseURL), chromedp.WaitVisible(css(`#late-fee`)))
	if b := p.text(`#late-fee`); !strings.Contains(b, "逾期 3 日") || !strings.Contains(b, fmt.Sprintf("%.2f", late)) {
		t.Errorf("the late fee banner: %q (want 3 days, %.2f)", b, late)
	}
	if o := p.text(`#owed-total`); o != fmt.Sprintf("%.2f", fine+late) {
		t.Errorf("owed: %q, want %.2f", o, fine+late)
	}
	if p.wider() {
		t.Error("the case page is wider than the phone")
	}
	p.shot("92-case-late-phone.jpg")
	p.do(chromedp.SendKeys(css(`#payment input[name=amount]`), fmt.Sprintf("%.0f", fine)), chromedp.SendKeys(css(`#payment input[name=receipt]`), "3701202607300001"))
	p.submitTo(`#pay`, `#payment .field-err`)
	if e := p.text(`#payment`); !strings.Contains(e, "加处罚款") {
		t.Errorf("paying the fine alone: %q", e)
	}
	p.do(chromedp.SetValue(css(`#payment input[name=amount]`), fmt.Sprintf("%.2f", fine+late)))
	p.submitTo(`#pay`, `#case-paid`)
	if s := p.text(`#case-paid`); !strings.Contains(s, fmt.Sprintf("含加处罚款 %.2f 元", late)) {
		t.Errorf("paid: %q", s)
	}
	get()
	if d.State != "paid" || d.Surcharge != late || d.Paid != fine+late {
		t.Errorf("the case after payment: %s, paid %.2f, surcharge %.2f", d.State, d.Paid, d.Surcharge)
	}
}

// submitTo clicks a form's button and waits for the next page's sel (the
// page left behind is marked, so its own sel does not count).
func (p page) submitTo(button, sel string) {
	p.t.Helper()
	p.js(`document.body.dataset.stale = '1'`)
	p.submit(button)
	p.do(chromedp.WaitVisible(css(`body:not([data-stale]) ` + sel)))
}

// present reports whether sel is on the page.
func (p page) present(sel string) bool {
	p.t.Helper()
	return p.read(sel, chromedp.Evaluate[string](`document.querySelector('`+sel+`') ? 'yes' : ''`)) != ""
}
