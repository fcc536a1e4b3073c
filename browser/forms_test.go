package browser_test

import (
	"encoding/json"
	"image/color"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// errNear is the message said next to the field sel (the .field-err in
// its label or fieldset), "" when there is none.
func (p page) errNear(sel string) string {
	p.t.Helper()
	q, _ := json.Marshal(sel)
	return p.read(sel, chromedp.Evaluate[string](`(() => {
		const el = document.querySelector(`+string(q)+`);
		const box = el && el.closest('label, fieldset, form.inline');
		const e = box && box.querySelector('.field-err');
		return e ? e.textContent : '';
	})()`))
}

// checked reports whether the box sel is ticked.
func (p page) checked(sel string) bool {
	p.t.Helper()
	q, _ := json.Marshal(sel)
	return p.read(sel, chromedp.Evaluate[string](`String(!!document.querySelector(`+string(q)+`)?.checked)`)) == "true"
}

// sendBack submits the form of the button sel and waits for the page to
// come back with its error.
func (p page) sendBack(button string) {
	p.t.Helper()
	p.js(`document.body.dataset.stale = '1'`) // the next page's body has no mark
	p.do(chromedp.Click(css(button)), chromedp.WaitVisible(css(`body:not([data-stale]) .flash.err`)))
}

// TestBrowserFormsKeepEverything: a form of each family sent with several
// mistakes comes back saying each next to its field, with nothing the
// person typed, ticked, picked or uploaded lost (issue 16.2) — on one
// server, in one tab.
func TestBrowserFormsKeepEverything(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	says := func(what, sel, want string) {
		t.Helper()
		if got := p.errNear(sel); want == "" && got == "" || want != "" && !strings.Contains(got, want) {
			t.Errorf("%s: next to %s: %q, want %q", what, sel, got, want)
		}
	}
	keeps := func(what, sel, want string) {
		t.Helper()
		if got := p.value(sel); got != want {
			t.Errorf("%s: %s came back %q, want %q", what, sel, got, want)
		}
	}
	ticked := func(what, sel string) {
		t.Helper()
		if !p.checked(sel) {
			t.Errorf("%s: %s came back unticked", what, sel)
		}
	}

	// The org family: a new user, its unit picked by name.
	p.login("admin")
	p.do(chromedp.Navigate(p.base+"/org/users/new"), chromedp.WaitVisible(css(`input.picker-box`)),
		chromedp.SendKeys(css(`input.picker-box`), "泺口精细"), chromedp.WaitVisible(css(`.picker-list li[role=option]`)),
		chromedp.Click(css(`.picker-list li[role=option]`)))
	unitID, unitName := p.value(`input[name=unit_id]`), p.value(`input.picker-box`)
	if unitID == "" || !strings.Contains(unitName, "泺口") {
		t.Fatalf("picking the unit: %q %q", unitID, unitName)
	}
	p.do(chromedp.SendKeys(css(`input[name=username]`), "9坏名字"), chromedp.SendKeys(css(`input[name=display_name]`), "表单测试"),
		chromedp.SendKeys(css(`input[name=phone]`), "12"), chromedp.Click(css(`input[name=roles][value=enterprise]`)),
		chromedp.SendKeys(css(`input[name=password]`), "abc"))
	p.sendBack(`button.primary`)
	says("user", `input[name=username]`, "用户名须为")
	says("user", `input[name=phone]`, "电话「12」")
	says("user", `input[name=password]`, "")
	keeps("user", `input[name=username]`, "9坏名字")
	keeps("user", `input[name=display_name]`, "表单测试")
	keeps("user", `input[name=phone]`, "12")
	keeps("user", `input[name=unit_id]`, unitID)
	keeps("user", `input.picker-box`, unitName)
	ticked("user", `input[name=roles][value=enterprise]`)
	p.shot("70-form-user-errors.jpg")
	// Away from a form with its own username field, which logout would take for the login page's.
	p.do(chromedp.Navigate(p.base+"/inbox"), chromedp.WaitNotPresent(css(`input[name=username]`)))
	p.logout()

	// The class rule (a blank number is 请填写, not 0) and the 督办 notice.
	p.login("office")
	p.do(chromedp.Navigate(p.base+"/enterprises/duties"), chromedp.WaitVisible(css(`#class-rule-form`)),
		chromedp.SetValue(css(`#class-rule-form input[name=cat_hazchem]`), ""),
		chromedp.SetValue(css(`#class-rule-form input[name=open_major]`), ""),
		chromedp.SetValue(css(`#class-rule-form input[name="grade_一级"]`), "5"),
		chromedp.SetValue(css(`#class-rule-form input[name=class_min_1]`), "99"))
	p.sendBack(`#class-rule-form button`)
	says("class rule", `input[name=cat_hazchem]`, "请填写危险化学品的分值")
	says("class rule", `input[name=open_major]`, "请填写未销号重大隐患的分值")
	says("class rule", `input[name=class_min_1]`, "类别 B 的分数下限应低于 A")
	keeps("class rule", `input[name=cat_hazchem]`, "")
	keeps("class rule", `input[name="grade_一级"]`, "5")
	keeps("class rule", `input[name=class_min_1]`, "99")
	p.shot("71-form-class-rule-errors.jpg")

	p.do(chromedp.Navigate(p.base+"/supervise?status=overdue"), chromedp.WaitVisible(css(`#issue-form input[name=instance]`)))
	inst := mustAttr(p, `#issue-form input[name=instance]`, "value")
	p.do(chromedp.Click(css(`#issue-form input[name=instance]`)), chromedp.SetValue(css(`#issue-form select[name=kind]`), "sheet"),
		chromedp.SetValue(css(`#issue-form input[name=answer_by]`), ""))
	p.sendBack(`#issue-form button.primary`)
	says("notice", `#issue-form input[name=answer_by]`, "请填写回复期限")
	ticked("notice", `#issue-form input[name=instance][value="`+inst+`"]`)
	keeps("notice", `#issue-form select[name=kind]`, "sheet")
	p.shot("72-form-notice-errors.jpg")
	p.logout()

	// The enterprise: its record, a hazard report with a photo, a risk point.
	p.login("enterprise")
	p.do(chromedp.Navigate(p.base+"/enterprises"), chromedp.WaitVisible(css(`#enterprises tbody a`)),
		chromedp.Click(css(`#enterprises tbody a`)), chromedp.WaitVisible(css(`a[href$="/edit"]`)),
		chromedp.Click(css(`a[href$="/edit"]`)), chromedp.WaitVisible(css(`#ent-form`)))
	address := p.value(`#ent-form input[name=address]`)
	p.js(`(f => { f.elements['name'].value = ''; f.elements['principal_phone'].value = '12'; f.elements['grid'].value = '第三网格' })(document.querySelector('#ent-form'))`)
	had := mustAttr(p, `#ent-form input[name=categories]:checked`, "value")
	added := mustAttr(p, `#ent-form input[name=categories]:not(:checked)`, "value")
	p.do(chromedp.Click(css(`#ent-form input[name=categories][value=` + added + `]`)))
	p.js(`document.querySelector('#ent-form input[name=name]').removeAttribute('required')`) // the server's check, not the browser's
	p.sendBack(`#ent-form button.primary`)
	says("record", `#ent-form input[name=name]`, "请填写企业名称")
	says("record", `#ent-form input[name=principal_phone]`, "主要负责人电话「12」")
	keeps("record", `#ent-form input[name=grid]`, "第三网格")
	keeps("record", `#ent-form input[name=address]`, address)
	ticked("record", `#ent-form input[name=categories][value=`+added+`]`)
	ticked("record", `#ent-form input[name=categories][value=`+had+`]`)
	p.shot("73-form-record-errors.jpg")

	shot := photo(t, "现场.png", color.RGBA{180, 60, 20, 255})
	p.do(chromedp.Navigate(p.base+"/hazards/new"), chromedp.WaitVisible(css(`#handling`)),
		chromedp.Click(css(`#handling input[value=self]`)),
		chromedp.SendKeys(css(`#hazard-form input[name=place]`), "表单测试部位"),
		chromedp.SetUploadFiles(css(`#hazard-form input[name=files]`), []string{shot}))
	p.js(`document.querySelectorAll('#hazard-form [required]').forEach(e => e.removeAttribute('required'))`)
	p.sendBack(`#hazard-form button.primary`)
	says("hazard", `#hazard-form textarea[name=description]`, "请描述隐患情况")
	says("hazard", `#hazard-form input[name=responsible]`, "整改责任人")
	says("hazard", `#hazard-form input[name=deadline]`, "整改期限")
	says("hazard", `#hazard-form textarea[name=measures]`, "整改措施")
	keeps("hazard", `#hazard-form input[name=place]`, "表单测试部位")
	ticked("hazard", `#handling input[value=self]`)
	if held := p.text(`#hazard-form .held`); !strings.Contains(held, "现场.png") {
		t.Errorf("hazard: the photo is not held: %q", held)
	}
	p.shot("74-form-hazard-errors.jpg")
	// Sent again without choosing the photo again: it is there.
	deadline := p.read("today", chromedp.Evaluate[string](`new Date(Date.now() + 20*864e5).toISOString().slice(0, 10)`))
	p.do(chromedp.SendKeys(css(`#hazard-form textarea[name=description]`), "防护栏松动"),
		chromedp.SendKeys(css(`#hazard-form textarea[name=measures]`), "更换防护栏"),
		chromedp.SendKeys(css(`#hazard-form input[name=responsible]`), "设备科 王强"),
		chromedp.SetValue(css(`#hazard-form input[name=deadline]`), deadline),
		chromedp.Click(css(`#hazard-form button.primary`)), chromedp.WaitVisible(css(`#hazard-state`)))
	if n := p.read("photos", chromedp.Evaluate[string](`String(document.querySelectorAll('#photos img').length)`)); n != "1" {
		t.Errorf("hazard: %s photos after sending the form again, want the held one", n)
	}

	p.do(chromedp.Navigate(p.base+"/risks/new"), chromedp.WaitVisible(css(`#risk-form`)),
		chromedp.Click(css(`#risk-form input[name=accidents][value="火灾"]`)),
		chromedp.SendKeys(css(`#risk-form textarea[name=measures]`), "表单测试措施"),
		chromedp.SendKeys(css(`#risk-form input[name=activity]`), "导热油炉"))
	p.sendBack(`#risk-form button.primary`)
	says("risk", `#risk-form input[name=name]`, "请填写风险点名称")
	says("risk", `#risk-form textarea[name=factors]`, "请填写危险有害因素")
	says("risk", `#risk-form input[name=responsible]`, "请填写责任人")
	keeps("risk", `#risk-form textarea[name=measures]`, "表单测试措施")
	keeps("risk", `#risk-form input[name=activity]`, "导热油炉")
	ticked("risk", `#risk-form input[name=accidents][value="火灾"]`)
	p.shot("75-form-risk-errors.jpg")
}
