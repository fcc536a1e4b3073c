package web

import (
	"net/http"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/risk"
)

func riskInput(r *http.Request) risk.Input {
	f := func(k string) float64 { v, _ := strconv.ParseFloat(r.PostForm.Get(k), 64); return v }
	return risk.Input{Name: r.PostForm.Get("name"), Activity: r.PostForm.Get("activity"), Factors: r.PostForm.Get("factors"),
		Accidents: strings.Join(r.PostForm["accidents"], "、"), Measures: r.PostForm.Get("measures"), Emergency: r.PostForm.Get("emergency"),
		Responsible: r.PostForm.Get("responsible"), ControlLevel: r.PostForm.Get("control_level"), Note: r.PostForm.Get("note"),
		Inputs: risk.Inputs{L: f("l"), E: f("e"), C: f("c"), S: f("s")}}
}

// schemeInput reads the grading scheme form.
func schemeInput(r *http.Request) (risk.Scheme, apperr.Checks) {
	var c apperr.Checks // a threshold that does not read is said, not taken as 0 (the default bands)
	method := r.PostForm.Get("method")
	f := func(k, label string) float64 {
		t := strings.TrimSpace(r.PostForm.Get(k))
		v, err := strconv.ParseFloat(t, 64)
		if err != nil && method == "lec" {
			if t == "" {
				c.Add(k, "请填写"+label+"的分界值 D")
			} else {
				c.Add(k, label+"的分界值「"+t+"」须为数字")
			}
		}
		return v
	}
	return risk.Scheme{Method: method, Variant: r.PostForm.Get("variant"), Red: f("red", "红"), Orange: f("orange", "橙"), Yellow: f("yellow", "黄")}, c
}
