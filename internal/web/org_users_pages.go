package web

import (
	"net/http"
	"net/url"
	"strconv"

	"anwei/internal/org"
)

type usersData struct {
	Users  []org.User
	Pager  pager
	Filter url.Values
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) error {
	a, q := actorOf(r), r.URL.Query()
	unitID, _ := strconv.ParseInt(q.Get("unit"), 10, 64)
	users, total, err := s.Org.ListUsers(r.Context(), a, org.UserFilter{UnitID: unitID, Role: org.Role(q.Get("role")),
		Q: q.Get("q"), Active: q.Get("active"), Sort: sortOf(r), Page: pageOf(r, listSize)})
	if err != nil {
		return err
	}
	s.pages.render(w, r, "org/users", pageData{Title: "用户", Actor: a, Flash: flashOf(r),
		Data: usersData{Users: users, Pager: newPager(r, listSize, total), Filter: q}})
	return nil
}

type userForm struct {
	User     org.User
	IsNew    bool
	UnitName string // the chosen unit's, shown in its picker
}

// userFormPage renders the user form; err, when not nil, is the input's
// mistake to show with what was typed (never the password).
func (s *Server) userFormPage(w http.ResponseWriter, r *http.Request, u org.User, isNew bool, err error) error {
	a := actorOf(r)
	if aerr := a.Require(org.PermUserWrite); aerr != nil {
		return aerr
	}
	unit := u.UnitID
	if err != nil {
		unit, _ = strconv.ParseInt(r.PostFormValue("unit_id"), 10, 64)
	}
	title := "编辑用户"
	if isNew {
		title = "新建用户"
	}
	p := pageData{Title: title, Actor: a, Flash: flashOf(r), Data: userForm{User: u, IsNew: isNew, UnitName: s.unitName(r, unit)}}
	if err != nil {
		r.PostForm.Del("password")
		return s.formErr(w, r, "org/user_form", p, err)
	}
	s.pages.render(w, r, "org/user_form", p)
	return nil
}

// unitName is the name of the unit id for a picker showing it chosen: ""
// when there is none or the actor may not see it.
func (s *Server) unitName(r *http.Request, id int64) string {
	if id == 0 {
		return ""
	}
	u, err := s.Org.GetUnit(r.Context(), actorOf(r), id)
	if err != nil {
		return ""
	}
	return u.Name
}

func userPath(id int64) string { return "/org/users/" + strconv.FormatInt(id, 10) + "/edit" }

func (s *Server) userNewPage(w http.ResponseWriter, r *http.Request) error {
	unitID, _ := strconv.ParseInt(r.URL.Query().Get("unit"), 10, 64)
	return s.userFormPage(w, r, org.User{UnitID: unitID}, true, nil)
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error {
	in, err := userInputOf(r)
	if err == nil {
		if _, err = s.Org.CreateUser(r.Context(), actorOf(r), in); err == nil {
			redirectOK(w, r, "/org/users", "created")
			return nil
		}
	}
	return s.userFormPage(w, r, org.User{}, true, err)
}

// editedUser loads the user of the path.
func (s *Server) editedUser(r *http.Request) (org.User, error) {
	uid, err := pathID(r, "id")
	if err != nil {
		return org.User{}, err
	}
	return s.Org.GetUser(r.Context(), actorOf(r), uid)
}

func (s *Server) userEditPage(w http.ResponseWriter, r *http.Request) error {
	u, err := s.editedUser(r)
	if err != nil {
		return err
	}
	return s.userFormPage(w, r, u, false, nil)
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) error {
	u, err := s.editedUser(r)
	if err != nil {
		return err
	}
	in, err := userInputOf(r)
	if err == nil {
		if _, err = s.Org.UpdateUser(r.Context(), actorOf(r), u.ID, in); err == nil {
			redirectOK(w, r, userPath(u.ID), "saved")
			return nil
		}
	}
	return s.userFormPage(w, r, u, false, err)
}

func (s *Server) userSetActive(w http.ResponseWriter, r *http.Request) error {
	uid, err := pathID(r, "id")
	if err != nil {
		return err
	}
	active, flash := setActive(r)
	if err := s.Org.SetUserActive(r.Context(), actorOf(r), uid, active); err != nil {
		return err
	}
	redirectOK(w, r, userPath(uid), flash)
	return nil
}

func (s *Server) userSetPassword(w http.ResponseWriter, r *http.Request) error {
	u, err := s.editedUser(r)
	if err != nil {
		return err
	}
	if err := s.Org.SetPassword(r.Context(), actorOf(r), u.ID, r.FormValue("password")); err != nil {
		return s.userFormPage(w, r, u, false, err)
	}
	redirectOK(w, r, userPath(u.ID), "password")
	return nil
}

func (s *Server) userUnlock(w http.ResponseWriter, r *http.Request) error {
	uid, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.Org.UnlockUser(r.Context(), actorOf(r), uid); err != nil {
		return err
	}
	redirectOK(w, r, userPath(uid), "unlocked")
	return nil
}
