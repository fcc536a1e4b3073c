package web

import (
	"net/http"
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
		Unsupervised: q.Get("unsupervised") == "1", KeyList: q.Get("keylist") == "1", Page: pageOf(r, size)}
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
