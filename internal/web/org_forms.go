package web

import (
	"net/http"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// unitInputOf reads the unit form.
func unitInputOf(r *http.Request) (org.UnitInput, error) {
	if err := r.ParseForm(); err != nil {
		return org.UnitInput{}, apperr.New(apperr.Invalid, "表单无效")
	}
	f := r.PostForm
	in := org.UnitInput{Name: f.Get("name"), ShortName: f.Get("short_name"), Kind: org.UnitKind(f.Get("kind")),
		RegionCode: f.Get("region_code")}
	if p := f.Get("parent_id"); p != "" {
		v, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return in, apperr.Field("parent_id", "上级单位无效")
		}
		in.ParentID = v
	}
	if in.RegionCode == "" {
		in.Level = org.LevelCounty
	}
	in.Aliases = splitList(f.Get("aliases"))
	return in, nil
}

// unitKindsOf reads a kind filter: one kind or several separated by commas
// ("department,street", as a unit picker asks).
func unitKindsOf(s string) []org.UnitKind {
	var out []org.UnitKind
	for _, k := range strings.Split(s, ",") {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, org.UnitKind(k))
		}
	}
	return out
}

// splitList splits a list typed one per line or separated by 、，, or ;.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == '、' || r == ',' || r == '，' || r == ';' || r == '；'
	})
}

func userInputOf(r *http.Request) (org.UserInput, error) {
	if err := r.ParseForm(); err != nil {
		return org.UserInput{}, apperr.New(apperr.Invalid, "表单无效")
	}
	f := r.PostForm
	in := org.UserInput{Username: f.Get("username"), DisplayName: f.Get("display_name"), Phone: f.Get("phone"),
		Password: f.Get("password")}
	in.UnitID, _ = strconv.ParseInt(f.Get("unit_id"), 10, 64)
	for _, v := range f["roles"] {
		in.Roles = append(in.Roles, org.Role(v))
	}
	return in, nil
}

// setActive reads the active form field of a disable/enable button and the
// flash that reports it.
func setActive(r *http.Request) (active bool, flash string) {
	if r.FormValue("active") == "1" {
		return true, "enabled"
	}
	return false, "disabled"
}

// personOf reads a person field (the person picker's): a user's id, or,
// typed without scripts, the name of an active user of unit (issue 16.3:
// a person is picked by name). Empty is 0.
func (s *Server) personOf(r *http.Request, field string, unit int64) (int64, error) {
	v := strings.TrimSpace(r.PostForm.Get(field))
	if v == "" {
		return 0, nil
	}
	if id, err := strconv.ParseInt(v, 10, 64); err == nil {
		return id, nil
	}
	us, _, err := s.Org.ListUsers(r.Context(), actorOf(r), org.UserFilter{UnitID: unit, Q: v, Active: "1", Page: paging.Page{Limit: 20}})
	if err != nil {
		return 0, err
	}
	var found []int64
	for _, u := range us {
		if u.DisplayName == v || u.Username == v {
			found = append(found, u.ID)
		}
	}
	switch len(found) {
	case 0:
		return 0, apperr.Field(field, "本部门没有名为“"+v+"”的在岗人员")
	case 1:
		return found[0], nil
	}
	return 0, apperr.Field(field, "本部门有多位名为“"+v+"”的人员，请从列表中选择")
}
