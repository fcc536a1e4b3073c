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
		Categories: strings.Join(cats, ","), Scale: r.PostForm.Get("scale"), LegalRep: r.PostForm.Get("legal_rep"),
		Principal: r.PostForm.Get("principal"), PrincipalPhone: r.PostForm.Get("principal_phone"),
		SafetyManager: r.PostForm.Get("safety_manager"), SafetyPhone: r.PostForm.Get("safety_phone"), Staff: n("staff"),
		SafetyEngineers: n("safety_engineers"), StdLevel: r.PostForm.Get("std_level"), Insurer: r.PostForm.Get("insurer"),
		PolicyNo: r.PostForm.Get("policy_no"), PolicyExpires: r.PostForm.Get("policy_expires"), Status: r.PostForm.Get("status")}
}

// profileForm runs one of the profile's forms: do changes something and
// returns the tab to show; a mistake shows the profile again with it.
func (s *Server) profileForm(tab, flash string, do func(r *http.Request, id int64) error) pageFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if err := r.ParseForm(); err != nil {
			return err
		}
		r.PostForm.Set("tab", tab)
		if err := do(r, id); err != nil {
			return s.renderProfile(w, r, err)
		}
		profileBack(w, r, id, tab, flash)
		return nil
	}
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

func (s *Server) installationSave(r *http.Request, id int64) error {
	hs, err := holdings(r)
	if err != nil {
		return err
	}
	people, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("people")))
	if err != nil || people < 0 {
		return apperr.Field("people", "厂外500米内常住人口应为非负整数")
	}
	iid, _ := strconv.ParseInt(r.PostForm.Get("installation"), 10, 64)
	_, err = s.Ents.SaveInstallation(r.Context(), actorOf(r), id, iid, enterprise.InstallationInput{Name: r.PostForm.Get("name"),
		Kind: r.PostForm.Get("kind"), People: people, RecordNo: r.PostForm.Get("record_no"), Holdings: hs})
	return err
}

func (s *Server) creditAdd(r *http.Request, id int64) error {
	_, err := s.Ents.AddToBlacklist(r.Context(), actorOf(r), id, enterprise.ListingInput{Reason: r.PostForm.Get("reason"),
		Basis: r.PostForm.Get("basis"), DecisionNo: r.PostForm.Get("decision_no"), ListedOn: r.PostForm.Get("listed_on")})
	return err
}

func (s *Server) creditRepair(r *http.Request, id int64) error {
	lid, _ := strconv.ParseInt(r.PostForm.Get("listing"), 10, 64)
	return s.Ents.RepairCredit(r.Context(), actorOf(r), lid, r.PostForm.Get("decision"))
}

func (s *Server) certificateAdd(r *http.Request, id int64) error {
	_, err := s.Ents.AddCertificate(r.Context(), actorOf(r), id, enterprise.CertificateInput{Person: r.PostForm.Get("person"),
		Post: r.PostForm.Get("post"), WorkType: r.PostForm.Get("work_type"), Number: r.PostForm.Get("number"),
		IssuedOn: r.PostForm.Get("issued_on"), ExpiresOn: r.PostForm.Get("expires_on"), ReviewedOn: r.PostForm.Get("reviewed_on")})
	return err
}

func (s *Server) licenceAdd(r *http.Request, id int64) error {
	_, err := s.Ents.AddLicence(r.Context(), actorOf(r), id, enterprise.Licence{Kind: r.PostForm.Get("kind"), Number: r.PostForm.Get("number"),
		Issuer: r.PostForm.Get("issuer"), IssuedOn: r.PostForm.Get("issued_on"), ExpiresOn: r.PostForm.Get("expires_on")})
	return err
}

func (s *Server) supervisorSet(r *http.Request, id int64) error {
	dept, _ := strconv.ParseInt(r.PostForm.Get("dept_id"), 10, 64)
	officer, _ := strconv.ParseInt(r.PostForm.Get("officer_id"), 10, 64)
	if dept == 0 {
		return apperr.Field("dept_id", "请选择监管部门")
	}
	return s.Ents.SetSupervisor(r.Context(), actorOf(r), id, dept, officer)
}

func (s *Server) keyListSet(r *http.Request, id int64) error {
	return s.Ents.SetKeyList(r.Context(), actorOf(r), id, r.PostForm.Get("included") == "1", strings.TrimSpace(r.PostForm.Get("reason")))
}

// majorSourceCalc is the calculator fragment: the installation form posts
// here (htmx) to see Σq/Q, R and the grade before saving.
func (s *Server) majorSourceCalc(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	d := map[string]any{}
	hs, err := holdings(r)
	people, perr := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("people")))
	switch {
	case err != nil:
		d["Err"] = apperr.As(err).Message
	case perr != nil || people < 0:
		d["Err"] = "厂外500米内常住人口应为非负整数"
	default:
		res, err := rules.ComputeMajorSource(hs, people)
		if err != nil {
			d["Err"] = err.Error()
		} else {
			d["R"] = res
		}
	}
	return s.pages.fragment(w, "enterprise/profile", "calc", d)
}
