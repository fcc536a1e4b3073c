package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/enterprise"
	"anwei/internal/rules"
)

// entFilter reads the list filters from the query.
func entFilter(r *http.Request, size int) enterprise.Filter {
	q := r.URL.Query()
	dept, _ := strconv.ParseInt(q.Get("dept"), 10, 64)
	return enterprise.Filter{Q: q.Get("q"), Region: q.Get("region"), Category: q.Get("category"), Class: q.Get("class"),
		Status: q.Get("status"), Major: q.Get("major") == "1", Blacklisted: q.Get("blacklisted") == "1", DeptID: dept,
		Unsupervised: q.Get("unsupervised") == "1", KeyList: q.Get("keylist") == "1", Sort: sortOf(r), Page: pageOf(r, size)}
}

// entForm reads the enterprise form.
func entForm(r *http.Request) enterprise.Input {
	n := func(k string) int { v, _ := strconv.Atoi(r.PostForm.Get(k)); return v }
	cats := r.PostForm["categories"]
	return enterprise.Input{Name: r.PostForm.Get("name"), CreditCode: r.PostForm.Get("credit_code"), RegionCode: r.PostForm.Get("region_code"),
		Address: r.PostForm.Get("address"), Grid: r.PostForm.Get("grid"), IndustryCode: r.PostForm.Get("industry_code"),
		Categories: enterprise.ListText(strings.Join(cats, ",")), Scale: r.PostForm.Get("scale"), LegalRep: r.PostForm.Get("legal_rep"),
		Principal: r.PostForm.Get("principal"), PrincipalPhone: r.PostForm.Get("principal_phone"),
		SafetyManager: r.PostForm.Get("safety_manager"), SafetyPhone: r.PostForm.Get("safety_phone"), Staff: n("staff"),
		SafetyEngineers: n("safety_engineers"), StdLevel: r.PostForm.Get("std_level"), Insurer: r.PostForm.Get("insurer"),
		PolicyNo: r.PostForm.Get("policy_no"), PolicyExpires: r.PostForm.Get("policy_expires"), Status: r.PostForm.Get("status")}
}

// holdings reads the installation form's rows (chem_N, cat_N, t_N).
func holdings(r *http.Request) ([]rules.Holding, error) {
	var out []rules.Holding
	for i := 0; i < 8; i++ {
		k := strconv.Itoa(i)
		chem := strings.TrimSpace(r.PostForm.Get("chem_" + k))
		if chem == "" {
			continue
		}
		t, err := strconv.ParseFloat(strings.TrimSpace(r.PostForm.Get("t_"+k)), 64)
		if err != nil {
			return nil, apperr.Field("holdings", "第"+strconv.Itoa(i+1)+"行 "+chem+": 最大量应为数字 (吨)")
		}
		out = append(out, rules.Holding{Chemical: chem, Category: strings.TrimSpace(r.PostForm.Get("cat_" + k)), Tonnes: t})
	}
	return out, nil
}

// classRuleForm reads the A–D class rule from its form (issue 16.3: a
// form with Chinese labels, not JSON): one number per category, major
// hazard grade and standardisation level, the open-major and blacklist
// points, the violation steps and the classes. Every number that is blank
// (请填写, never a silent 0) or does not read is named by its label, all at
// once (issue 16.2), and with them whatever the rule's own check finds in
// the fields that did read.
func classRuleForm(f url.Values) (enterprise.ClassRule, error) {
	var c apperr.Checks
	num := func(key, label string) int {
		v := strings.TrimSpace(f.Get(key))
		if v == "" {
			c.Add(key, "请填写"+label)
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			c.Add(key, label+"须为整数")
		}
		return n
	}
	rule := enterprise.ClassRule{CategoryPoints: map[string]int{}, GradePoints: map[string]int{}, StdLevelPoints: map[string]int{}}
	for _, cat := range enterprise.Categories {
		rule.CategoryPoints[cat.Key] = num("cat_"+cat.Key, cat.Name+"的分值")
	}
	for _, g := range classGrades {
		rule.GradePoints[g] = num("grade_"+g, "重大危险源"+g+"的分值")
	}
	for _, l := range enterprise.StdLevels {
		rule.StdLevelPoints[l.Key] = num("std_"+l.Key, "标准化"+l.Name+"的分值")
	}
	rule.OpenMajorPoints = num("open_major", "未销号重大隐患的分值")
	rule.BlacklistPoints = num("blacklist", "严重失信的分值")
	for i := range classSteps {
		at, pts := num(fmt.Sprintf("vio_at_%d", i), fmt.Sprintf("第 %d 档的违法次数", i+1)), num(fmt.Sprintf("vio_pts_%d", i), fmt.Sprintf("第 %d 档的加分", i+1))
		if at > 0 {
			rule.ViolationPoints = append(rule.ViolationPoints, enterprise.Step{AtLeast: at, Points: pts})
		}
	}
	var rows []int // the form's row of each class (a blank row is none)
	for i := range classRows {
		cl := strings.TrimSpace(f.Get(fmt.Sprintf("class_%d", i)))
		if cl == "" {
			continue
		}
		rows = append(rows, i)
		rule.Classes = append(rule.Classes, enterprise.ClassBand{Class: cl, Name: strings.TrimSpace(f.Get(fmt.Sprintf("class_name_%d", i))),
			Min: num(fmt.Sprintf("class_min_%d", i), "类别 "+cl+" 的分数下限"), Inspections: num(fmt.Sprintf("class_insp_%d", i), "类别 "+cl+" 的年检查频次")})
	}
	// The rule's own check, its fields renamed to the form's rows; a field
	// already said to be blank or not a number is not told twice.
	verr := rule.Validate()
	for k := len(rows) - 1; k >= 0; k-- { // from the end: no field is renamed twice
		for _, p := range []string{"class_", "class_name_", "class_min_", "class_insp_"} {
			verr = apperr.Renamed(verr, fmt.Sprintf("%s%d", p, k), fmt.Sprintf("%s%d", p, rows[k]))
		}
	}
	if e := apperr.As(verr); verr != nil && e.Code == apperr.Invalid {
		for _, fe := range e.Fields {
			if apperr.On(apperr.As(c.Err()), fe.Field) == "" {
				c.Add(fe.Field, fe.Message)
			}
		}
	}
	return rule, c.Err()
}

// The rows the class rule form offers: the grades of a major hazard
// source, three violation steps and six classes (the blank ones unused).
var (
	classGrades = []string{"一级", "二级", "三级", "四级"}
	classSteps  = make([]struct{}, 3)
	classRows   = make([]struct{}, 6)
)
