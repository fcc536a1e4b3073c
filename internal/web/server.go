// Package web serves anwei over HTTP: server-rendered Chinese pages
// (html/template + htmx, vendored and embedded) under / and the JSON API
// under /api/v1/ with its OpenAPI document. Handlers only translate HTTP to
// service calls; permissions and jurisdiction are checked in the services.
// Its files follow ARCHITECTURE.md's "Web files": <area>_pages.go,
// <area>_api.go, <area>_forms.go and <area>_funcs.go per area, shared
// helpers named for what they are.
// Non-safe cross-origin browser requests are refused by
// http.CrossOriginProtection (CSRF).
package web

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"anwei/internal/audit"
	"anwei/internal/auth"
	"anwei/internal/calendar"
	"anwei/internal/enforce"
	"anwei/internal/enterprise"
	"anwei/internal/files"
	"anwei/internal/hazard"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/plan"
	"anwei/internal/risk"
)

//go:embed static
var staticFiles embed.FS

// Services are the mechanisms the handlers call. app.Services embeds them
// (adding the database, which web never names), so they are listed once:
// a new mechanism's service is a field here, built in app.NewServices.
type Services struct {
	Clock   calendar.Clock
	Audit   *audit.Log // the database's health (the log itself is read through Org)
	Org     *org.Service
	Auth    *auth.Service
	Files   *files.Store
	Inbox   *inbox.Service
	Plans   *plan.Service
	Ents    *enterprise.Service
	Hazards *hazard.Service
	Risks   *risk.Service
	Enforce *enforce.Service
}

// Options are how the server runs, apart from what it calls.
type Options struct {
	Log *slog.Logger // nil: slog.Default()
	// TrustProxy: the client address and scheme come from the reverse
	// proxy's X-Forwarded-For and X-Forwarded-Proto headers.
	TrustProxy bool
	// Timeouts of the HTTP server (HTTPServer); zero fields take
	// DefaultTimeouts.
	Timeouts Timeouts
}

// Server holds what the handlers need.
type Server struct {
	Services
	Options
	pages        *pages
	proxyWarning sync.Once // X-Forwarded-For seen without TrustProxy: said once
}

// New returns a server with its templates parsed.
func New(svc Services, opt Options) (*Server, error) {
	p, err := parsedPages()
	if err != nil {
		return nil, err
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return &Server{Services: svc, Options: opt, pages: p}, nil
}

// Handler returns the whole HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routePages(mux)
	s.routeAPI(mux)
	outer := http.NewServeMux()
	s.routeOuter(outer, s.identify(mux))
	return s.recoverer(s.logRequests(securityHeaders(s.hsts(outer))))
}

// routeOuter registers what needs no session lookup, and around it the
// pages and the API (inner).
func (s *Server) routeOuter(outer router, inner http.Handler) {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, errCrossOrigin)
	}))
	// Static files and the health check need no session lookup.
	static, _ := fs.Sub(staticFiles, "static")
	outer.Handle("GET /static/", http.StripPrefix("/static/", cacheForever(http.FileServerFS(static))))
	outer.HandleFunc("GET /healthz", s.healthz)
	outer.Handle("/", cop.Handler(inner))
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.Audit.Ping(ctx); err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok"))
}

// routePages registers the HTML pages.
func (s *Server) routePages(mux router) {
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
	mux.HandleFunc("GET /org/calendar", s.page(s.calendarPage))
	mux.HandleFunc("POST /org/calendar", s.upload(noticeBody, s.calendarImport, org.PermCalendarWrite))

	mux.HandleFunc("GET /plans", s.page(s.plansPage))
	mux.HandleFunc("GET /plans/import/template.txt", s.page(s.planImportTemplate))
	mux.HandleFunc("POST /plans/review", s.upload(planTextBody, s.planReview, org.PermPlanImport))
	mux.HandleFunc("POST /plans/import", s.upload(planTextBody, s.planImport, org.PermPlanImport)) // the reviewed plan comes back whole
	mux.HandleFunc("GET /plans/{id}", s.page(s.planPage))
	mux.HandleFunc("POST /plans/{id}/cadence", s.page(s.planCadence))
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
	mux.HandleFunc("GET /notices/{id}/docx", s.page(s.noticeDOCX))
	mux.HandleFunc("POST /notices/{id}/answer", s.page(s.noticeAnswer))
	mux.HandleFunc("GET /enterprises", s.page(s.enterprisesPage))
	mux.HandleFunc("GET /enterprises.xlsx", s.page(s.enterpriseExport))
	mux.HandleFunc("GET /enterprises/new", s.page(s.enterpriseNewPage))
	mux.HandleFunc("POST /enterprises/new", s.page(s.enterpriseCreate))
	mux.HandleFunc("GET /enterprises/import", s.page(s.enterpriseImportPage))
	mux.HandleFunc("GET /enterprises/import/template.xlsx", s.page(s.enterpriseImportTemplate))
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
	mux.HandleFunc("GET /hazards/bulletin.docx", s.page(s.bulletinDOCX))
	mux.HandleFunc("GET /hazards/{id}", s.page(s.hazardPage))
	mux.HandleFunc("POST /hazards/{id}/act", s.upload(filesBody, s.hazardAct, org.PermHazardReport, org.PermHazardManage))
	mux.HandleFunc("POST /hazards/{id}/listing", s.page(s.hazardList))
	mux.HandleFunc("POST /hazards/{id}/experts", s.page(s.hazardAskExperts))
	mux.HandleFunc("GET /hazard-requests", s.page(s.requestsPage))
	mux.HandleFunc("GET /hazard-requests/{id}", s.page(s.requestPage))
	mux.HandleFunc("POST /hazard-requests/{id}/answer", s.page(s.requestAnswer))
	mux.HandleFunc("GET /hazard-photos/{id}", s.page(s.hazardPhoto))
	mux.HandleFunc("GET /hazard-listings", s.page(s.listingsPage))
	mux.HandleFunc("GET /hazard-listings/{id}/pdf", s.page(s.listingPDF))
	mux.HandleFunc("GET /hazard-listings/{id}/docx", s.page(s.listingDOCX))
	mux.HandleFunc("GET /risks", s.page(s.risksPage))
	mux.HandleFunc("GET /risks/new", s.page(s.riskNewPage))
	mux.HandleFunc("POST /risks/new", s.page(s.riskCreate))
	mux.HandleFunc("POST /risks/scheme", s.page(s.riskSchemeSet))
	mux.HandleFunc("GET /risks/{id}", s.page(s.riskPage))
	mux.HandleFunc("POST /risks/{id}", s.page(s.riskReassess))
	mux.HandleFunc("GET /risks/{id}/card.pdf", s.page(s.riskCard))
	mux.HandleFunc("GET /enforce", s.page(s.enforcePage))
	mux.HandleFunc("GET /enforce/caps", s.page(s.capsPage))
	mux.HandleFunc("POST /enforce/caps", s.page(s.capsSet))
	mux.HandleFunc("GET /enforce/plans/new", s.page(s.inspPlanNewPage))
	mux.HandleFunc("POST /enforce/plans", s.page(s.inspPlanSave))
	mux.HandleFunc("GET /enforce/plans/{id}", s.page(s.inspPlanShow))
	mux.HandleFunc("POST /enforce/plans/{id}/approve", s.page(s.inspPlanStep("approve")))
	mux.HandleFunc("POST /enforce/plans/{id}/publish", s.page(s.inspPlanStep("publish")))
	mux.HandleFunc("GET /enforce/officers", s.page(s.officersPage))
	mux.HandleFunc("POST /enforce/officers", s.page(s.officerSet))
	mux.HandleFunc("POST /enforce/officers/{id}/conflicts", s.page(s.conflictDeclare))
	mux.HandleFunc("GET /enforce/draws/new", s.page(s.drawNewPage))
	mux.HandleFunc("POST /enforce/draws", s.page(s.drawCommit))
	mux.HandleFunc("GET /enforce/draws/{id}", s.page(s.drawPage))
	mux.HandleFunc("GET /enforce/draws/{id}/record.json", s.page(s.drawRecord))
	mux.HandleFunc("POST /enforce/draws/{id}/draw", s.page(s.drawRun))
	mux.HandleFunc("POST /enforce/draws/{id}/recusals", s.page(s.drawRecuse))
	mux.HandleFunc("GET /public/draws/{commitment}", s.public(s.publicDrawPage))
	mux.HandleFunc("GET /public/draws/{commitment}/record.json", s.public(s.publicDrawRecord))
	mux.HandleFunc("GET /enforce/inspections", s.page(s.inspectionsPage))
	mux.HandleFunc("POST /enforce/inspections", s.page(s.inspectionAdd))
	mux.HandleFunc("GET /enforce/inspections.xlsx", s.page(s.inspectionLedger))
	mux.HandleFunc("GET /enforce/inspections/{id}", s.page(s.inspectionPage))
	mux.HandleFunc("POST /enforce/inspections/{id}/task", s.page(stepTask(s)))
	mux.HandleFunc("POST /enforce/inspections/{id}/approve", s.page(stepApprove(s)))
	mux.HandleFunc("POST /enforce/inspections/{id}/start", s.page(stepStart(s)))
	mux.HandleFunc("POST /enforce/inspections/{id}/marks", s.page(stepMarks(s)))
	mux.HandleFunc("POST /enforce/inspections/{id}/findings", s.upload(filesBody, stepFinding(s), org.PermEnforceInspect))
	mux.HandleFunc("POST /enforce/inspections/{id}/findings/{fid}/remove", s.page(s.findingRemove))
	mux.HandleFunc("POST /enforce/inspections/{id}/media", s.upload(filesBody, stepMedia(s), org.PermEnforceInspect))
	mux.HandleFunc("GET /enforce/inspections/{id}/media/{mid}", s.page(s.inspectionMedia))
	mux.HandleFunc("POST /enforce/inspections/{id}/signatures", s.page(stepSign(s)))
	mux.HandleFunc("GET /enforce/inspections/{id}/signatures/{role}", s.page(s.inspectionSignature))
	mux.HandleFunc("POST /enforce/inspections/{id}/close", s.page(stepClose(s)))
	mux.HandleFunc("GET /enforce/inspections/{id}/writs/{wid}", s.page(s.inspectionWrit))
	mux.HandleFunc("GET /enforce/inspections/{id}/record.json", s.page(s.inspectionExchange))
	mux.HandleFunc("GET /enforce/publications", s.page(s.publicationsPage))
	mux.HandleFunc("POST /enforce/publications/{id}/publish", s.page(s.publicationPublish))
	mux.HandleFunc("POST /enforce/publications/{id}/withdraw", s.page(s.publicationWithdraw))
	mux.HandleFunc("GET /enforce/escalations", s.page(s.escalationsPage))
	mux.HandleFunc("POST /enforce/escalations/{id}", s.page(s.escalationAct))
	mux.HandleFunc("GET /public/enforce", s.public(s.publicEnforcePage))
	mux.HandleFunc("GET /enforce/case-rules", s.page(s.caseRulesPage))
	mux.HandleFunc("POST /enforce/case-rules", s.page(s.caseRulesSet))
	mux.HandleFunc("GET /enforce/cases", s.page(s.casesPage))
	mux.HandleFunc("GET /enforce/cases.xlsx", s.page(s.caseLedger))
	mux.HandleFunc("GET /enforce/cases/import", s.page(s.caseImportPage))
	mux.HandleFunc("GET /enforce/cases/import/template.xlsx", s.page(s.caseImportTemplate))
	mux.HandleFunc("POST /enforce/cases/import", s.upload(caseSheetBody, s.caseImport, org.PermEnforcePenalty))
	mux.HandleFunc("POST /enforce/cases", s.page(s.caseOpen))
	mux.HandleFunc("POST /enforce/cases/spot", s.page(s.caseSpot))
	mux.HandleFunc("GET /enforce/cases/{id}", s.page(s.casePage))
	mux.HandleFunc("POST /enforce/cases/{id}/evidence", s.upload(filesBody, s.caseEvidence, org.PermEnforcePenalty))
	mux.HandleFunc("POST /enforce/cases/{id}/{step}", s.page(s.caseStepPage))
	mux.HandleFunc("GET /enforce/cases/{id}/writs/{wid}", s.page(s.caseWrit))
	mux.HandleFunc("GET /enforce/cases/{id}/files/{sid}", s.page(s.caseFile))
	mux.HandleFunc("GET /enforce/checkin/{token}", s.page(s.checkinPage))
	mux.HandleFunc("POST /enforce/checkin/{token}", s.page(s.checkinSubmit))
	mux.HandleFunc("POST /enforce/checkin", s.page(s.checkinSubmit))
	mux.HandleFunc("GET /enterprises/{id}/entry-code", s.page(s.entryCode))
	mux.HandleFunc("GET /todo", s.page(s.todoPage))
	mux.HandleFunc("GET /inbox", s.page(s.inboxPage))
	mux.HandleFunc("POST /inbox/read", s.page(s.inboxRead))
	mux.HandleFunc("GET /audit", s.page(s.auditPage))
	mux.HandleFunc("GET /audit/head", s.page(s.auditHead))
	mux.HandleFunc("GET /login/code", s.public(s.loginCodePage))
	mux.HandleFunc("POST /login/code", s.public(s.loginCodeSubmit))
	mux.HandleFunc("GET /account", s.page(s.accountPage))
	mux.HandleFunc("POST /account/two-factor", s.page(s.factorBegin))
	mux.HandleFunc("POST /account/two-factor/confirm", s.page(s.factorConfirm))
	mux.HandleFunc("POST /account/two-factor/recovery-codes", s.page(s.factorRecovery))
	mux.HandleFunc("POST /account/two-factor/disable", s.page(s.factorDisable))
	mux.HandleFunc("POST /account/two-factor/setting", s.page(s.factorSettingSet))
	mux.HandleFunc("GET /account/tokens", s.page(s.tokensPage))
	mux.HandleFunc("POST /account/tokens", s.page(s.tokenCreate))
	mux.HandleFunc("POST /account/tokens/{id}/revoke", s.page(s.tokenRevoke))
}
