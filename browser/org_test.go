package browser_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// farUnit is a unit of the demo far down the admin's unit list: the
// enterprise at offset n of the enterprises (the list puts governments,
// departments and streets first), read through the API as the signed-in
// user — tests never assume an id.
type farUnit struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func (p page) enterpriseAt(n int) farUnit {
	p.t.Helper()
	js := p.read("units", chromedp.Evaluate[string](fmt.Sprintf(`fetch('/api/v1/units?kind=enterprise&offset=%d&limit=1')
		.then(r => r.json()).then(d => JSON.stringify(d.items[0] || {}))`, n), chromedp.EvalAwaitPromise))
	var u farUnit
	if err := json.Unmarshal([]byte(js), &u); err != nil || u.ID == 0 {
		p.t.Fatalf("no enterprise at offset %d: %s (%v)", n, js, err)
	}
	return u
}

// TestBrowserAdminCreatesUsersForAnyUnit: the admin creates an account for
// an enterprise beyond the first 500 units by typing part of its name into
// 所属单位 and choosing it from the matches — with the keyboard at
// 1366×768, by tapping on a phone (390×844), where nothing is wider than
// the screen (issue 14.2: the list stopped at 500 of 2,043 units).
func TestBrowserAdminCreatesUsersForAnyUnit(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("admin")
	for i, vp := range []struct {
		name string
		w, h int64
	}{{"desktop", 1366, 768}, {"phone", 390, 844}} {
		ent := p.enterpriseAt(1500 + i*300)
		// The words that tell it apart: 济南市天桥区兴满超市 → 兴满超市,
		// 济南泺口精细化工有限公司 → 泺口精细化工.
		part := strings.TrimSuffix(ent.Name, "有限公司")
		for _, place := range []string{"济南市天桥区", "济南市", "济南"} {
			if rest, ok := strings.CutPrefix(part, place); ok {
				part = rest
				break
			}
		}
		user := "pick" + vp.name
		p.do(chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate(p.base+"/org/users/new"),
			chromedp.WaitVisible(css(`input.picker-box`)),
			chromedp.SendKeys(css(`input.picker-box`), part),
			chromedp.WaitVisible(css(fmt.Sprintf(`.picker-list li[data-id="%d"]`, ent.ID))))
		p.shot(fmt.Sprintf("40-user-unit-picker-%s.jpg", vp.name))
		if vp.name == "desktop" {
			at, _ := strconv.Atoi(p.read("option", chromedp.Evaluate[string](fmt.Sprintf(
				`String([...document.querySelectorAll('.picker-list li[role=option]')].findIndex(li => li.dataset.id === '%d'))`, ent.ID))))
			for range at + 1 {
				p.do(chromedp.KeyEvent(kb.ArrowDown))
			}
			p.do(chromedp.KeyEvent(kb.Enter))
		} else {
			overflow := p.read("overflow", chromedp.Evaluate[string](`String(document.documentElement.scrollWidth > window.innerWidth + 1)`))
			if overflow != "false" {
				t.Errorf("the user form with the picker's list open is wider than the phone")
			}
			p.do(chromedp.Click(css(fmt.Sprintf(`.picker-list li[data-id="%d"]`, ent.ID))))
		}
		if got, id := p.value(`input.picker-box`), p.value(`input[name=unit_id]`); got != ent.Name || id != strconv.FormatInt(ent.ID, 10) {
			t.Fatalf("%s: chose %q (id %s), want %q (%d)", vp.name, got, id, ent.Name, ent.ID)
		}
		p.do(chromedp.SendKeys(css(`input[name=username]`), user),
			chromedp.SendKeys(css(`input[name=display_name]`), "测试"+vp.name),
			chromedp.Click(css(`input[name=roles][value=enterprise]`)),
			chromedp.SendKeys(css(`input[name=password]`), "Pick2026x"),
			chromedp.Click(css(`button.primary`)),
			chromedp.WaitVisible(css(`.flash`)))
		if f := p.text(`.flash`); !strings.Contains(f, "已创建") {
			t.Fatalf("%s: creating the user: %q", vp.name, f)
		}
		got := p.read("user", chromedp.Evaluate[string](`fetch('/api/v1/users?q=`+user+`').then(r => r.json()).then(d => d.items.map(u => u.username + ' ' + u.unit_id).join())`, chromedp.EvalAwaitPromise))
		if want := fmt.Sprintf("%s %d", user, ent.ID); got != want {
			t.Errorf("%s: the new account: %q, want %q", vp.name, got, want)
		}
	}
}

// TestBrowserNewUserForThisUnit: "为本单位新建用户" on an enterprise's unit
// page far down the list opens the form with that unit chosen and shown by
// name (issue 14.2: it opened with 请选择).
func TestBrowserNewUserForThisUnit(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("admin")
	ent := p.enterpriseAt(1900)
	p.do(chromedp.Navigate(fmt.Sprintf("%s/org/units/%d", p.base, ent.ID)),
		chromedp.WaitVisible(css(`a[href^="/org/users/new?unit="]`)),
		chromedp.Click(css(`a[href^="/org/users/new?unit="]`)),
		chromedp.WaitVisible(css(`input.picker-box`)))
	p.shot("41-new-user-for-unit.jpg")
	if got, id := p.value(`input.picker-box`), p.value(`input[name=unit_id]`); got != ent.Name || id != strconv.FormatInt(ent.ID, 10) {
		t.Errorf("the form opened with %q (id %s), want %q (%d)", got, id, ent.Name, ent.ID)
	}
}
