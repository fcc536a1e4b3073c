package browser_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// clippedLabels are the texts of a drawn chart that reach past its edges
// (ECharts' own scene: each text's box, transformed to the canvas) or that
// ECharts cut short with an ellipsis.
const clippedLabels = `(id => {
	const c = echarts.getInstanceByDom(document.getElementById(id));
	const w = c.getWidth(), h = c.getHeight(), out = [];
	c.getZr().storage.getDisplayList().forEach(d => {
		if ((d.type !== 'text' && d.type !== 'tspan') || !d.style || !d.style.text || d.invisible || d.ignore) return;
		const r = d.getBoundingRect().clone();
		r.applyTransform(d.getComputedTransform());
		const cut = /…|\.\.\./.test(d.style.text); // ECharts' truncation
		if (cut || r.x < -0.5 || r.y < -0.5 || r.x + r.width > w + 0.5 || r.y + r.height > h + 0.5) out.push(d.style.text);
	});
	return out.join(' | ');
})`

// TestBrowserChartLabelsFit: the hazard figures' donut (按来源) shows every
// label whole, on a desktop and on a phone (issue 14.6: labels were cut at
// the chart's edge).
func TestBrowserChartLabelsFit(t *testing.T) {
	t.Parallel()
	p := page{t: t, ctx: browser(t), base: liveServer(t), dir: artifacts(t)}
	p.login("office")
	for _, vp := range []struct {
		w, h int64
		shot string
	}{{1366, 768, "48-donut-desktop.png"}, {390, 844, "49-donut-phone.png"}} {
		p.do(chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate(p.base+"/hazards/figures"),
			chromedp.WaitVisible(css(`#chart-source[data-drawn="1"]`)))
		if cut := p.read("clipped labels", chromedp.Evaluate[string](clippedLabels+`('chart-source')`)); cut != "" {
			t.Errorf("at %d px the donut cuts: %s", vp.w, cut)
		}
		p.shotOf(`#chart-source`, vp.shot)
	}
}
