package browser_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"

	"anwei/internal/app"
	"anwei/internal/app/apptest"
	"anwei/internal/demo"
	"anwei/internal/store/storetest"
)

// chromiums are the browsers the tests drive, best first: Debian's
// chromium-headless-shell (Chromium's headless build: the same Blink and V8,
// without the desktop browser's UI process work — the browser tests cost
// half the CPU, 28 core-seconds instead of 61, on 2026-12-03), then the full
// chromium.
var chromiums = []string{"/usr/bin/chromium-headless-shell", "/usr/bin/chromium"}

// chromiumPath is the first of chromiums installed ("" when none is).
var chromiumPath = func() string {
	for _, p := range chromiums {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}()

// artifacts is where browser tests leave screenshots and PDFs for a person
// to look at: $ANWEI_ARTIFACTS, or "" — none are made — when it is not set.
// A full-page screenshot costs Chromium a fifth of the browser tests' CPU
// (5 of 27 core-seconds on 2026-12-03), which the suite run after every
// change need not spend; whoever looks at the pages sets the variable.
func artifacts(t *testing.T) string {
	dir := os.Getenv("ANWEI_ARTIFACTS")
	if dir == "" {
		return ""
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// browser starts headless Chromium, or skips (fails under
// ANWEI_TEST_BROWSER_REQUIRED) when it is not installed. A page that breaks
// the Content-Security-Policy fails the test: the browser reports every
// violation in its log (cspWatch).
func browser(t *testing.T) context.Context {
	t.Helper()
	ctx, csp := watchedBrowser(t)
	t.Cleanup(func() {
		for _, v := range csp.take() {
			t.Errorf("Content-Security-Policy violation: %s", v)
		}
	})
	return ctx
}

// cspWatch collects the Content-Security-Policy violations the browser
// reports for a tab.
type cspWatch struct {
	mu   sync.Mutex
	seen []string
}

// take returns the violations seen so far and forgets them.
func (c *cspWatch) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.seen
	c.seen = nil
	return out
}

// watchedBrowser is browser without the check at the end: the tab's context
// and its CSP violations.
func watchedBrowser(t *testing.T) (context.Context, *cspWatch) {
	t.Helper()
	ctx := startBrowser(t)
	w := &cspWatch{}
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*cdplog.EventEntryAdded); ok && strings.Contains(e.Entry.Text, "Content Security Policy") {
			w.mu.Lock()
			w.seen = append(w.seen, e.Entry.URL+": "+e.Entry.Text)
			w.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return ctx, w
}

// chromium is the one headless Chromium the package's browser tests share,
// started at the first use and stopped by TestMain (closeBrowser): each
// test gets a tab in a browser context of its own — its own cookies, so
// tests signed in as different users run in parallel — instead of a
// browser process of its own (six of them cost seconds of start-up CPU).
var chromium struct {
	once   sync.Once
	ctx    context.Context
	cancel func()
	err    error
}

func startBrowser(t *testing.T) context.Context {
	t.Helper()
	if chromiumPath == "" {
		if os.Getenv("ANWEI_TEST_BROWSER_REQUIRED") != "" {
			t.Fatalf("ANWEI_TEST_BROWSER_REQUIRED is set but none of %v is installed", chromiums)
		}
		storetest.Skip(t, "browser", fmt.Sprintf("browser tests skipped: none of %v installed (apt-get install chromium-headless-shell)", chromiums))
	}
	chromium.once.Do(func() {
		dir, err := os.MkdirTemp("", "anwei-chromium-")
		if err != nil {
			chromium.err = err
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(chromiumPath),
			chromedp.Flag("headless", true),
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("no-first-run", true),
			chromedp.Flag("disable-quic", true),
			chromedp.UserDataDir(dir),
			chromedp.WindowSize(1366, 768),
		)
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		bctx, cancelBrowser := chromedp.NewContext(actx)
		chromium.ctx = bctx
		chromium.cancel = func() { cancelBrowser(); cancelAlloc(); os.RemoveAll(dir) }
		chromium.err = chromedp.Do(bctx) // starts the browser
	})
	if chromium.err != nil {
		t.Fatalf("starting %s: %v", chromiumPath, chromium.err)
	}
	ctx, cancel := chromedp.NewContext(chromium.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// A guard against a wait that never ends, not a time limit: at a load
	// of 10 to 15 on two cores a flow took over 90 s.
	ctx, cancel2 := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancel2)
	return ctx
}

// closeBrowser stops the shared Chromium, if a test started it.
func closeBrowser() {
	if chromium.cancel != nil {
		chromium.cancel()
	}
}

// liveServer runs the demo deployment on a free loopback port, served as
// `anwei serve` serves it (Server.HTTPServer).
func liveServer(t *testing.T) string {
	t.Helper()
	_, addr := apptest.Serve(t, app.Config{})
	return "http://" + addr
}

// page drives one browser tab for a test, failing the test on any error.
type page struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string
}

// do runs the steps one by one; a step whose node was replaced between
// its query and its action (replaced) runs again, up to three times — the
// step did nothing then, so running it again is safe; any other error
// fails the test at once.
func (p page) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	for _, step := range steps {
		for try := 1; ; try++ {
			err := chromedp.Do(p.ctx, step)
			if err == nil {
				break
			}
			if try == 3 || !replaced(err) {
				p.t.Fatal(err)
			}
		}
	}
}

// submit clicks a form's button once. p.do clicks again when the node was
// replaced between its query and the click — and the page a submission
// leaves replaces every node, so a retried submit could send the form
// twice (a reminder refused as already out, seen in CI).
func (p page) submit(sel string) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Click(css(sel))); err != nil && !replaced(err) {
		p.t.Fatal(err)
	}
}

// replaced tells chromedp's ways of saying that the node a query found, or
// the page it was to run in, is gone (the page changed under it, as right
// after a sign-in's redirect).
func replaced(err error) bool {
	return strings.Contains(err.Error(), "No node with given id found") || strings.Contains(err.Error(), "Could not find node with given id") ||
		// the page navigated between the query and its evaluation (seen
		// once in TestBrowserPlanSplit under load): the step did nothing
		strings.Contains(err.Error(), "Cannot find context with specified id")
}

func (p page) text(sel string) string {
	p.t.Helper()
	return p.read(sel, chromedp.Text(chromedp.CSS(sel)))
}

func (p page) value(sel string) string {
	p.t.Helper()
	return p.read(sel, chromedp.Value(chromedp.CSS(sel)))
}

// read runs a query for a string, again (up to three times) when the node
// it found was replaced before it was read — chromedp's "No node with given
// id found", seen once in some twenty runs right after a sign-in's
// redirect; any other error fails the test at once.
func (p page) read(sel string, q chromedp.Action[string]) string {
	p.t.Helper()
	for try := 1; ; try++ {
		s, err := chromedp.Run(p.ctx, q)
		if err == nil {
			return s
		}
		if try == 3 || !replaced(err) {
			p.t.Fatalf("%s: %v", sel, err)
		}
	}
}

// shot saves a full-page JPEG screenshot into the artifacts folder, if
// there is one (PNGs of whole pages cost the browser tests some 3 s of CPU
// to encode).
func (p page) shot(name string) {
	p.t.Helper()
	if p.dir == "" {
		return
	}
	jpeg, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(85))
	if err != nil {
		p.t.Fatal(err)
	}
	// Capturing beyond the viewport lays the page out at its full height
	// and back; a click right after could land where a node was during
	// the capture. Two animation frames let the layout settle first.
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](
		`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, chromedp.EvalAwaitPromise)); err != nil {
		p.t.Fatal(err)
	}
	path := filepath.Join(p.dir, name)
	if err := os.WriteFile(path, jpeg, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot: %s", path)
}

// shotOf saves a PNG screenshot of the node sel into the artifacts
// folder, if there is one: a chart or a form looked at closely.
func (p page) shotOf(sel, name string) {
	p.t.Helper()
	if p.dir == "" {
		return
	}
	png, err := chromedp.Run(p.ctx, chromedp.Screenshot(css(sel)))
	if err != nil {
		p.t.Fatal(err)
	}
	path := filepath.Join(p.dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot: %s", path)
}

// js runs a statement in the page.
func (p page) js(stmt string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool]("("+stmt+", true)")); err != nil {
		p.t.Fatal(err)
	}
}

func css(s string) chromedp.CSS { return chromedp.CSS(s) }

// login signs in through the login page, landing on the inbox: the flows
// go on elsewhere, and drawing the dashboard's charts at each of their
// sign-ins was a good part of the browser's work (TestBrowserLoginDashboardUnits
// signs in to the dashboard itself).
func (p page) login(user string) {
	p.t.Helper()
	p.do(chromedp.Navigate(p.base+"/login?next=%2Finbox"), chromedp.WaitVisible(css(`input[name=username]`)),
		chromedp.SendKeys(css(`input[name=username]`), user),
		chromedp.SendKeys(css(`input[name=password]`), demo.Password),
		chromedp.Click(css(`button[type=submit]`)),
		chromedp.WaitVisible(css(`.topbar`)))
}

func (p page) logout() {
	p.t.Helper()
	p.do(chromedp.Click(css(`.topbar form button`)), chromedp.WaitVisible(css(`input[name=username]`)))
}

// signedIn is a plain HTTP client signed in as user through the login
// form (the session cookie in its jar).
func signedIn(t *testing.T, base, user string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm(base+"/login", url.Values{"username": {user}, "password": {demo.Password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return c
}

// download fetches a page path as user through a plain HTTP client.
func download(t *testing.T, base, user, path string) []byte {
	t.Helper()
	res, err := signedIn(t, base, user).Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", path, res.StatusCode, err)
	}
	return b
}

// planPath is the path of the plan numbered doc (its 文号, as
// 济天安发〔2026〕2号), read off the plan list as a person finds it: tests
// never assume an id.
func (p page) planPath(doc string) string {
	p.t.Helper()
	p.do(chromedp.Navigate(p.base+"/plans"), chromedp.WaitVisible(css(`table.list`)))
	quoted, _ := json.Marshal(doc)
	href, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`(() => {
		for (const tr of document.querySelectorAll('table.list tr')) {
			const a = tr.querySelector('a[href^="/plans/"]');
			if (a && tr.textContent.includes(`+string(quoted)+`)) return a.getAttribute('href');
		}
		return '';
	})()`))
	if err != nil || href == "" {
		p.t.Fatalf("no plan %s on /plans: %q, %v", doc, href, err)
	}
	return href
}

// demoPlan is the 文号 of the demo's plan loaded in year: the 2023
// Tianqiao plan issued again for that year.
func demoPlan(year int) string { return fmt.Sprintf("济天安发〔%d〕2号", year) }
