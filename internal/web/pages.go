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
	"password": "密码已重置，其会话已结束、接口令牌已吊销、验证器绑定已解除 (如有)", "unlocked": "已解除登录锁定", "holidays": "已载入节假日安排：此后该年的“N 个工作日”按其计算", "abolished": "已撤销", "member": "安委会成员已更新", "revoked": "令牌已吊销", "factor-off": "已关闭双因素认证", "done": "已记录完成情况",
	"reported": "已报送", "accepted": "已通过", "returned": "已退回", "issued": "督办文书已印发", "answered": "已回复", "read": "已全部标为已读",
	"listed": "已挂牌督办，督办通知书已生成", "hazard": "隐患已上报，等待属地或监管部门判定",
	"hazard-fix": "隐患已即查即改并销号，已记入隐患台账", "hazard-self": "隐患已登记为企业自行整改，请按期整改，整改后自行验收销号",
	"approved": "计划已审批", "published": "计划已公示，重点检查已排入各月", "committed": "名录和承诺值已公布；抽取前请等公开值产生",
	"drawn": "已抽取，结果已公布，检查已排入本月", "recused": "已回避，该席位已按同一种子重新抽取", "recorded": "检查已登记",
	"case-opened": "已立案，立案审批表已生成；办案期限自立案之日起九十日", "case-saved": "已记入案卷", "case-noticed": "行政处罚告知书已生成并送达企业",
	"case-stated": "陈述申辩已提交", "case-hearing-asked": "已要求听证", "case-decided": "处罚决定书已生成", "case-revised": "已记录决定的撤销或变更，已公示的须三日内撤回",
	"pub-published": "已公示", "pub-withdrawn": "已撤回公示，理由已公开", "escalation-done": "已办理", "case-served": "已送达，缴纳期限自送达之日起十五日",
	"case-paid": "缴款已登记", "case-closed": "已结案", "case-daily": "按日连续处罚已立案",
	"task-approved": "已审批，执法检查通知书已送达企业，检查组已收到待办", "checked-in": "已扫码入企，请出示执法证件后开始检查",
	"started": "检查已开始，时间和位置已记录", "finding": "问题已记录", "signed": "签名已保存",
	"closed":            "检查已完成，现场检查记录及有关文书已生成并送达企业",
	"recorded-frequent": "检查已登记。该企业本年个案检查已达提示次数，请核实是否存在以个案名义频繁检查的情况",
	"change":            "已保存；名称、代码、区划、行业、类别、规模、状态、标准化等级的修改已提交监管部门审核",
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
