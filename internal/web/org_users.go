package web

import (
	"net/http"
	"net/url"
	"strconv"

	"anwei/internal/apperr"
	"anwei/internal/org"
)

type usersData struct {
	Users  []org.User
	Pager  pager
	Filter url.Values
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	a, q := actorOf(r), r.URL.Query()
	unitID, _ := strconv.ParseInt(q.Get("unit"), 10, 64)
	users, total, err := s.Org.ListUsers(r.Context(), a, org.UserFilter{UnitID: unitID, Role: org.Role(q.Get("role")),
		Q: q.Get("q"), Active: q.Get("active"), Page: pageOf(r, listSize)})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.pages.render(w, r, "org/users", pageData{Title: "用户", Actor: a, Flash: flashOf(r),
		Data: usersData{Users: users, Pager: newPager(r, listSize, total), Filter: q}})
}

type userForm struct {
	User  org.User
	IsNew bool
	Units []org.Unit
}

func (s *Server) userFormData(r *http.Request, u org.User, isNew bool) (userForm, error) {
	units, _, err := s.Org.ListUnits(r.Context(), actorOf(r), org.UnitFilter{Active: "1", Page: org.Page{Limit: 500}})
	return userForm{User: u, IsNew: isNew, Units: units}, err
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

func (s *Server) userNewPage(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	if err := a.Require(org.PermUserWrite); err != nil {
		s.fail(w, r, err)
		return
	}
	unitID, _ := strconv.ParseInt(r.URL.Query().Get("unit"), 10, 64)
	d, err := s.userFormData(r, org.User{UnitID: unitID}, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.pages.render(w, r, "org/user_form", pageData{Title: "新建用户", Actor: a, Data: d})
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) {
	in, err := userInputOf(r)
	if err == nil {
		if _, err = s.Org.CreateUser(r.Context(), actorOf(r), in); err == nil {
			redirectOK(w, r, "/org/users", "created")
			return
		}
	}
	d, ferr := s.userFormData(r, org.User{}, true)
	if ferr != nil {
		s.fail(w, r, ferr)
		return
	}
	r.PostForm.Del("password")
	s.formErr(w, r, "org/user_form", pageData{Title: "新建用户", Data: d}, err)
}

func (s *Server) userEditPage(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	if err := a.Require(org.PermUserWrite); err != nil {
		s.fail(w, r, err)
		return
	}
	uid, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.Org.GetUser(r.Context(), a, uid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.userFormData(r, u, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.pages.render(w, r, "org/user_form", pageData{Title: "编辑用户", Actor: a, Flash: flashOf(r), Data: d})
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) {
	uid, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := userInputOf(r)
	if err == nil {
		if _, err = s.Org.UpdateUser(r.Context(), actorOf(r), uid, in); err == nil {
			redirectOK(w, r, "/org/users/"+strconv.FormatInt(uid, 10)+"/edit", "saved")
			return
		}
	}
	u, gerr := s.Org.GetUser(r.Context(), actorOf(r), uid)
	if gerr != nil {
		s.fail(w, r, gerr)
		return
	}
	d, ferr := s.userFormData(r, u, false)
	if ferr != nil {
		s.fail(w, r, ferr)
		return
	}
	s.formErr(w, r, "org/user_form", pageData{Title: "编辑用户", Data: d}, err)
}

func (s *Server) userSetActive(w http.ResponseWriter, r *http.Request) {
	uid, err := pathID(r, "id")
	if err == nil {
		active := r.FormValue("active") == "1"
		if err = s.Org.SetUserActive(r.Context(), actorOf(r), uid, active); err == nil {
			redirectOK(w, r, "/org/users/"+strconv.FormatInt(uid, 10)+"/edit", map[bool]string{true: "enabled", false: "disabled"}[active])
			return
		}
	}
	s.fail(w, r, err)
}

func (s *Server) userSetPassword(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	uid, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err = s.Org.SetPassword(r.Context(), a, uid, r.FormValue("password")); err == nil {
		redirectOK(w, r, "/org/users/"+strconv.FormatInt(uid, 10)+"/edit", "password")
		return
	}
	u, gerr := s.Org.GetUser(r.Context(), a, uid)
	if gerr != nil {
		s.fail(w, r, gerr)
		return
	}
	d, ferr := s.userFormData(r, u, false)
	if ferr != nil {
		s.fail(w, r, ferr)
		return
	}
	r.PostForm.Del("password")
	s.formErr(w, r, "org/user_form", pageData{Title: "编辑用户", Data: d}, err)
}
