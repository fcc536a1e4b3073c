package browser_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"anwei/internal/auth"
	"anwei/internal/demo"
)

// TestBrowserTwoFactorOnAPhone: on a 390 px phone, a department user binds
// an authenticator under 账号安全 (QR code, the secret in groups, the first
// code), keeps its recovery codes, signs in again with a code, and sees its
// tokens' scopes — no page wider than the phone.
func TestBrowserTwoFactorOnAPhone(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("member")
	p.do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(p.base+"/account"),
		chromedp.WaitVisible(css(`form[action="/account/two-factor"] button`)),
		chromedp.SendKeys(css(`form[action="/account/two-factor"] input[name=password]`), demo.Password),
		chromedp.Click(css(`form[action="/account/two-factor"] button`)),
		chromedp.WaitVisible(css(`form[action="/account/two-factor/confirm"] input[name=code]`)))
	secret := strings.ReplaceAll(p.text(`#factor code.secret`), " ", "")
	if len(secret) != 32 {
		t.Fatalf("the secret shown: %q", secret)
	}
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('.qr img[src^="data:image/png"]').length`)); n != 1 {
		t.Error("no QR code")
	}
	if p.wider() {
		t.Error("the binding is wider than the phone")
	}
	p.shot("90-account-bind-phone.jpg")
	p.do(chromedp.SendKeys(css(`form[action="/account/two-factor/confirm"] input[name=code]`), auth.TOTPCode(secret, time.Now())),
		chromedp.Click(css(`form[action="/account/two-factor/confirm"] button`)), chromedp.WaitVisible(css(`ul.codes`)))
	if n, _ := chromedp.Run(p.ctx, chromedp.Evaluate[int](`document.querySelectorAll('ul.codes li').length`)); n != auth.RecoveryCodeCount {
		t.Errorf("%d recovery codes shown", n)
	}
	if p.wider() {
		t.Error("the recovery codes are wider than the phone")
	}
	p.shot("91-account-recovery-codes-phone.jpg")

	// Signing in again asks for a code (the next step's: this one is spent).
	p.logout()
	p.do(chromedp.Navigate(p.base+"/login?next=%2Faccount%2Ftokens"), chromedp.WaitVisible(css(`input[name=username]`)),
		chromedp.SendKeys(css(`input[name=username]`), "member"),
		chromedp.SendKeys(css(`input[name=password]`), demo.Password),
		chromedp.Click(css(`button[type=submit]`)), chromedp.WaitVisible(css(`form[action="/login/code"] input[name=code]`)))
	if p.wider() {
		t.Error("the code page is wider than the phone")
	}
	p.shot("92-login-code-phone.jpg")
	p.do(chromedp.SendKeys(css(`input[name=code]`), auth.TOTPCode(secret, time.Now().Add(30*time.Second))),
		chromedp.Click(css(`form[action="/login/code"] button`)), chromedp.WaitVisible(css(`select[name=area]`)),
		chromedp.SendKeys(css(`input[name=name]`), "隐患数据对接"),
		chromedp.SetValue(css(`select[name=area]`), "hazard"),
		chromedp.SendKeys(css(`input[name=password]`), demo.Password),
		chromedp.Click(css(`form[action="/account/tokens"] button`)), chromedp.WaitVisible(css(`code.token`)))
	if row := p.text(`table.list tbody tr`); !strings.Contains(row, "隐患") || !strings.Contains(row, "只读") || !strings.Contains(row, "从未使用") {
		t.Errorf("the new token's row: %q", row)
	}
	if p.wider() {
		t.Error("the tokens page is wider than the phone")
	}
	p.shot("93-account-tokens-phone.jpg")
}
