package web

import (
	"fmt"
	"html/template"
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"anwei/internal/apperr"
	"anwei/internal/calendar"
	"anwei/internal/org"
)

// Template functions: the ones every page may use are here; each area adds
// its own in <area>_funcs.go (a function returning its template.FuncMap,
// listed in areaFuncs), so a mechanism's names and pickers stay with it.

// areaFuncs are the areas' template functions.
var areaFuncs = []func() template.FuncMap{orgFuncs, planFuncs, enterpriseFuncs, hazardFuncs, riskFuncs, enforceFuncs, auditFuncs}

// sharedFuncs are the template functions of no particular area.
func sharedFuncs() template.FuncMap {
	return template.FuncMap{
		"when": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return calendar.Local(t).Format("2006-01-02 15:04")
		},
		"join": strings.Join,
		"seq": func(n int) []int {
			out := make([]int, n)
			for i := range out {
				out[i] = i
			}
			return out
		},
		// fv is a form field's value: what the user typed when the form came
		// back with an error, else the stored value.
		"fv": func(f url.Values, k string, def any) string {
			if f != nil {
				return f.Get(k)
			}
			return fmt.Sprint(def)
		},
		// bad marks a field the error names; fieldErr says, next to it, what is wrong.
		"bad": func(e *apperr.Error, field string) string {
			if apperr.On(e, field) != "" {
				return "bad"
			}
			return ""
		},
		"fieldErr": func(e *apperr.Error, field string) template.HTML {
			if m := apperr.On(e, field); m != "" {
				return template.HTML(`<span class="field-err">` + template.HTMLEscapeString(m) + `</span>`)
			}
			return ""
		},
		// sent and sentErr are what was typed and what was wrong, for the
		// form named name only (its hidden field form): a page with several
		// forms shows them in the one that was sent, not in its neighbours
		// (a post that names no form is every form's, as before).
		"sent": func(d pageData, name string) url.Values {
			if f := d.Form.Get("form"); f == "" || f == name {
				return d.Form
			}
			return nil
		},
		"sentErr": func(d pageData, name string) *apperr.Error {
			if f := d.Form.Get("form"); f == "" || f == name {
				return d.Err
			}
			return nil
		},
		// picked: a box the user ticked stays ticked when the form comes back with an error.
		"picked": func(form url.Values, name string, v any) bool { return slices.Contains(form[name], fmt.Sprint(v)) },
		"held":   held, // the files a form that came back keeps (held_uploads.go)
		"list":   func(xs ...string) []string { return xs },
		"share":  share,
		"can":    func(a *org.Actor, p string) bool { return a.Can(org.Perm(p)) },
		"str":    func(v any) string { return fmt.Sprint(v) },
	}
}

// templateFuncs merges the shared functions and every area's; a name two
// of them define is an error (parsePages fails at start-up), never a
// silent override.
func templateFuncs() (template.FuncMap, error) {
	out := sharedFuncs()
	for _, area := range areaFuncs {
		m := area()
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if _, dup := out[k]; dup {
				return nil, fmt.Errorf("template function %s is defined twice", k)
			}
			out[k] = m[k]
		}
	}
	return out, nil
}

// share is n of d as a percentage rounded to one decimal (8 of 12 is
// 66.7%, not the truncated 66.6%; a whole number without ".0"), at most
// 100%, or "—" when there is nothing to count (a rate over no items is not
// 100%). It reads 100% only when all are done and 0% only when none is:
// an official takes "整改率 100%" literally.
func share(n, d int) string {
	if d <= 0 {
		return "—"
	}
	p := math.Round(float64(min(n, d))*1000/float64(d)) / 10
	switch {
	case n < d && p == 100: // 1,999 of 2,000 is not all done
		p = 99.9
	case n > 0 && p == 0: // 1 of 3,000 is not nothing
		p = 0.1
	}
	return strings.TrimSuffix(strconv.FormatFloat(p, 'f', 1, 64), ".0") + "%"
}
