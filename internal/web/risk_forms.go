package web

import (
	"net/http"
	"strconv"
	"strings"

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
func schemeInput(r *http.Request) risk.Scheme {
	f := func(k string) float64 { v, _ := strconv.ParseFloat(r.PostForm.Get(k), 64); return v }
	return risk.Scheme{Method: r.PostForm.Get("method"), Variant: r.PostForm.Get("variant"), Red: f("red"), Orange: f("orange"), Yellow: f("yellow")}
}
