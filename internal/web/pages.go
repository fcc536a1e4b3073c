package web

import (
	"net/http"
	"net/url"
	"strconv"

	"anwei/internal/apperr"
)

// routePages registers the HTML pages.
func (s *Server) routePages(mux *http.ServeMux) {
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.loginSubmit)
	mux.HandleFunc("POST /logout", s.logoutSubmit)
	mux.HandleFunc("GET /{$}", s.requireLogin(s.homePage))

	mux.HandleFunc("GET /org/regions", s.requireLogin(s.regionsPage))
	mux.HandleFunc("POST /org/regions", s.requireLogin(s.regionCreate))
	mux.HandleFunc("GET /org/regions/{code}/edit", s.requireLogin(s.regionEditPage))
	mux.HandleFunc("POST /org/regions/{code}/edit", s.requireLogin(s.regionRename))
	mux.HandleFunc("POST /org/regions/{code}/active", s.requireLogin(s.regionSetActive))
	mux.HandleFunc("GET /org/units", s.requireLogin(s.unitsPage))
	mux.HandleFunc("GET /org/units/new", s.requireLogin(s.unitNewPage))
	mux.HandleFunc("POST /org/units/new", s.requireLogin(s.unitCreate))
	mux.HandleFunc("GET /org/units/{id}", s.requireLogin(s.unitPage))
	mux.HandleFunc("GET /org/units/{id}/edit", s.requireLogin(s.unitEditPage))
	mux.HandleFunc("POST /org/units/{id}/edit", s.requireLogin(s.unitUpdate))
	mux.HandleFunc("POST /org/units/{id}/active", s.requireLogin(s.unitSetActive))
	mux.HandleFunc("POST /org/units/{id}/members", s.requireLogin(s.memberSet))
	mux.HandleFunc("POST /org/units/{id}/members/{member}/remove", s.requireLogin(s.memberRemove))
	mux.HandleFunc("GET /org/committees", s.requireLogin(s.committeesPage))
	mux.HandleFunc("GET /org/users", s.requireLogin(s.usersPage))
	mux.HandleFunc("GET /org/users/new", s.requireLogin(s.userNewPage))
	mux.HandleFunc("POST /org/users/new", s.requireLogin(s.userCreate))
	mux.HandleFunc("GET /org/users/{id}/edit", s.requireLogin(s.userEditPage))
	mux.HandleFunc("POST /org/users/{id}/edit", s.requireLogin(s.userUpdate))
	mux.HandleFunc("POST /org/users/{id}/active", s.requireLogin(s.userSetActive))
	mux.HandleFunc("POST /org/users/{id}/password", s.requireLogin(s.userSetPassword))

	mux.HandleFunc("GET /audit", s.requireLogin(s.auditPage))
	mux.HandleFunc("GET /account/tokens", s.requireLogin(s.tokensPage))
	mux.HandleFunc("POST /account/tokens", s.requireLogin(s.tokenCreate))
	mux.HandleFunc("POST /account/tokens/{id}/revoke", s.requireLogin(s.tokenRevoke))
}

// flashes are the fixed messages a redirect may ask a page to show.
var flashes = map[string]string{
	"created": "已创建", "saved": "已保存", "disabled": "已停用", "enabled": "已启用",
	"password": "密码已重置", "abolished": "已撤销", "member": "安委会成员已更新", "revoked": "令牌已吊销",
}

func flashOf(r *http.Request) string { return flashes[r.URL.Query().Get("ok")] }

func redirectOK(w http.ResponseWriter, r *http.Request, path, flash string) {
	http.Redirect(w, r, path+"?ok="+url.QueryEscape(flash), http.StatusSeeOther)
}

// pathID reads an int64 path value.
func pathID(r *http.Request, name string) (int64, error) {
	v, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || v <= 0 {
		return 0, apperr.New(apperr.NotFound, "地址中的编号无效")
	}
	return v, nil
}

// formErr renders a form page again with what the user typed and the error,
// or fails the request when the error is not about the input.
func (s *Server) formErr(w http.ResponseWriter, r *http.Request, page string, d pageData, err error) {
	e := apperr.As(err)
	if e.Code != apperr.Invalid && e.Code != apperr.Conflict {
		s.fail(w, r, err)
		return
	}
	d.Err, d.Form, d.Actor = e, r.PostForm, actorOf(r)
	w.WriteHeader(statusOf(e.Code))
	s.pages.render(w, r, page, d)
}
