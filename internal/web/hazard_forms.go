package web

import (
	"net/http"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/files"
	"anwei/internal/hazard"
)

// hazardFilter reads the hazard list filters from the query.
func hazardFilter(r *http.Request, size int) (hazard.Filter, error) {
	q := r.URL.Query()
	var c apperr.Checks
	number := func(field, label string) int64 { // "" is none; a number that does not read is said, never a silent 0 (all)
		v := strings.TrimSpace(q.Get(field))
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			c.Add(field, label+"「"+v+"」不是有效的编号")
		}
		return n
	}
	f := hazard.Filter{EnterpriseID: number("enterprise", "企业"), State: hazard.State(q.Get("state")), Level: q.Get("level"), Open: q.Get("open") == "1",
		Overdue: q.Get("overdue") == "1", Source: q.Get("source"), Listed: q.Get("listed") == "1", Escalated: q.Get("escalated") == "1",
		Q: q.Get("q"), Handling: q.Get("handling"), Sort: sortOf(r), Page: pageOf(r, size)}
	f.Region, f.Category, f.Month, f.ClosedMonth = q.Get("region"), q.Get("category"), q.Get("month"), q.Get("closed_month")
	f.Dept = number("dept", "监管部门")
	f.Year = int(number("year", "年度"))
	return f, c.Err()
}

// figuresYear reads the year the figures are asked for (0: none;
// hazard.Figures takes the current year for it, or for one out of range).
func figuresYear(r *http.Request) int {
	y, _ := strconv.Atoi(r.URL.Query().Get("year"))
	return y
}

// reportInput reads the 上报隐患 form; ups are its photos, after those after
// a 即查即改. The enterprise is the form's id, or for a government user the
// name or credit code it typed (hazard.Report resolves either, and an
// enterprise user's own).
func reportInput(r *http.Request, ups, after []files.Upload) (hazard.ReportInput, error) {
	id, _ := strconv.ParseInt(r.FormValue("enterprise"), 10, 64)
	in := hazard.ReportInput{EnterpriseID: id, EnterpriseName: r.FormValue("enterprise_name"), Place: r.FormValue("place"),
		Description: r.FormValue("description"), Source: r.FormValue("source"), Measures: r.FormValue("measures"),
		Responsible: r.FormValue("responsible"), Photos: ups, Handling: r.FormValue("handling"), Deadline: r.FormValue("deadline"),
		AfterPhotos: after}
	funds := strings.TrimSpace(r.FormValue("funds"))
	in.Funds, _ = strconv.ParseFloat(funds, 64)
	if funds != "" && in.Funds == 0 && funds != "0" {
		return in, apperr.Field("funds", "整改资金应为数字 (元)")
	}
	return in, nil
}

// reportFormInput reads the 上报隐患 form with its two kinds of photos (the
// page's, with the files held from an earlier try: Server.heldUploads; and
// the API's multipart body: uploadsOf); done closes the files.
func reportFormInput(r *http.Request, read func(*http.Request, string) ([]files.Upload, func(), error)) (in hazard.ReportInput, done func(), err error) {
	ups, closeUps, err := read(r, "files")
	if err != nil {
		return in, closeUps, err
	}
	after, closeAfter, err := read(r, "after_files")
	done = func() { closeUps(); closeAfter() }
	if err != nil {
		return in, done, err
	}
	in, err = reportInput(r, ups, after)
	return in, done, err
}

// hazardStep reads the lifecycle step the detail page's form names.
func hazardStep(r *http.Request, ups []files.Upload) hazard.Step {
	return hazard.Step{Action: hazard.Action(r.FormValue("action")), Level: r.FormValue("level"), Criterion: r.FormValue("criterion"),
		Reasoning: r.FormValue("reasoning"), Deadline: r.FormValue("deadline"), Writ: r.FormValue("writ"), Evidence: r.FormValue("evidence"),
		Reason: r.FormValue("reason"), Photos: ups}
}
