package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/enforce"
	"anwei/internal/enterprise"
	"anwei/internal/org"
)

// drawForm is the data of the step-1 form: what was asked and the 名录库
// it gives now.
type drawForm struct {
	In         enforce.DrawInput
	Preview    *enforce.DrawPreview
	Categories any
	Streets    []org.Region
}

func (s *Server) renderDrawForm(w http.ResponseWriter, r *http.Request, in enforce.DrawInput, ferr error) error {
	a := actorOf(r)
	d := drawForm{In: in, Categories: enterprise.Categories}
	if ts, err := s.Org.Townships(r.Context(), a); err == nil {
		d.Streets = ts
	}
	if ferr == nil && r.URL.Query().Get("preview") != "" {
		if p, err := s.Enforce.PreviewDraw(r.Context(), a, in); err == nil {
			d.Preview = &p
		}
	}
	pd := pageData{Title: "双随机抽查: 公布名录和承诺值", Actor: a, Flash: flashOf(r), Data: d}
	if ferr != nil {
		return s.formErr(w, r, "enforce/draw_new", pd, ferr)
	}
	s.pages.render(w, r, "enforce/draw_new", pd)
	return nil
}

// drawNewPage is step 1's form; with ?preview=1 and the filter in the
// query it also says how large the 名录库 are now.
func (s *Server) drawNewPage(w http.ResponseWriter, r *http.Request) error {
	if err := actorOf(r).Require(org.PermEnforcePlan); err != nil {
		return err
	}
	q := r.URL.Query()
	in := enforce.DrawInput{PerEnterprise: 2, ExcludeLast: true, ExcludeDays: 90, Category: q.Get("category"), Class: q.Get("class"),
		Street: q.Get("street"), IncludeKey: q.Get("include_key") == "1"}
	if q.Get("preview") != "" {
		in.ExcludeLast = q.Get("exclude_last") != "0" // the preview form has no box for it: the default stands
		in.ExcludeDays, _ = strconv.Atoi(q.Get("exclude_days"))
	}
	return s.renderDrawForm(w, r, in, nil)
}

// drawCommit is step 1: the lists and the commitment are fixed and shown.
func (s *Server) drawCommit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	in, c := drawInput(r)
	var id int64
	var err error
	if len(c) > 0 {
		err = merged(c, in.Check())
	} else {
		id, err = s.Enforce.CommitDraw(r.Context(), actorOf(r), in)
	}
	if err != nil {
		return s.renderDrawForm(w, r, in, err)
	}
	redirectOK(w, r, "/enforce/draws/"+strconv.FormatInt(id, 10), "committed")
	return nil
}

// drawView is the draw page's data.
type drawView struct {
	D      enforce.Draw
	Check  *enforce.Verification
	MayAct bool
	// MayRecuse: the head decides a recusal (行政处罚法 Art. 43).
	MayRecuse bool
	Recused   map[int64]bool // enterprises with a recusal
}

func (s *Server) renderDraw(w http.ResponseWriter, r *http.Request, id int64, ferr error) error {
	a := actorOf(r)
	d, err := s.Enforce.GetDraw(r.Context(), a, id)
	if err != nil {
		return err
	}
	v := drawView{D: d, MayAct: d.UnitID == a.Unit.ID && a.Can(org.PermEnforcePlan), Recused: recusedOf(d),
		MayRecuse: d.UnitID == a.Unit.ID && a.Can(org.PermEnforceApprove)}
	if d.State == enforce.Drawn {
		c, err := s.Enforce.VerifyDraw(r.Context(), a, id)
		if err != nil {
			return err
		}
		v.Check = &c
	}
	pd := pageData{Title: d.Title, Actor: a, Flash: flashOf(r), Data: v}
	if ferr != nil {
		return s.formErr(w, r, "enforce/draw", pd, ferr)
	}
	s.pages.render(w, r, "enforce/draw", pd)
	return nil
}

func (s *Server) drawPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderDraw(w, r, id, nil)
}

// drawRun is steps 2 and 3: the public value entered, the draw made.
func (s *Server) drawRun(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	if err := s.Enforce.RunDraw(r.Context(), actorOf(r), id, r.PostForm.Get("public_value")); err != nil {
		return s.renderDraw(w, r, id, err)
	}
	redirectOK(w, r, "/enforce/draws/"+strconv.FormatInt(id, 10), "drawn")
	return nil
}

// drawRecuse grants a party's application for an officer's recusal.
func (s *Server) drawRecuse(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	// One choice names the slot: the enterprise and its officer.
	in := enforce.RecusalInput{Reason: r.PostForm.Get("reason")}
	e, o, _ := strings.Cut(r.PostForm.Get("slot"), ":")
	in.EnterpriseID, _ = strconv.ParseInt(e, 10, 64)
	in.OfficerID, _ = strconv.ParseInt(o, 10, 64)
	if _, err := s.Enforce.Recuse(r.Context(), actorOf(r), id, in); err != nil {
		return s.renderDraw(w, r, id, err)
	}
	redirectOK(w, r, "/enforce/draws/"+strconv.FormatInt(id, 10), "recused")
	return nil
}

// drawRecord sends the draw's record (anwei.draw/v1) as a file to check
// with `anwei draw verify --commitment … FILE`.
func (s *Server) drawRecord(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rec, err := s.Enforce.DrawRecordOf(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(rec, "", " ")
	if err != nil {
		return apperr.Wrap(err, "记录无法生成")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape("双随机抽查记录-"+strconv.FormatInt(id, 10)+".json"))
	_, err = w.Write(b)
	return err
}
