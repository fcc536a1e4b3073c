package browser_test

import (
	"context"
	"encoding/json"
	"fmt"
	"image/color"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"anwei/internal/calendar"
)

// apiCall makes one API request as user (signed in through the login
// form, the session cookie carrying it) and returns the answer's body.
func apiCall(t *testing.T, base, user, method, path, body string, want int) []byte {
	t.Helper()
	code, b := apiTry(t, base, user, method, path, body)
	if code != want {
		t.Fatalf("%s %s as %s: %d %s", method, path, user, code, b)
	}
	return b
}

// apiTry is apiCall answering the status, whatever it is.
func apiTry(t *testing.T, base, user, method, path, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", base)
	res, err := signedIn(t, base, user).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// drawOn signs a canvas as a finger would: pointer events along a zigzag.
func (p page) drawOn(sel string) {
	p.t.Helper()
	p.js(`(() => {
		const c = document.querySelector(` + "`" + sel + "`" + `); const r = c.getBoundingClientRect();
		const ev = (t, x, y) => c.dispatchEvent(new PointerEvent(t, {bubbles: true, pointerId: 1, clientX: r.left + x, clientY: r.top + y}));
		ev('pointerdown', 20, r.height / 2);
		for (let i = 0, x = 20; x < r.width - 20; i++, x += 6) ev('pointermove', x, r.height / 2 + (i % 4 < 2 ? 15 : -15) * Math.sin(i / 3));
		ev('pointerup', r.width - 20, r.height / 2);
	})()`)
}

// TestBrowserInspectionOnAPhone: the head approves a task 区应急局's planner
// staffed, and at 390×844 the officer scans the enterprise's entry code,
// starts, works the checklist (each mark saved as it is made — a mark made
// with the connection down survives a reload and is sent again), records
// a hazard with a photo and a violation, has the record signed by both
// officers and the party with a finger, closes it, and downloads the
// 现场检查记录 and the 责令限期整改指令书: both PDFs carry the enterprise,
// the officers' certificates and the order's deadline; the hazard is in
// the hazard mechanism under the order.
func TestBrowserInspectionOnAPhone(t *testing.T) {
	t.Parallel()
	base := liveServer(t)
	p := page{t: t, ctx: browser(t), base: base, dir: artifacts(t)}

	// The planner's task: a planned inspection of the year, staffed.
	var list struct {
		Items []struct {
			ID           int64  `json:"id"`
			EnterpriseID int64  `json:"enterprise_id"`
			Enterprise   string `json:"enterprise"`
			Officers     string `json:"officers"`
			Basis        string `json:"basis"`
		} `json:"items"`
	}
	if err := json.Unmarshal(apiCall(t, base, "member", "GET", "/api/v1/enforce/inspections?state=planned&limit=100", "", 200), &list); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, u := range []string{"officer", "officer2"} {
		var me struct {
			ID int64 `json:"id"`
		}
		if err := json.Unmarshal(apiCall(t, base, u, "GET", "/api/v1/me", "", 200), &me); err != nil || me.ID == 0 {
			t.Fatalf("me: %v", err)
		}
		ids = append(ids, me.ID)
	}
	today := calendar.Local(time.Now())
	staff := fmt.Sprintf(`{"officers":[%d,%d],"from":%q,"to":%q}`, ids[0], ids[1], today.Format("2006-01-02"), today.AddDate(0, 0, 7).Format("2006-01-02"))
	var task, firm int64
	var firmName string
	for _, i := range list.Items { // the first the team may take (an officer's declared conflict is honoured)
		if i.Officers != "" || i.Basis != "plan" {
			continue
		}
		if code, _ := apiTry(t, base, "member", "PUT", fmt.Sprintf("/api/v1/enforce/inspections/%d/task", i.ID), staff); code == 204 {
			task, firm, firmName = i.ID, i.EnterpriseID, i.Enterprise
			break
		}
	}
	if task == 0 {
		t.Fatalf("no planned inspection the team may take among %d", len(list.Items))
	}

	// The head approves on the page: the notice goes out.
	p.login("head")
	p.do(chromedp.Navigate(fmt.Sprintf("%s/enforce/inspections/%d", base, task)), chromedp.WaitVisible(css(`#task-approve`)))
	p.submit(`#task-approve`)
	p.do(chromedp.WaitVisible(css(`#writs .writ-notice`)))
	if s := p.text(`#inspection-state`); s != "已批准待检查" {
		t.Errorf("after approval: %q", s)
	}
	p.logout()

	// The officer, on a phone, scans the entry code at the gate.
	var code struct{ Token, URL string }
	if err := json.Unmarshal(apiCall(t, base, "officer", "GET", fmt.Sprintf("/api/v1/enterprises/%d/entry-code", firm), "", 200), &code); err != nil {
		t.Fatal(err)
	}
	// A phone that tells where it is (the start records the position).
	p.do(chromedp.EmulateViewport(390, 844), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		lat, lon, acc := 36.67012, 117.00131, 10.0
		if _, err := cdp.Call(ctx, tg, emulation.SetGeolocationOverride, emulation.SetGeolocationOverrideParams{Latitude: &lat, Longitude: &lon, Accuracy: &acc}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, chromedp.FromContext(ctx).Browser, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
			Permission: &cdpbrowser.PermissionDescriptor{Name: "geolocation"}, Setting: cdpbrowser.PermissionSettingGranted, Origin: base,
			BrowserContextID: chromedp.FromContext(ctx).BrowserContextID})
		return err
	}))
	p.login("officer")
	p.do(chromedp.Navigate(code.URL), chromedp.WaitVisible(css(`#checkin-go`)))
	if n := p.text(`#checkin-enterprise`); n != firmName {
		t.Errorf("the scan names %q, want %q", n, firmName)
	}
	p.submit(`#checkin-go`)
	p.do(chromedp.WaitVisible(css(`#inspection-start`)))
	p.submit(`#inspection-start`)
	p.do(chromedp.WaitVisible(css(`#checklist[data-autosave]`)))
	if f := p.text(`dl.facts`); !strings.Contains(f, "36.67012, 117.00131") {
		t.Errorf("the start's position: %q", f)
	}
	if p.wider() {
		t.Error("the inspection page is wider than the phone")
	}
	p.shot("80-inspection-checklist-phone.jpg")

	// The checklist: every item marked as the officer goes, two 不合格.
	keys := p.read(`#checklist`, chromedp.Evaluate[string](`[...document.querySelectorAll('#checklist ol.checklist > li')].map(li => li.id.slice(5)).join(' ')`))
	items := strings.Fields(keys)
	if len(items) < 5 {
		t.Fatalf("%d checklist items", len(items))
	}
	// The two 不合格 by tapping, with a note typed; the 合格 ones tapped in
	// one go (each click still fires its change and its save).
	for _, k := range items[1:3] {
		p.do(chromedp.Click(css(fmt.Sprintf(`input[name="result_%s"][value=fail]`, k))),
			chromedp.SendKeys(css(fmt.Sprintf(`input[name="note_%s"]`, k)), "现场发现问题"))
	}
	p.js(`document.querySelectorAll('#checklist ol.checklist > li').forEach((li, n) => { if (n !== 1 && n !== 2) li.querySelector('input[value=pass]').click(); })`)
	p.do(chromedp.Click(css(`#checklist h3`))) // the last note's change event
	p.do(chromedp.Poll[chromedp.Void](`document.querySelector('[data-save-status]').textContent === '已自动保存'`, chromedp.WithPollingTimeout(10*time.Second)))
	// The connection drops: a mark made then is kept on the phone, and a
	// reload puts it back and sends it.
	last := items[len(items)-1]
	p.js(`window.fetch = () => Promise.reject(new TypeError('offline'))`)
	p.do(chromedp.Click(css(fmt.Sprintf(`input[name="result_%s"][value=na]`, last))))
	p.do(chromedp.Poll[chromedp.Void](`document.querySelector('[data-save-status]').textContent.startsWith('离线')`, chromedp.WithPollingTimeout(5*time.Second)))
	p.do(chromedp.Reload(), chromedp.WaitVisible(css(`#checklist[data-autosave]`)))
	p.do(chromedp.Poll[chromedp.Void](`document.querySelector('[data-save-status]').textContent === '已自动保存'`, chromedp.WithPollingTimeout(10*time.Second)))
	p.do(chromedp.Reload(), chromedp.WaitVisible(css(`#checklist[data-autosave]`)))
	if !p.checked(fmt.Sprintf(`input[name="result_%s"][value=na]`, last)) || !p.checked(fmt.Sprintf(`input[name="result_%s"][value=fail]`, items[1])) {
		t.Error("a mark was lost over the reloads")
	}

	// Two findings: a general hazard with a photo, and a violation.
	deadline := today.AddDate(0, 0, 14).Format("2006-01-02")
	p.do(chromedp.SetValue(css(`#finding select[name=item_key]`), items[1]),
		chromedp.SendKeys(css(`#finding input[name=place]`), "二号仓库"),
		chromedp.SendKeys(css(`#finding textarea[name=description]`), "消防通道堆放杂物，安全出口被锁闭"),
		chromedp.Click(css(`#finding input[name=hazard][value=general]`)),
		chromedp.SetValue(css(`#finding input[name=deadline]`), deadline),
		chromedp.SetUploadFiles(css(`#finding input[name=files]`), []string{photo(t, "仓库.png", color.RGBA{200, 60, 40, 255})}))
	p.submit(`#finding-add`)
	p.do(chromedp.WaitVisible(css(`#findings li.finding`)))
	p.do(chromedp.SetValue(css(`#finding select[name=item_key]`), items[2]),
		chromedp.SendKeys(css(`#finding input[name=place]`), "配电室"),
		chromedp.SendKeys(css(`#finding textarea[name=description]`), "未设置安全警示标志"),
		chromedp.SetValue(css(`#finding select[name=violation]`), "a99-1"),
		chromedp.SetValue(css(`#finding input[name=deadline]`), deadline))
	p.js(`document.querySelector('#findings').id = 'findings-before'`)
	p.submit(`#finding-add`)
	p.do(chromedp.WaitVisible(css(`#findings li.finding + li.finding`)))
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#findings img.thumb').length`)); n != 1 {
		t.Errorf("%d photos shown with the findings", n)
	}
	p.shot("81-inspection-findings-phone.jpg")

	// Closing before the signatures is refused, naming what is missing.
	p.do(chromedp.SendKeys(css(`#close input[name=party]`), "张建国"),
		chromedp.SendKeys(css(`#close input[name=party_post]`), "安全主管"),
		chromedp.SendKeys(css(`#close textarea[name=summary]`), "按检查表逐项检查，查阅安全生产责任制、隐患排查治理台账，现场检查仓库、配电室。"))
	p.submit(`#inspection-close`)
	p.do(chromedp.WaitVisible(css(`.flash.err`)))
	if e := p.text(`.flash.err`); !strings.Contains(e, "两名执法人员签名") {
		t.Errorf("closing unsigned: %q", e)
	}
	if v := p.value(`#close textarea[name=summary]`); !strings.HasPrefix(v, "按检查表逐项检查") {
		t.Errorf("the summary typed was lost: %q", v)
	}

	// The signatures, drawn with a finger: each officer signs his own box
	// (钱伟 on his own phone), the party on the officer's.
	here := fmt.Sprintf("%s/enforce/inspections/%d", base, task)
	sign := func(role string) {
		sel := "#sign-" + role
		if role == "party" {
			p.do(chromedp.SendKeys(css(sel+` input[name=name]`), "张建国"))
		}
		p.drawOn(sel + ` canvas`)
		p.submit(sel + ` button.primary`)
		p.do(chromedp.WaitVisible(css(sel + ` img.signature`)))
	}
	p.drawOn(`#sign-officer2 canvas`)
	p.submit(`#sign-officer2 button.primary`)
	p.do(chromedp.WaitVisible(css(`#sign .field-err`)))
	if e := p.text(`#sign .field-err`); !strings.Contains(e, "本人签名") {
		t.Errorf("赵明 signing 钱伟's box: %q", e)
	}
	sign("officer1")
	p.logout()
	p.login("officer2")
	p.do(chromedp.Navigate(here), chromedp.WaitVisible(css(`#sign-officer2 canvas`)))
	sign("officer2")
	p.logout()
	p.login("officer")
	p.do(chromedp.Navigate(here), chromedp.WaitVisible(css(`#sign-party canvas`)))
	sign("party")
	p.shot("82-inspection-signed-phone.jpg")
	p.submit(`#inspection-close`)
	p.do(chromedp.WaitVisible(css(`#writs .writ-order`)))
	if s := p.text(`#inspection-state`); s != "已完成" {
		t.Errorf("after closing: %q", s)
	}
	if p.wider() {
		t.Error("the closed inspection is wider than the phone")
	}
	p.shot("83-inspection-closed-phone.jpg")

	// The writs: the record and the order, downloaded as PDFs (kept in
	// the artifacts to look at), each saying what the law asks of it.
	var detail struct {
		Writs []struct {
			Kind, Title, Number string
			Fields              []struct {
				Label string
				Value []string
			}
		} `json:"writs"`
	}
	if err := json.Unmarshal(apiCall(t, base, "officer", "GET", fmt.Sprintf("/api/v1/enforce/inspections/%d", task), "", 200), &detail); err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct{ sel, kind, name string }{{"#writs .writ-record", "record", "现场检查记录"}, {"#writs .writ-order", "order", "责令限期整改指令书"}} {
		href := p.read(w.sel, chromedp.Evaluate[string](`document.querySelector('`+w.sel+`').getAttribute('href')`))
		pdf := download(t, base, "officer", href)
		if !strings.HasPrefix(string(pdf), "%PDF-") || len(pdf) < 10000 {
			t.Errorf("%s: not a PDF (%d bytes)", w.name, len(pdf))
		}
		if p.dir != "" {
			path := filepath.Join(p.dir, "84-"+w.name+".pdf")
			_ = os.WriteFile(path, pdf, 0o644)
			t.Logf("writ: %s", path)
		}
		var text string
		for _, x := range detail.Writs {
			if x.Kind == w.kind {
				text = fmt.Sprint(x.Fields)
			}
		}
		wants := []string{firmName, "37010520180011"}
		if w.kind == "record" {
			wants = append(wants, "二号仓库", "不合格 2 项", "张建国")
		} else {
			wants = append(wants, "消防通道堆放杂物", docsDate(deadline), "第九十九条")
		}
		for _, want := range wants {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %q: %.600s", w.name, want, text)
			}
		}
	}
	// The hazard is in the hazard mechanism, under the order.
	var hz struct {
		Items []struct{ Source, State, Writ string } `json:"items"`
	}
	if err := json.Unmarshal(apiCall(t, base, "officer", "GET", fmt.Sprintf("/api/v1/hazards?enterprise=%d&source=inspection", firm), "", 200), &hz); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, h := range hz.Items {
		found = found || (h.State == "assigned" && strings.Contains(h.Writ, "应急责改"))
	}
	if !found {
		t.Errorf("no hazard under the order: %+v", hz.Items)
	}
}

// docsDate is a date as a writ prints it: 2026年12月19日.
func docsDate(iso string) string {
	d, _ := time.Parse("2006-01-02", iso)
	return fmt.Sprintf("%d年%d月%d日", d.Year(), d.Month(), d.Day())
}
