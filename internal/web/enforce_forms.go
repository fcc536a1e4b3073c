package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/enforce"
)

// numbers reads a form's number fields: a blank one is 请填写, one that
// does not read is said, never a silent 0.
type numbers struct {
	r *http.Request
	c apperr.Checks
}

func (n *numbers) int(field, label string) int {
	t := strings.TrimSpace(n.r.PostForm.Get(field))
	v, err := strconv.Atoi(t)
	switch {
	case t == "":
		n.c.Add(field, "请填写"+label)
	case err != nil:
		n.c.Add(field, label+"「"+t+"」须为整数")
	}
	return v
}

func (n *numbers) float(field, label string) float64 {
	t := strings.TrimSpace(n.r.PostForm.Get(field))
	v, err := strconv.ParseFloat(t, 64)
	switch {
	case t == "":
		n.c.Add(field, "请填写"+label)
	case err != nil:
		n.c.Add(field, label+"「"+t+"」须为数字")
	}
	return v
}

// optInt reads a number that may be blank (0).
func (n *numbers) optInt(field, label string) int {
	if strings.TrimSpace(n.r.PostForm.Get(field)) == "" {
		return 0
	}
	return n.int(field, label)
}

// optFloat reads a number that may be blank (0).
func (n *numbers) optFloat(field, label string) float64 {
	if strings.TrimSpace(n.r.PostForm.Get(field)) == "" {
		return 0
	}
	return n.float(field, label)
}

// inspPlanInput reads the annual plan form.
func inspPlanInput(r *http.Request) (enforce.PlanInput, apperr.Checks) {
	n := numbers{r: r}
	in := enforce.PlanInput{Year: n.int("year", "计划年度"), Officers: n.int("officers", "执法人员数"),
		OtherEnforcementDays: n.int("other_enforcement_days", "其他执法工作日"), NonEnforcementDays: n.int("non_enforcement_days", "非执法工作日"),
		TeamSize: n.int("team_size", "每组人数"), DaysPerInspection: n.float("days_per_inspection", "每次检查所需工作日"),
		SamplePercent: n.float("sample_percent", "抽查比例"), FirstMonth: n.int("first_month", "起始月份"), Note: r.PostForm.Get("note")}
	return in, n.c
}

// drawInput reads the draw form (step 1).
func drawInput(r *http.Request) (enforce.DrawInput, apperr.Checks) {
	n := numbers{r: r}
	f := r.PostForm
	in := enforce.DrawInput{Title: f.Get("title"), Count: n.int("count", "抽取户数"), PerEnterprise: n.int("per_enterprise", "每户执法人员数"),
		Category: f.Get("category"), Class: f.Get("class"), Street: f.Get("street"), IncludeKey: f.Get("include_key") == "1",
		ExcludeDays: n.optInt("exclude_days", "排除近期检查的天数"), ExcludeLast: f.Get("exclude_last") == "1",
		PublicSource: f.Get("public_source"), PublicFormat: f.Get("public_format")}
	return in, n.c
}

// inspectionInput reads the form recording an inspection by hand.
func inspectionInput(r *http.Request) (enforce.InspectionInput, apperr.Checks) {
	n := numbers{r: r}
	in := enforce.InspectionInput{Basis: r.PostForm.Get("basis"), Month: n.optInt("month", "月份"), Note: r.PostForm.Get("note")}
	in.EnterpriseID, _ = strconv.ParseInt(r.PostForm.Get("enterprise_id"), 10, 64)
	return in, n.c
}

// capsInput reads the cap table form: one number per sector and level.
func capsInput(r *http.Request) (enforce.CapTable, apperr.Checks) {
	n := numbers{r: r}
	t := enforce.DefaultCaps()
	for i, row := range t.Rows {
		for _, l := range enforce.Levels(row.Sector) {
			t.Rows[i].Caps[l] = n.int("cap_"+row.Sector+"_"+l, row.Name+enforce.LevelName(row.Sector, l)+"的上限")
		}
	}
	t.Supervisory = n.int("supervisory", "督导检查上限")
	t.FrequentCases = n.int("frequent_cases", "个案检查提示次数")
	t.Note = r.PostForm.Get("note")
	return t, n.c
}

// merged is a form's parse faults together with the service's: every
// field told at once, a field the form could not read told once (its
// reading, not the service's view of the 0 it became); any error that is
// not about the fields comes back as it is.
func merged(c apperr.Checks, err error) error {
	var svc apperr.Checks
	if err := svc.Take(err); err != nil {
		return err
	}
	for _, f := range svc {
		if !slices.ContainsFunc(c, func(x apperr.FieldErr) bool { return x.Field == f.Field }) {
			c = append(c, f)
		}
	}
	return c.Err()
}
