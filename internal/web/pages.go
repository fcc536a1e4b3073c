package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"anwei/internal/apperr"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// routePages registers the HTML pages.
func (s *Server) routePages(mux *http.ServeMux) {
	mux.HandleFunc("GET /login", s.public(s.loginPage))
	mux.HandleFunc("POST /login", s.public(s.loginSubmit))
	mux.HandleFunc("POST /logout", s.public(s.logoutSubmit))
	mux.HandleFunc("GET /{$}", s.page(s.homePage))

	mux.HandleFunc("GET /org/regions", s.page(s.regionsPage))
	mux.HandleFunc("POST /org/regions", s.page(s.regionCreate))
	mux.HandleFunc("GET /org/regions/{code}/edit", s.page(s.regionEditPage))
	mux.HandleFunc("POST /org/regions/{code}/edit", s.page(s.regionRename))
	mux.HandleFunc("POST /org/regions/{code}/active", s.page(s.regionSetActive))
	mux.HandleFunc("GET /org/units", s.page(s.unitsPage))
	mux.HandleFunc("GET /org/units/new", s.page(s.unitNewPage))
	mux.HandleFunc("POST /org/units/new", s.page(s.unitCreate))
	mux.HandleFunc("GET /org/units/{id}", s.page(s.unitPage))
	mux.HandleFunc("GET /org/units/{id}/edit", s.page(s.unitEditPage))
	mux.HandleFunc("POST /org/units/{id}/edit", s.page(s.unitUpdate))
	mux.HandleFunc("POST /org/units/{id}/active", s.page(s.unitSetActive))
	mux.HandleFunc("POST /org/units/{id}/members", s.page(s.memberSet))
	mux.HandleFunc("POST /org/units/{id}/members/{member}/remove", s.page(s.memberRemove))
	mux.HandleFunc("GET /org/committees", s.page(s.committeesPage))
	mux.HandleFunc("GET /org/users", s.page(s.usersPage))
	mux.HandleFunc("GET /org/users/new", s.page(s.userNewPage))
	mux.HandleFunc("POST /org/users/new", s.page(s.userCreate))
	mux.HandleFunc("GET /org/users/{id}/edit", s.page(s.userEditPage))
	mux.HandleFunc("POST /org/users/{id}/edit", s.page(s.userUpdate))
	mux.HandleFunc("POST /org/users/{id}/active", s.page(s.userSetActive))
	mux.HandleFunc("POST /org/users/{id}/password", s.page(s.userSetPassword))
	mux.HandleFunc("POST /org/users/{id}/unlock", s.page(s.userUnlock))

	mux.HandleFunc("GET /plans", s.page(s.plansPage))
	mux.HandleFunc("POST /plans/review", s.upload(planTextBody, s.planReview, org.PermPlanImport))
	mux.HandleFunc("POST /plans/import", s.upload(planTextBody, s.planImport, org.PermPlanImport)) // the reviewed plan comes back whole
	mux.HandleFunc("GET /plans/{id}", s.page(s.planPage))
	mux.HandleFunc("GET /plans/{id}/figures", s.page(s.planFiguresPage))
	mux.HandleFunc("GET /plans/{id}/sheet.xlsx", s.page(s.planSheet))
	mux.HandleFunc("POST /plans/{id}/progress", s.upload(progressSheetBody, s.planProgressImport, org.PermPlanReport))
	mux.HandleFunc("GET /tasks/{id}", s.page(s.taskPage))
	mux.HandleFunc("POST /tasks/{id}/reports", s.upload(filesBody, s.reportSubmit, org.PermPlanReport))
	mux.HandleFunc("POST /plans/reports/{id}/decision", s.page(s.reportDecide))
	mux.HandleFunc("GET /attachments/{id}", s.page(s.attachmentDownload))
	mux.HandleFunc("GET /tasks", s.page(s.tasksPage))
	mux.HandleFunc("POST /tasks/instances/{id}/complete", s.page(s.instanceComplete))
	mux.HandleFunc("GET /scorecard", s.page(s.scorecardPage))
	mux.HandleFunc("GET /supervise", s.page(s.supervisePage))
	mux.HandleFunc("POST /notices", s.page(s.noticeIssue))
	mux.HandleFunc("GET /notices", s.page(s.noticesPage))
	mux.HandleFunc("GET /notices/{id}", s.page(s.noticePage))
	mux.HandleFunc("GET /notices/{id}/pdf", s.page(s.noticePDF))
	mux.HandleFunc("POST /notices/{id}/answer", s.page(s.noticeAnswer))
	mux.HandleFunc("GET /enterprises", s.page(s.enterprisesPage))
	mux.HandleFunc("GET /enterprises.xlsx", s.page(s.enterpriseExport))
	mux.HandleFunc("GET /enterprises/new", s.page(s.enterpriseNewPage))
	mux.HandleFunc("POST /enterprises/new", s.page(s.enterpriseCreate))
	mux.HandleFunc("GET /enterprises/import", s.page(s.enterpriseImportPage))
	mux.HandleFunc("POST /enterprises/import", s.upload(sheetBody, s.enterpriseImport, org.PermEntImport))
	mux.HandleFunc("GET /enterprises/changes", s.page(s.changesPage))
	mux.HandleFunc("POST /enterprise-changes/{id}", s.page(s.changeDecide))
	mux.HandleFunc("GET /enterprises/duties", s.page(s.dutiesPage))
	mux.HandleFunc("POST /enterprises/duties", s.page(s.dutySet))
	mux.HandleFunc("POST /enterprises/class-rule", s.page(s.classRuleSet))
	mux.HandleFunc("GET /enterprises/expiring", s.page(s.expiringPage))
	mux.HandleFunc("POST /enterprises/major-source", s.page(s.majorSourceCalc))
	mux.HandleFunc("GET /enterprises/{id}", s.page(s.enterprisePage))
	mux.HandleFunc("GET /enterprises/{id}/edit", s.page(s.enterpriseEditPage))
	mux.HandleFunc("POST /enterprises/{id}/edit", s.page(s.enterpriseUpdate))
	mux.HandleFunc("POST /enterprises/{id}/installations", s.page(s.profileForm("sources", "saved", s.installationSave)))
	mux.HandleFunc("POST /enterprises/{id}/credit", s.page(s.profileForm("credit", "saved", s.creditAdd)))
	mux.HandleFunc("POST /enterprises/{id}/credit/repair", s.page(s.profileForm("credit", "saved", s.creditRepair)))
	mux.HandleFunc("POST /enterprises/{id}/certificates", s.page(s.profileForm("papers", "saved", s.certificateAdd)))
	mux.HandleFunc("POST /enterprises/{id}/licences", s.page(s.profileForm("papers", "saved", s.licenceAdd)))
	mux.HandleFunc("POST /enterprises/{id}/supervisors", s.page(s.profileForm("duty", "saved", s.supervisorSet)))
	mux.HandleFunc("POST /enterprises/{id}/keylist", s.page(s.profileForm("duty", "saved", s.keyListSet)))
	mux.HandleFunc("GET /hazards", s.page(s.hazardsPage))
	mux.HandleFunc("GET /hazards/new", s.page(s.hazardNewPage))
	mux.HandleFunc("POST /hazards/new", s.upload(filesBody, s.hazardCreate, org.PermHazardReport))
	mux.HandleFunc("GET /hazards/ledger.xlsx", s.page(s.hazardLedger))
	mux.HandleFunc("GET /hazards/figures", s.page(s.hazardFiguresPage))
	mux.HandleFunc("GET /hazards/bulletin", s.page(s.bulletinPage))
	mux.HandleFunc("GET /hazards/bulletin.pdf", s.page(s.bulletinPDF))
	mux.HandleFunc("GET /hazards/{id}", s.page(s.hazardPage))
	mux.HandleFunc("POST /hazards/{id}/act", s.upload(filesBody, s.hazardAct, org.PermHazardReport, org.PermHazardManage))
	mux.HandleFunc("POST /hazards/{id}/listing", s.page(s.hazardList))
	mux.HandleFunc("GET /hazard-photos/{id}", s.page(s.hazardPhoto))
	mux.HandleFunc("GET /hazard-listings", s.page(s.listingsPage))
	mux.HandleFunc("GET /hazard-listings/{id}/pdf", s.page(s.listingPDF))
	mux.HandleFunc("GET /risks", s.page(s.risksPage))
	mux.HandleFunc("GET /risks/new", s.page(s.riskNewPage))
	mux.HandleFunc("POST /risks/new", s.page(s.riskCreate))
	mux.HandleFunc("POST /risks/scheme", s.page(s.riskSchemeSet))
	mux.HandleFunc("GET /risks/{id}", s.page(s.riskPage))
	mux.HandleFunc("POST /risks/{id}", s.page(s.riskReassess))
	mux.HandleFunc("GET /risks/{id}/card.pdf", s.page(s.riskCard))
	mux.HandleFunc("GET /inbox", s.page(s.inboxPage))
	mux.HandleFunc("POST /inbox/read", s.page(s.inboxRead))
	mux.HandleFunc("GET /audit", s.page(s.auditPage))
	mux.HandleFunc("GET /audit/head", s.page(s.auditHead))
	mux.HandleFunc("GET /account/tokens", s.page(s.tokensPage))
	mux.HandleFunc("POST /account/tokens", s.page(s.tokenCreate))
	mux.HandleFunc("POST /account/tokens/{id}/revoke", s.page(s.tokenRevoke))
}

// pageFunc is a page handler; an error it returns becomes the error page
// (or the JSON error, for htmx fragments the same page).
type pageFunc func(w http.ResponseWriter, r *http.Request) error

// public serves a page that needs no login (the login form): its body may
// be publicBody.
func (s *Server) public(h pageFunc) http.HandlerFunc { return s.form(publicBody, h) }

// form serves a page whose request body may be limit bytes: the limit is
// set before any of the body is read, then the query and the form (URL-
// encoded or multipart) are parsed and checked for text we do not store
// (checkForm) before the handler runs. A multipart form keeps formMemory in
// memory; larger files wait in the temporary directory until identify
// removes them when the request ends.
func (s *Server) form(limit int64, h pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		err := checkForm(r, limit)
		if err == nil {
			err = h(w, r)
		}
		if err != nil {
			s.fail(w, r, err)
		}
	}
}

// page serves a page that needs a logged-in actor: its body may be
// formBody.
func (s *Server) page(h pageFunc) http.HandlerFunc {
	return s.requireLogin(s.form(formBody, s.withUnread(h)))
}

// upload serves a page that takes files, with a body of up to limit bytes,
// to a signed-in user holding one of perms (checked before the body is
// read, so nobody else can make the server spool it; the service checks
// again): the user has Timeouts.Upload to send the request (longBody).
func (s *Server) upload(limit int64, h pageFunc, perms ...org.Perm) http.HandlerFunc {
	return s.requireLogin(s.mayUpload(perms, s.longBody(s.form(limit, s.withUnread(h)))))
}

// mayUpload refuses an actor holding none of perms.
func (s *Server) mayUpload(perms []org.Perm, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := actorOf(r)
		if slices.ContainsFunc(perms, a.Can) {
			next(w, r)
			return
		}
		s.fail(w, r, a.Require(perms[0]))
	}
}

// withUnread puts into the request how many inbox messages the actor's
// unit has not read, for the page's top bar.
func (s *Server) withUnread(h pageFunc) pageFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if a := actorOf(r); a != nil && s.Inbox != nil && r.Method == http.MethodGet {
			if _, _, n, err := s.Inbox.ListInbox(r.Context(), a, paging.Page{Limit: 1}); err == nil {
				r = r.WithContext(context.WithValue(r.Context(), unreadKey, n))
			}
		}
		return h(w, r)
	}
}

type unreadCtx struct{}

var unreadKey unreadCtx

func unreadOf(r *http.Request) int { n, _ := r.Context().Value(unreadKey).(int); return n }

// flashes are the fixed messages a redirect may ask a page to show.
var flashes = map[string]string{
	"created": "已创建", "saved": "已保存", "disabled": "已停用", "enabled": "已启用",
	"password": "密码已重置，其会话已结束、接口令牌已吊销", "unlocked": "已解除登录锁定", "abolished": "已撤销", "member": "安委会成员已更新", "revoked": "令牌已吊销", "done": "已记录完成情况",
	"reported": "已报送", "accepted": "已通过", "returned": "已退回", "issued": "督办文书已印发", "answered": "已回复", "read": "已全部标为已读",
	"listed": "已挂牌督办，督办通知书已生成", "hazard": "隐患已上报，等待属地或监管部门判定",
	"change": "已保存；名称、代码、区划、行业、类别、规模、状态的修改已提交监管部门审核",
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

// formErr renders a form page again with what the user typed and the error;
// an error that is not about the input is returned for the error page.
func (s *Server) formErr(w http.ResponseWriter, r *http.Request, page string, d pageData, err error) error {
	e := apperr.As(err)
	if e.Code != apperr.Invalid && e.Code != apperr.Conflict {
		return err
	}
	d.Err, d.Form, d.Actor = e, r.PostForm, actorOf(r)
	w.WriteHeader(statusOf(e.Code))
	s.pages.render(w, r, page, d)
	return nil
}

// setActive reads the active form field of a disable/enable button and the
// flash that reports it.
func setActive(r *http.Request) (active bool, flash string) {
	if r.FormValue("active") == "1" {
		return true, "enabled"
	}
	return false, "disabled"
}
