package browser_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// barAt is where a bar of a drawn chart is on the screen (the chart
// scrolled into view), with its value and its line's key: (id, series,
// line — or -1 for the first line with a value).
const barAt = `((id, s, i) => {
	const el = document.getElementById(id);
	el.scrollIntoView({block: 'center'});
	const c = echarts.getInstanceByDom(el), vals = c.getOption().series[s].data;
	if (i < 0) i = vals.findIndex(v => v > 0);
	const r = c.getModel().getSeriesByIndex(s).getData().getItemLayout(i), b = el.querySelector('canvas').getBoundingClientRect();
	return JSON.stringify({x: b.left + r.x + r.width / 2, y: b.top + r.y + r.height / 2, n: +vals[i], i: i});
})`

type bar struct {
	X, Y float64
	N, I int
}

// TestBrowserFigures (issue 16.5): as the office, the hazard figures draw
// the monthly trend beside its 同比/环比 table and the breakdowns; a click
// on a street's 上报 bar and on a month's bar lands on the hazard list
// holding as many as the bar showed; the scorecard draws the unit ranking
// and a bar opens that unit's scorecard; the four-colour map's tile opens
// its street's risk points, as many as the tile counts. Each chart at 1366
// and at 390 px, its labels whole.
func TestBrowserFigures(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("office")
	at := func(id string, s, i int) bar {
		t.Helper()
		var b bar
		if err := json.Unmarshal([]byte(p.read(id, chromedp.Evaluate[string](fmt.Sprintf(`%s(%q, %d, %d)`, barAt, id, s, i)))), &b); err != nil {
			t.Fatal(err)
		}
		if b.N <= 0 {
			t.Fatalf("%s: no bar with a value: %+v", id, b)
		}
		return b
	}
	total := func() int {
		n, err := strconv.Atoi(p.read("total", chromedp.Evaluate[string](`document.getElementById('hazard-total').dataset.total`)))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	wide := func(w int64, path string) {
		t.Helper()
		if over := p.read("overflow", chromedp.Evaluate[string](`String(document.documentElement.scrollWidth > window.innerWidth + 1)`)); over != "false" {
			t.Errorf("at %d px %s is wider than the screen", w, path)
		}
	}
	for _, vp := range []struct {
		w, h int64
	}{{1366, 768}, {390, 844}} {
		p.do(chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate(p.base+"/hazards/figures"),
			chromedp.WaitVisible(css(`#chart-trend[data-drawn="1"]`)), chromedp.WaitVisible(css(`#chart-region[data-drawn="1"]`)))
		for _, id := range []string{"chart-trend", "chart-region", "chart-dept", "chart-category"} {
			if cut := p.read("clipped labels", chromedp.Evaluate[string](clippedLabels+`('`+id+`')`)); cut != "" {
				t.Errorf("at %d px %s cuts: %s", vp.w, id, cut)
			}
		}
		if rows := p.read("trend", chromedp.Evaluate[string](`String(document.querySelectorAll('#trend-table tbody tr').length)`)); rows == "0" || rows == "1" {
			t.Errorf("the trend table has %s months", rows)
		}
		wide(vp.w, "/hazards/figures")
		p.shotOf(`.trend`, fmt.Sprintf("figures-trend-%d.png", vp.w))
		p.shotOf(`#chart-region`, fmt.Sprintf("figures-region-%d.png", vp.w))
		p.shot(fmt.Sprintf("figures-hazards-%d.jpg", vp.w))
		p.do(chromedp.Navigate(p.base+"/scorecard"), chromedp.WaitVisible(css(`#chart-ranking[data-drawn="1"]`)))
		if cut := p.read("clipped labels", chromedp.Evaluate[string](clippedLabels+`('chart-ranking')`)); cut != "" {
			t.Errorf("at %d px the ranking cuts: %s", vp.w, cut)
		}
		wide(vp.w, "/scorecard")
		p.shotOf(`#chart-ranking`, fmt.Sprintf("figures-ranking-%d.png", vp.w))
		p.shot(fmt.Sprintf("figures-scorecard-%d.jpg", vp.w))
		p.do(chromedp.Navigate(p.base+"/risks"), chromedp.WaitVisible(css(`#street-map .street-tile`)))
		wide(vp.w, "/risks")
		p.shotOf(`#street-map`, fmt.Sprintf("figures-map-%d.png", vp.w))
		p.shot(fmt.Sprintf("figures-risks-%d.jpg", vp.w))
	}

	// A street's 上报 bar opens that street's hazards of the year.
	p.do(chromedp.EmulateViewport(1366, 768), chromedp.Navigate(p.base+"/hazards/figures"), chromedp.WaitVisible(css(`#chart-region[data-drawn="1"]`)))
	b := at("chart-region", 0, -1)
	p.do(chromedp.MouseClickXY(b.X, b.Y), chromedp.WaitVisible(css(`#hazard-total`)))
	if loc := p.read("location", chromedp.Evaluate[string](`location.search`)); !strings.Contains(loc, "region=") || !strings.Contains(loc, "year=") {
		t.Errorf("the street's bar opened %s", loc)
	}
	if n := total(); n != b.N {
		t.Errorf("the street's bar shows %d, its list holds %d", b.N, n)
	}
	if d := p.text(`#drill`); !strings.Contains(d, "属地 ") || !strings.Contains(d, "年上报") {
		t.Errorf("the list opened from a street's bar says %q", d)
	}
	// A month's 上报 bar opens that month's hazards.
	p.do(chromedp.Navigate(p.base+"/hazards/figures"), chromedp.WaitVisible(css(`#chart-trend[data-drawn="1"]`)))
	b = at("chart-trend", 0, -1)
	p.do(chromedp.MouseClickXY(b.X, b.Y), chromedp.WaitVisible(css(`#hazard-total`)))
	if loc := p.read("location", chromedp.Evaluate[string](`location.search`)); !strings.Contains(loc, "month=") {
		t.Errorf("the month's bar opened %s", loc)
	}
	if n := total(); n != b.N {
		t.Errorf("the month's bar shows %d, its list holds %d", b.N, n)
	}
	// A ranking's bar opens the unit's scorecard.
	p.do(chromedp.Navigate(p.base+"/scorecard"), chromedp.WaitVisible(css(`#chart-ranking[data-drawn="1"]`)))
	b = at("chart-ranking", 0, 0)
	link := p.read("first", chromedp.Evaluate[string](`JSON.parse(document.getElementById('ranking-data').textContent).links[0]`))
	p.do(chromedp.MouseClickXY(b.X, b.Y), chromedp.WaitVisible(css(`#scorecard`)))
	if loc := p.read("location", chromedp.Evaluate[string](`location.pathname + location.search`)); loc != link {
		t.Errorf("the ranking's first bar (%s) opened %s", link, loc)
	}
	// A coloured tile opens its street's risk points, as many as it counts.
	p.do(chromedp.Navigate(p.base+"/risks"), chromedp.WaitVisible(css(`#street-map .street-tile`)))
	want := p.read("tile", chromedp.Evaluate[string](`document.querySelector('#street-map .street-tile:not(.top-none)').dataset.total`))
	p.do(chromedp.Click(css(`#street-map .street-tile:not(.top-none)`)), chromedp.WaitVisible(css(`#region-filter`)))
	if h := p.read("points", chromedp.Evaluate[string](`[...document.querySelectorAll('main h2')].map(h => h.textContent).find(t => t.startsWith('风险点')) || ''`)); h != "风险点 ("+want+")" {
		t.Errorf("the tile counts %s, its list is headed %q", want, h)
	}
}
