package web

import (
	"net/http"
	"reflect"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/audit"
	"anwei/internal/auth"
	"anwei/internal/calendar"
	"anwei/internal/enforce"
	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/inbox"
	"anwei/internal/org"
	"anwei/internal/paging"
	"anwei/internal/plan"
	"anwei/internal/risk"
	"anwei/internal/rules"
)

// apiRoute is one API endpoint: how it is served and how it is documented.
type apiRoute struct {
	Method, Path, Summary, Tag string
	Public                     bool // no login needed
	Body                       any  // request body type (for the document), nil if none
	Resp                       any  // response body type, nil for 204
	Query                      []string
	h                          apiFunc
}

// status is the route's success status.
func (rt apiRoute) status() int {
	switch {
	case rt.Resp == nil:
		return http.StatusNoContent
	case rt.Method == "POST" && !rt.Public && !strings.HasSuffix(rt.Path, "/parse") && !strings.HasSuffix(rt.Path, "/review"):
		return http.StatusCreated
	}
	return http.StatusOK
}

// apiRoutes is THE table of the JSON API; routeAPI serves it and
// openapi.go documents it.
func (s *Server) apiRoutes() []apiRoute {
	page := []string{"offset", "limit"}
	// sorted is a sortable listing's query: ?sort=<key>&desc=1 (issue 16.4).
	sorted := []string{"sort", "desc", "offset", "limit"}
	by := func(o paging.Orders) string {
		return "；sort 可取 " + strings.Join(o.Keys(), "、") + "，desc=1 为倒序"
	}
	return []apiRoute{
		{"POST", "/api/v1/session", "登录 (设置会话 Cookie)。须第二步验证的账号回复 202 和 {\"second_factor\": \"code\" 或 \"enrol\"}，再以 POST /api/v1/session/code 完成", "会话", true, loginRequest{}, me{}, nil, s.apiLogin},
		{"DELETE", "/api/v1/session", "退出登录", "会话", false, nil, nil, nil, s.apiLogout},
		{"GET", "/api/v1/me", "当前用户、单位、角色、权限和管辖范围", "会话", false, nil, me{}, nil, s.apiMe},
		{"GET", "/api/v1/regions", "行政区划列表", "组织机构", false, nil, list[org.Region]{}, append([]string{"parent", "q"}, page...), s.apiRegions},
		{"GET", "/api/v1/regions/{code}", "行政区划", "组织机构", false, nil, org.Region{}, nil, s.apiRegion},
		{"POST", "/api/v1/regions", "新增行政区划", "组织机构", false, org.RegionInput{}, org.Region{}, nil, s.apiRegionCreate},
		{"PUT", "/api/v1/regions/{code}", "更名行政区划", "组织机构", false, org.RegionInput{}, org.Region{}, nil, s.apiRegionRename},
		{"PUT", "/api/v1/regions/{code}/active", "撤销或恢复行政区划", "组织机构", false, activeBody{}, nil, nil, s.apiRegionActive},
		{"GET", "/api/v1/units", "单位列表 (也是单位选择框的搜索: q 为名称、简称或别名的一部分，kind 可列多个类别，以逗号分隔" + by(org.UnitOrders) + ")", "组织机构", false, nil, list[org.Unit]{}, append([]string{"kind", "region", "q", "active"}, sorted...), s.apiUnits},
		{"POST", "/api/v1/units", "新建单位", "组织机构", false, org.UnitInput{}, org.Unit{}, nil, s.apiUnitCreate},
		{"GET", "/api/v1/units/{id}", "单位", "组织机构", false, nil, org.Unit{}, nil, s.apiUnit},
		{"PUT", "/api/v1/units/{id}", "修改单位", "组织机构", false, org.UnitInput{}, org.Unit{}, nil, s.apiUnitUpdate},
		{"PUT", "/api/v1/units/{id}/active", "停用或启用单位", "组织机构", false, activeBody{}, nil, nil, s.apiUnitActive},
		{"GET", "/api/v1/committees/{id}/members", "安委会成员", "组织机构", false, nil, map[string][]org.Member{}, nil, s.apiMembers},
		{"PUT", "/api/v1/committees/{id}/members/{member}", "加入安委会或调整成员类别", "组织机构", false, memberBody{}, nil, nil, s.apiMemberSet},
		{"DELETE", "/api/v1/committees/{id}/members/{member}", "移出安委会", "组织机构", false, nil, nil, nil, s.apiMemberRemove},
		{"GET", "/api/v1/users", "用户列表 (" + strings.TrimPrefix(by(org.UserOrders), "；") + ")", "组织机构", false, nil, list[org.User]{}, append([]string{"unit_id", "role", "q", "active"}, sorted...), s.apiUsers},
		{"POST", "/api/v1/users", "新建用户", "组织机构", false, org.UserInput{}, org.User{}, nil, s.apiUserCreate},
		{"GET", "/api/v1/users/{id}", "用户", "组织机构", false, nil, org.User{}, nil, s.apiUser},
		{"PUT", "/api/v1/users/{id}", "修改用户", "组织机构", false, org.UserInput{}, org.User{}, nil, s.apiUserUpdate},
		{"PUT", "/api/v1/users/{id}/active", "停用或启用用户", "组织机构", false, activeBody{}, nil, nil, s.apiUserActive},
		{"PUT", "/api/v1/users/{id}/password", "重置密码 (并结束其全部会话、吊销其接口令牌)", "组织机构", false, passwordBody{}, nil, nil, s.apiUserPassword},
		{"POST", "/api/v1/users/{id}/unlock", "解除登录锁定", "组织机构", false, nil, nil, nil, s.apiUserUnlock},
		{"GET", "/api/v1/calendar", "节假日表: 各年份的来源 (内置或导入)、放假和调休上班的天数，已知至哪一天 (其后的“N 个工作日”期限为暂定)，是否即将用完", "组织机构", false, nil, org.HolidayTable{}, nil, s.apiCalendar},
		{"POST", "/api/v1/calendar", "载入国务院办公厅一年的节假日安排通知 (系统管理员；请求体为 UTF-8 的 CSV 文件，列 date,kind,name，kind 为 holiday 放假或 workday 调休上班；有误时整个文件不载入，fields 逐行说明)", "组织机构", false, nil, calendar.YearInfo{}, nil, s.apiCalendarImport},
		{"GET", "/api/v1/audit/events", "审计日志查询 (安委办)", "审计", false, nil, list[audit.Event]{},
			append([]string{"action", "object_kind", "object_id", "actor", "since", "until"}, page...), s.apiAuditEvents},
		{"GET", "/api/v1/audit/events/{seq}", "审计事件", "审计", false, nil, audit.Event{}, nil, s.apiAuditEvent},
		{"GET", "/api/v1/plans", "工作要点列表", "工作要点", false, nil, list[plan.PlanRow]{}, page, s.apiPlans},
		{"GET", "/api/v1/plans/{id}", "工作要点", "工作要点", false, nil, plan.PlanRow{}, nil, s.apiPlan},
		{"PUT", "/api/v1/plans/{id}", "修改工作要点的报送频次 (未写明时限的任务按此报送；只重排今后未报的期次；可发回 GET 的内容)", "工作要点", false, plan.Cadence{}, plan.PlanRow{}, nil, s.apiPlanUpdate},
		{"POST", "/api/v1/plans/parse", "解析工作要点全文 (anwei.plan/v1)", "工作要点", false, parseBody{}, plan.Parsed{}, nil, s.apiPlanParse},
		{"POST", "/api/v1/plans/review", "核对工作要点: 解析全文，并把每个责任单位写法对应到本辖区的单位 (含记住的对应和拆分)；suspect 说明需核对的写法 (未对应、含等/和/及或括号)", "工作要点", false, parseBody{}, reviewedPlan{}, nil, s.apiPlanReview},
		{"GET", "/api/v1/assignments", "任务分工 (本单位及管辖范围内)", "工作要点", false, nil, list[plan.AssignmentRow]{},
			append([]string{"plan_id", "unit_id"}, page...), s.apiAssignments},
		{"GET", "/api/v1/duties", "各单位在各事项中的分工 (每个事项每个单位一行，牵头优先；含任务原文和完成状态)", "工作要点", false, nil, list[plan.Duty]{},
			append([]string{"plan_id", "unit_id"}, page...), s.apiDuties},
		{"GET", "/api/v1/instances", "时限任务 (状态由今天日期推出: todo/due_soon/overdue/done" + by(plan.InstanceOrders) + ")", "工作要点", false, nil, list[plan.InstanceRow]{},
			append([]string{"plan_id", "unit_id", "status"}, sorted...), s.apiInstances},
		{"POST", "/api/v1/instances/{id}/complete", "本单位报完成情况", "工作要点", false, evidenceBody{}, nil, nil, s.apiInstanceComplete},
		{"GET", "/api/v1/tasks/{id}", "任务 (事项、牵头和配合单位)", "工作要点", false, nil, plan.TaskView{}, nil, s.apiTask},
		{"GET", "/api/v1/reports", "进展报告 (本单位、所牵头任务的配合单位、本办印发的工作要点)", "工作要点", false, nil, list[plan.ReportRow]{},
			append([]string{"plan_id", "task_id", "unit_id", "kind", "status"}, page...), s.apiReports},
		{"POST", "/api/v1/tasks/{id}/reports", "报送进展 (progress) 或牵头单位汇总报告 (consolidated)", "工作要点", false, reportBody{}, created{}, nil, s.apiReportSubmit},
		{"POST", "/api/v1/reports/{id}/decision", "安委办审核汇总报告: 通过或退回 (退回须写理由)", "工作要点", false, decisionBody{}, nil, nil, s.apiReportDecide},
		{"POST", "/api/v1/plans/{id}/progress", "导入填好的任务分工表 (请求体为 .xlsx 或 .csv 文件，?name=文件名；回复列出前 100 个被退回的行，rejected_total 为全部)", "工作要点", false, nil, plan.ProgressImport{}, []string{"name"}, s.apiProgressImport},
		{"GET", "/api/v1/plans/{id}/figures", "工作要点完成率、逾期率 (按单位、按板块)", "工作要点", false, nil, plan.Figures{}, nil, s.apiPlanFigures},
		{"GET", "/api/v1/units/{id}/scorecard", "单位任务完成得分卡 (考核读取)", "工作要点", false, nil, plan.Scorecard{}, []string{"year"}, s.apiScorecard},
		{"GET", "/api/v1/scorecard/ranking", "单位任务完成排名: 年度工作要点各责任单位按按时完成率排名 (部门只见本单位一行及其名次)", "工作要点", false, nil, plan.Ranking{}, []string{"year"}, s.apiRanking},
		{"GET", "/api/v1/notices", "提醒函、交办单 (本办印发或发给本单位的)", "督办", false, nil, list[plan.NoticeRow]{},
			append([]string{"unit_id", "status"}, page...), s.apiNotices},
		{"GET", "/api/v1/notices/{id}", "督办文书及所列任务", "督办", false, nil, plan.NoticeRow{}, nil, s.apiNotice},
		{"POST", "/api/v1/notices", "印发提醒函或交办单 (每个责任单位一份)", "督办", false, plan.NoticeInput{}, issued{}, nil, s.apiNoticeIssue},
		{"POST", "/api/v1/notices/{id}/answer", "回复督办文书", "督办", false, answerBody{}, nil, nil, s.apiNoticeAnswer},
		{"GET", "/api/v1/enterprises", "企业列表 (管辖范围内；q 搜名称和代码；含街道 street_name、监管部门 dept_names" + by(enterprise.Orders) + ")", "企业", false, nil, list[enterprise.Enterprise]{},
			append([]string{"q", "region", "category", "class", "status", "major", "blacklisted", "dept", "unsupervised", "keylist"}, sorted...), s.apiEnterprises},
		{"POST", "/api/v1/enterprises", "登记企业", "企业", false, enterprise.Input{}, enterprise.Enterprise{}, nil, s.apiEnterpriseCreate},
		{"GET", "/api/v1/enterprises/{id}", "企业档案", "企业", false, nil, enterprise.Enterprise{}, nil, s.apiEnterprise},
		{"PUT", "/api/v1/enterprises/{id}", "修改企业档案 (企业自己改关键字段时生成变更申请)", "企业", false, enterprise.Input{}, entUpdated{}, nil, s.apiEnterpriseUpdate},
		{"GET", "/api/v1/enterprises/{id}/file", "一企一档: 档案、监管部门、重大危险源、信用、证照、联合惩戒标记", "企业", false, nil, enterpriseFile{}, nil, s.apiEnterpriseFile},
		{"POST", "/api/v1/enterprises/{id}/installations", "新增重大危险源单元 (GB 18218-2018 辨识分级)", "企业", false, enterprise.InstallationInput{}, enterprise.Installation{}, nil, s.apiInstallationSave},
		{"PUT", "/api/v1/enterprises/{id}/installations/{inst}", "修改重大危险源单元 (重新辨识分级；请求体可为档案中列出的单元)", "企业", false, enterprise.InstallationInput{}, enterprise.Installation{}, nil, s.apiInstallationUpdate},
		{"POST", "/api/v1/enterprises/{id}/credit", "列入严重失信主体名单", "企业", false, enterprise.ListingInput{}, created{}, nil, s.apiCreditAdd},
		{"POST", "/api/v1/credit/{id}/repair", "信用修复 (列入满12个月，列入单位决定)", "企业", false, repairBody{}, nil, nil, s.apiCreditRepair},
		{"POST", "/api/v1/enterprises/{id}/certificates", "登记三项岗位人员证书", "企业", false, enterprise.CertificateInput{}, enterprise.Certificate{}, nil, s.apiCertificateAdd},
		{"GET", "/api/v1/expiring", "30/60 天内到期的证书和证照", "企业", false, nil, enterprise.Papers{}, []string{"days"}, s.apiExpiring},
		{"POST", "/api/v1/enterprises/import", "批量导入企业 (请求体为 .xlsx 或 .csv 文件，?name=文件名)。导入完成才回复；回复列出前 100 个被退回的行，rejected_total 为全部，rejected_omitted 为未列出的；?rejects=csv 时回复为全部被退回的行 (CSV)", "企业", false, nil, importReply{}, []string{"name", "rejects"}, s.apiEnterpriseImport},
		{"GET", "/api/v1/enterprise-changes", "企业关键信息变更申请", "企业", false, nil, list[enterprise.Change]{}, append([]string{"status"}, page...), s.apiChanges},
		{"POST", "/api/v1/enterprise-changes/{id}/decision", "审核变更申请", "企业", false, changeDecision{}, nil, nil, s.apiChangeDecide},
		{"POST", "/api/v1/rules/major-source", "重大危险源辨识与分级计算 (GB 18218-2018)", "法规计算", false, majorSourceBody{}, rules.MajorSource{}, nil, s.apiMajorSource},
		{"POST", "/api/v1/rules/penalty", "罚款计算 (安全生产法 2021): 第九十四、九十五 (按事故等级占上一年年收入)、九十七至一百零九 (首次与逾期未改正)、一百一十二 (按日连续处罚，自责令改正次日计至 until)、一百一十四条 (按事故等级，情节特别严重的二至五倍)；金额为元，两端均合法", "法规计算", false, rules.PenaltyInput{}, rules.Penalty{}, nil, s.apiPenalty},
		{"GET", "/api/v1/rules/credit-code/{code}", "统一社会信用代码校验 (GB 32100-2015)", "法规计算", false, nil, rules.CreditCheck{}, nil, s.apiCreditCode},
		{"GET", "/api/v1/hazards", "隐患列表 (管辖范围内；逾期为推导值；total 计到 10000，超过时为 10001；含企业的街道 street_name、行业 industry_name、监管类别 category_names、监管部门 dept_names" + by(hazard.Orders) + ")", "隐患", false, nil, list[hazard.Hazard]{},
			append([]string{"enterprise", "state", "level", "source", "handling", "open", "overdue", "listed", "escalated", "q", "region", "dept", "category", "year", "month", "closed_month"}, sorted...), s.apiHazards},
		{"POST", "/api/v1/hazards", "上报隐患。企业自查的一般隐患可 handling=fix 即查即改 (措施 measures 和整改后照片必填，当即销号) 或 handling=self 自行整改 (deadline、responsible、measures 必填)；重大隐患或须部门处理的不填或 department。照片: 以 multipart/form-data 提交同名字段，现场照片为 files，整改后照片为 after_files", "隐患", false, hazard.ReportInput{}, hazard.Hazard{}, nil, s.apiHazardCreate},
		{"GET", "/api/v1/hazards/figures", "隐患治理统计: 整改率、重大隐患整改率、未销号重大隐患、逾期，按属地、部门、行业、来源", "隐患", false, nil, hazard.Figures{}, []string{"year"}, s.apiHazardFigures},
		{"GET", "/api/v1/hazards/trend", "隐患月度趋势: 各月上报、销号、重大隐患数及同比、环比 (比较基数为 0 时为 null)", "隐患", false, nil, hazard.Trend{}, []string{"year"}, s.apiHazardTrend},
		{"GET", "/api/v1/hazards/bulletin", "隐患治理通报 (期间内新增、销号、逾期)", "隐患", false, nil, hazard.Bulletin{}, []string{"from", "to"}, s.apiBulletin},
		{"GET", "/api/v1/hazards/{id}", "隐患: 记录、处理记录、照片、挂牌督办、当前可办理的操作", "隐患", false, nil, hazardFile{}, nil, s.apiHazard},
		{"POST", "/api/v1/hazards/{id}/actions", "办理隐患: judge 判定、assign 交办、start、submit 报整改、pass 复查销号、fail 退回、reopen 重新打开、accept 企业自行整改后自行验收销号", "隐患", false, stepBody{}, hazard.Hazard{}, nil, s.apiHazardAct},
		{"POST", "/api/v1/hazards/{id}/listings", "挂牌督办 (省、市、县级安委办)", "隐患", false, hazard.ListingInput{}, hazard.Listing{}, nil, s.apiHazardListing},
		{"GET", "/api/v1/experts", "可请判定隐患的专家 (本级及上级专家库；q 搜姓名和专家库)", "隐患", false, nil, list[hazard.Expert]{}, append([]string{"q"}, page...), s.apiExperts},
		{"GET", "/api/v1/hazards/{id}/opinions", "隐患的专家判定请求和意见 (监管部门看全部，专家只看本人的)", "隐患", false, nil, []hazard.Opinion{}, nil, s.apiHazardOpinions},
		{"POST", "/api/v1/hazards/{id}/opinions", "请专家判定未判定的隐患 (expert_ids 取自 /api/v1/experts；每位专家收到一条消息)", "隐患", false, hazard.AskInput{}, []hazard.Opinion{}, nil, s.apiAskExperts},
		{"GET", "/api/v1/hazard-requests", "判定请求: 请本人判定的 (专家) 或本单位发出的；status=pending 待答复、answered 已答复", "隐患", false, nil, list[hazard.Opinion]{}, append([]string{"status"}, page...), s.apiRequests},
		{"GET", "/api/v1/hazard-requests/{id}", "判定请求及意见；部门判定后含其判定 (decision)", "隐患", false, nil, hazard.Opinion{}, nil, s.apiRequest},
		{"POST", "/api/v1/hazard-requests/{id}/answer", "专家答复判定请求: 建议等级、判定标准条款 (如有)、理由；只答一次，部门判定前", "隐患", false, hazard.AnswerInput{}, hazard.Opinion{}, nil, s.apiAnswer},
		{"GET", "/api/v1/hazard-listings", "挂牌督办列表", "隐患", false, nil, list[hazard.Listing]{}, append([]string{"mine", "active"}, page...), s.apiListings},
		{"GET", "/api/v1/rules/violations", "安全生产法 (2021) 第九十七至一百零九条: 生产经营单位的违法行为原文、罚款幅度 (元) 及责令措施", "法规计算", false, nil, []rules.Violation{}, nil, s.apiViolations},
		{"GET", "/api/v1/rules/major-hazard-criteria", "重大事故隐患判定标准条款库 (原文及出处)", "法规计算", false, nil, []rules.Criterion{}, nil, s.apiCriteria},
		{"GET", "/api/v1/enforce/overview", "本年度各执法部门: 计划与能力、重点企业覆盖、抽查和检查数 (安委办看辖区，部门看本部门)", "执法", false, nil, []enforce.DeptFigures{}, []string{"year"}, s.apiEnforceOverview},
		{"GET", "/api/v1/enforce/plans", "年度监督检查计划列表", "执法", false, nil, []enforce.Plan{}, []string{"year"}, s.apiInspPlans},
		{"POST", "/api/v1/enforce/plans", "编制 (或修改草稿) 本部门某年度的监督检查计划，回复计划及其测算", "执法", false, enforce.PlanInput{}, enforce.Plan{}, nil, s.apiInspPlanSave},
		{"GET", "/api/v1/enforce/plans/{id}", "年度监督检查计划及其测算 (能力与需求、重点企业、各月安排)", "执法", false, nil, enforce.Plan{}, nil, s.apiInspPlan},
		{"POST", "/api/v1/enforce/plans/{id}/approve", "审批计划 (起草人以外的负责人；version 为所审阅的计划版本，其后修改过则拒绝；排不下的计划不能审批)", "执法", false, approval{}, nil, nil, s.apiInspPlanApprove},
		{"POST", "/api/v1/enforce/plans/{id}/publish", "公示已审批的计划，重点检查排入各月", "执法", false, nil, nil, nil, s.apiInspPlanPublish},
		{"GET", "/api/v1/enforce/officers", "执法检查人员名录库 (含申报的利害关系)", "执法", false, nil, []enforce.Officer{}, nil, s.apiOfficers},
		{"PUT", "/api/v1/enforce/officers", "把本部门的账号列入名录库或修改 (行政执法证号、有效期、是否在库)", "执法", false, enforce.OfficerInput{}, nil, nil, s.apiOfficerSet},
		{"POST", "/api/v1/enforce/officers/{id}/conflicts", "申报执法人员与企业的利害关系 (行政处罚法第四十三条): 抽取时不派往该企业", "执法", false, enforce.ConflictInput{}, nil, nil, s.apiConflictDeclare},
		{"GET", "/api/v1/enforce/draws", "双随机抽查列表", "执法", false, nil, []enforce.Draw{}, []string{"year"}, s.apiDraws},
		{"GET", "/api/v1/enforce/draws/preview", "按条件预览检查对象名录库和执法人员名录库的户数、人数 (不保存)", "执法", false, nil, enforce.DrawPreview{}, []string{"category", "class", "street", "include_key", "exclude_days"}, s.apiDrawPreview},
		{"POST", "/api/v1/enforce/draws", "第一步: 固定并公布两库名录和承诺值 (SHA-256)，本部门份额在抽取前保密", "执法", false, enforce.DrawInput{}, enforce.Draw{}, nil, s.apiDrawCommit},
		{"GET", "/api/v1/enforce/draws/{id}", "双随机抽查 (抽取后含公开值、种子、结果和回避)", "执法", false, nil, enforce.Draw{}, nil, s.apiDraw},
		{"GET", "/api/v1/enforce/draws/{id}/record", "抽查记录 anwei.draw/v1，可用 anwei draw verify --commitment 核验", "执法", false, nil, enforce.DrawRecord{}, nil, s.apiDrawRecord},
		{"GET", "/api/v1/enforce/draws/{id}/verify", "按公布的承诺值核验抽查记录", "执法", false, nil, enforce.Verification{}, nil, s.apiDrawVerify},
		{"POST", "/api/v1/enforce/draws/{id}/draw", "第二、三步: 录入公开值，揭示份额，按种子抽取", "执法", false, publicValue{}, enforce.Draw{}, nil, s.apiDrawRun},
		{"POST", "/api/v1/enforce/draws/{id}/recusals", "当事人申请回避: 以同一种子重抽该席位并记录", "执法", false, enforce.RecusalInput{}, enforce.Recusal{}, nil, s.apiDrawRecuse},
		{"GET", "/api/v1/enforce/inspections", "执法检查登记 (计划、抽查、督导、个案)", "执法", false, nil, list[enforce.Inspection]{}, append([]string{"year", "enterprise", "kind", "draw", "state", "month", "mine"}, page...), s.apiInspections},
		{"POST", "/api/v1/enforce/inspections", "登记个案检查 (举报、投诉、转办、事故、复查，不计入频次上限) 或督导检查", "执法", false, enforce.InspectionInput{}, enforce.Inspection{}, nil, s.apiInspectionAdd},
		{"GET", "/api/v1/enforce/inspections/{id}", "检查任务及其检查表、问题、音视频、签名和文书 (企业可看对本单位的检查)", "执法", false, nil, enforce.Detail{}, nil, s.apiInspection},
		{"GET", "/api/v1/enforce/inspections/{id}/exchange", "检查记录交换格式 " + enforce.ExchangeSchema + " (供上级执法系统导入: 检查表、问题及其隐患编号和违法条款、音视频与签名的 SHA-256 及下载地址、文书全文)", "执法", false, nil, enforce.Exchange{}, nil, s.apiInspectionExchange},
		{"PUT", "/api/v1/enforce/inspections/{id}/task", "指派检查组 (两名以上持证执法人员) 和时间窗 (待审批的任务)", "执法", false, enforce.TaskInput{}, nil, nil, s.apiTaskSet},
		{"POST", "/api/v1/enforce/inspections/{id}/approve", "负责人审批检查任务: 生成执法检查通知书送达企业，检查组收到待办", "执法", false, nil, nil, nil, s.apiTaskApprove},
		{"POST", "/api/v1/enforce/checkin", "扫码入企: 企业入企码 (token)；回复当天该企业本人的检查任务 id", "执法", false, checkinBody{}, created{}, nil, s.apiCheckin},
		{"POST", "/api/v1/enforce/inspections/{id}/start", "开始现场检查 (记录时间，可带位置 lat/lon)", "执法", false, enforce.StartInput{}, nil, nil, s.apiInspectionStart},
		{"PUT", "/api/v1/enforce/inspections/{id}/marks", "保存检查表逐项结论 (pass 合格 / fail 不合格 / na 不涉及；复查为 pass 已整改 / fail 拒不改正)", "执法", false, marksBody{}, nil, nil, s.apiMarks},
		{"POST", "/api/v1/enforce/inspections/{id}/findings", "记录发现的问题: 事故隐患 (等级、重大隐患的判定标准条款、整改期限) 和/或违法行为 (安全生产法条款)", "执法", false, enforce.FindingInput{}, enforce.Finding{}, nil, s.apiFindingAdd},
		{"DELETE", "/api/v1/enforce/inspections/{id}/findings/{fid}", "撤回误记的问题 (检查完成前)", "执法", false, nil, nil, nil, s.apiFindingRemove},
		{"POST", "/api/v1/enforce/inspections/{id}/media", "上传照片、录音、视频 (multipart/form-data: files，可带 item_key 或 finding_id)", "执法", false, nil, []enforce.Media{}, nil, s.apiMediaAdd},
		{"PUT", "/api/v1/enforce/inspections/{id}/signatures", "现场检查记录签名: role 为 officer1/officer2/party，signature 为手写签名 PNG (base64)；当事人拒签时 refused 并写明 reason", "执法", false, enforce.SignInput{}, nil, nil, s.apiSign},
		{"POST", "/api/v1/enforce/inspections/{id}/close", "完成检查: 生成现场检查记录，有限期整改的问题时生成责令限期整改指令书、隐患和复查任务；复查时生成整改复查意见书", "执法", false, enforce.CloseInput{}, enforce.Detail{}, nil, s.apiInspectionClose},
		{"GET", "/api/v1/enforce/cases", "行政处罚案件 (部门看本部门的，安委办看辖区的，企业看告知后的本单位案件)；overdue=1 只列当前步骤已逾期的", "执法", false, nil, []enforce.PenaltyCase{}, []string{"year", "state", "overdue", "enterprise", "article", "unit"}, s.apiCases},
		{"POST", "/api/v1/enforce/cases", "立案: 执法检查发现的违法行为 (finding_id)，或举报、事故 (enterprise_id、violation 或 article、facts)；officers 至少两名；生成立案审批表，立案之日起九十日内决定", "执法", false, enforce.CaseInput{}, enforce.PenaltyCase{}, nil, s.apiCaseOpen},
		{"POST", "/api/v1/enforce/cases/import", "导入本部门的历史行政处罚案件 (请求体为 .xlsx 或 .csv 文件，?name=文件名；列同行政处罚台账，已作出决定的案件)；回复导入数和每个被退回的行及其全部理由", "执法", false, nil, enforce.CaseImport{}, []string{"name"}, s.apiCaseImport},
		{"POST", "/api/v1/enforce/cases/spot", "当场处罚 (对单位三千元以下，行政处罚法第五十一条): 生成当场处罚决定书并当场交付", "执法", false, enforce.SpotInput{}, enforce.PenaltyCase{}, nil, s.apiCaseSpot},
		{"GET", "/api/v1/enforce/cases/{id}", "案件及案卷、文书、法定幅度与裁量基准、法制审核和集体讨论是否必需、首违不罚条件、今日应缴 (含加处罚款)、按日连续处罚累计", "执法", false, nil, enforce.CaseDetail{}, nil, s.apiCase},
		{"POST", "/api/v1/enforce/cases/{id}/{step}", "办理案件的一个步骤，回复办理后的案件。step: " + caseStepWords(), "执法", false, caseStepBody{}, enforce.CaseDetail{}, nil, s.apiCaseStep},
		{"GET", "/api/v1/enforce/publications", "执法公示事项 (本部门的，安委办看辖区的): 待公示、已公示、已撤回；overdue=1 只列逾期未公示或未撤回的", "执法", false, nil, []enforce.Publication{}, []string{"kind", "state", "overdue", "case"}, s.apiPublications},
		{"POST", "/api/v1/enforce/publications/{id}/publish", "公示 (以公示时的内容为准，个人信息遮蔽)；facts 可替换公示的违法事实 (删去其他个人的信息，仍经遮蔽)", "执法", false, enforce.PublishInput{}, nil, nil, s.apiPublish},
		{"POST", "/api/v1/enforce/publications/{id}/withdraw", "撤回已公示的信息并公开理由 (行政处罚法第四十八条): reason", "执法", false, withdrawBody{}, nil, nil, s.apiWithdraw},
		{"GET", "/api/v1/enforce/escalations", "案件提出的事项: 提请关闭 (安全生产法第一百一十三条)、移送司法、列入严重失信主体名单", "执法", false, nil, []enforce.Escalation{}, []string{"kind", "state", "case", "enterprise"}, s.apiEscalations},
		{"POST", "/api/v1/enforce/escalations/{id}", "办理或不予办理: action (done/dismiss)、to_whom (提请的人民政府、接收的公安机关)、note；移送生成涉嫌犯罪案件移送书，失信经确认列入名单", "执法", false, enforce.EscalationInput{}, nil, nil, s.apiEscalationAct},
		{"GET", "/api/v1/public/enforce", "执法信息公示 (无需登录): 行政处罚决定、双随机抽查结果，撤回的只有理由；kind、q (单位名称)", "执法", true, nil, []enforce.Publication{}, []string{"kind", "q"}, s.apiPublic},
		{"GET", "/api/v1/enforce/case-rules", "本辖区行政处罚案件设置 (听证标准、陈述申辩期限、延长期限、法制审核与集体讨论数额、按日连续处罚计至、裁量基准) 及各项依据说明", "执法", false, nil, caseRulesView{}, nil, s.apiCaseRules},
		{"PUT", "/api/v1/enforce/case-rules", "设置本辖区行政处罚案件设置 (安委办)；discretion 为空时用默认裁量基准", "执法", false, enforce.CaseRules{}, nil, nil, s.apiCaseRulesSet},
		{"GET", "/api/v1/enforce/figures", "本年度执法检查: 各月计划与完成、各类别发现问题、整改率", "执法", false, nil, enforce.InspectionFigures{}, []string{"year"}, s.apiInspectionFigures},
		{"GET", "/api/v1/enforce/case-figures", "本年度行政处罚: 立案、决定、不予处罚、罚款 (按条款、按部门)、立案至决定平均天数、按日连续处罚、公示及时率、提请和移送", "执法", false, nil, enforce.CaseFigures{}, []string{"year"}, s.apiCaseFigures},
		{"GET", "/api/v1/enterprises/{id}/entry-code", "企业入企码及其二维码地址 (企业本身及可见该企业的监管人员)", "执法", false, nil, entryCodeBody{}, nil, s.apiEntryCode},
		{"GET", "/api/v1/enforce/checklist", "检查表: 所列监管类别 (categories，逗号分隔) 的重大事故隐患判定标准必查项 (原文) 及安全生产法违法行为一般项；major=1 为有重大危险源", "执法", false, nil, []enforce.CheckItem{}, []string{"categories", "major"}, s.apiChecklist},
		{"GET", "/api/v1/enforce/caps", "本辖区每家企业年度检查频次上限", "执法", false, nil, capsView{}, nil, s.apiCaps},
		{"PUT", "/api/v1/enforce/caps", "设置本辖区检查频次上限 (安委办)", "执法", false, enforce.CapTable{}, nil, nil, s.apiCapsSet},
		{"GET", "/api/v1/risks", "风险点列表 (默认按等级排序" + by(risk.Orders) + ")", "风险", false, nil, list[risk.Point]{}, append([]string{"enterprise", "colour", "region"}, sorted...), s.apiRisks},
		{"POST", "/api/v1/risks", "新增风险点并评估", "风险", false, risk.Input{}, risk.Point{}, nil, s.apiRiskCreate},
		{"GET", "/api/v1/risks/colours", "红橙黄蓝四色分布 (按属地，或 enterprise 指定的企业)", "风险", false, nil, []risk.Share{}, []string{"enterprise"}, s.apiRiskColours},
		{"GET", "/api/v1/risks/by-street", "四色图: 辖区各街道 (乡镇) 的红橙黄蓝风险点数及最高等级 top", "风险", false, nil, []risk.Street{}, nil, s.apiRiskStreets},
		{"GET", "/api/v1/risks/scheme", "本辖区风险分级方法", "风险", false, nil, schemeView{}, nil, s.apiRiskScheme},
		{"PUT", "/api/v1/risks/scheme", "设置本辖区风险分级方法 (安委办)", "风险", false, risk.Scheme{}, nil, nil, s.apiRiskSchemeSet},
		{"GET", "/api/v1/risks/{id}", "风险点", "风险", false, nil, risk.Point{}, nil, s.apiRisk},
		{"PUT", "/api/v1/risks/{id}", "重新评估风险点 (保留评估记录)", "风险", false, risk.Input{}, risk.Point{}, nil, s.apiRiskReassess},
		{"GET", "/api/v1/risks/{id}/assessments", "风险点评估记录", "风险", false, nil, []risk.Assessment{}, nil, s.apiRiskHistory},
		{"GET", "/api/v1/todo", "本单位待办: 交到本单位的事项 (逾期的在前)，各带期限、链接和对象的当前状态；办理后自动移出", "会话", false, nil, list[inbox.Todo]{}, page, s.apiTodo},
		{"GET", "/api/v1/inbox", "本单位消息", "会话", false, nil, inboxList{}, page, s.apiInbox},
		{"POST", "/api/v1/inbox/read", "标为已读 (id 为 0 时全部)", "会话", false, readBody{}, nil, nil, s.apiInboxRead},
		{"POST", "/api/v1/session/code", "登录第二步: 输入验证器的动态验证码 (或恢复码)；须绑定验证器的账号以绑定时显示的密钥所生成的验证码完成绑定，回复一次性显示恢复码", "会话", true, codeBody{}, signedIn{}, nil, s.apiLoginCode},
		{"GET", "/api/v1/account/two-factor", "我的双因素认证: 是否已绑定、剩余恢复码、是否按设置必须使用", "会话", false, nil, auth.FactorStatus{}, nil, s.apiFactor},
		{"POST", "/api/v1/account/two-factor", "开始绑定验证器 (TOTP；须输入当前登录密码): 回复密钥和 otpauth:// 地址，以验证码确认后生效", "会话", false, enrolBody{}, auth.Enrolment{}, nil, s.apiFactorBegin},
		{"POST", "/api/v1/account/two-factor/confirm", "以验证码确认绑定验证器，回复 10 个一次性恢复码 (只显示这一次)", "会话", false, codeBody{}, recoveryCodes{}, nil, s.apiFactorConfirm},
		{"POST", "/api/v1/account/two-factor/recovery-codes", "重新生成恢复码 (原恢复码作废；须输入当前验证码)", "会话", false, codeBody{}, recoveryCodes{}, nil, s.apiFactorRecovery},
		{"POST", "/api/v1/account/two-factor/disable", "关闭双因素认证 (须输入当前验证码或恢复码；按设置必须使用的账号不能关闭)", "会话", false, codeBody{}, nil, nil, s.apiFactorDisable},
		{"PUT", "/api/v1/settings/two-factor", "设置管理员和安委办账号是否必须使用双因素认证 (系统管理员)", "会话", false, factorSetting{}, nil, nil, s.apiFactorSetting},
		{"GET", "/api/v1/tokens", "我的接口令牌 (范围、只读或可写、有效期、最近使用的时间和地址)", "会话", false, nil, list[auth.Token]{}, nil, s.apiTokens},
		{"POST", "/api/v1/tokens", "创建接口令牌 (须提供当前登录密码；area 为一个业务模块，write 为可写，days 为有效天数 (默认 90，最长 365)；明文只返回一次)", "会话", false, tokenBody{}, tokenCreated{}, nil, s.apiTokenCreate},
		{"DELETE", "/api/v1/tokens/{id}", "吊销接口令牌", "会话", false, nil, nil, nil, s.apiTokenRevoke},
	}
}

// uploadAPI are the API routes whose body is a file: they get
// Timeouts.Upload (longBody).
var uploadAPI = map[string]bool{"POST /api/v1/plans/{id}/progress": true, "POST /api/v1/enterprises/import": true, "POST /api/v1/hazards": true,
	"POST /api/v1/enforce/cases/import": true}

// routeAPI registers the JSON API.
func (s *Server) routeAPI(mux router) {
	mux.HandleFunc("GET /api/v1/openapi.json", s.apiOpenAPI)
	for _, rt := range s.apiRoutes() {
		h := s.serveAPI(rt.h, rt.status())
		if uploadAPI[rt.Method+" "+rt.Path] {
			h = s.longBody(h)
		}
		h = s.tokenGate(rt, h) // what a token may reach: routeareas.go
		if !rt.Public {
			h = s.requireLogin(h)
		}
		mux.HandleFunc(rt.Method+" "+rt.Path, h)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, apperr.New(apperr.NotFound, "接口不存在: "+r.Method+" "+r.URL.Path))
	})
}

// apiFunc is an API handler: it returns the response body (nil for 204 No
// Content) or an error, which becomes {"error":{…}} with its status.
type apiFunc func(w http.ResponseWriter, r *http.Request) (any, error)

// serveAPI adapts an apiFunc: status is the success status of the route.
func (s *Server) serveAPI(h apiFunc, status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := checkQuery(r); err != nil {
			s.fail(w, r, err)
			return
		}
		v, err := h(w, r)
		if _, ok := v.(streamed); ok && err == nil {
			return
		}
		switch {
		case err != nil:
			s.fail(w, r, err)
		case v == nil:
			w.WriteHeader(http.StatusNoContent)
		default:
			writeJSON(w, status, v)
		}
	}
}

// body decodes the JSON request body into a T.
func body[T any](r *http.Request) (T, error) {
	var v T
	err := decodeJSON(r, &v)
	return v, err
}

// idBodyOf reads the path's {id} and a JSON body T that may be the record
// R as GET answers it: R's fields that T has not (id, names, computed
// figures, times) are read-only and passed over; any other unknown field is
// still refused. A client may so PUT back what it read with one field
// changed (issue 14.1).
func idBodyOf[T, R any](r *http.Request) (int64, T, error) {
	var v T
	id, err := pathID(r, "id")
	if err == nil {
		v, err = bodyOf[T, R](r)
	}
	return id, v, err
}

// bodyOf is idBodyOf for a path whose object is named otherwise (a region's
// {code}, a committee's {member}): a JSON body T that may be the record R
// as GET answers it.
func bodyOf[T, R any](r *http.Request) (T, error) {
	var v T
	err := decodeJSONIgnoring(r, &v, readOnlyFields(reflect.TypeFor[R](), reflect.TypeFor[T]()))
	return v, err
}

// readOnlyFields are the JSON names of read's fields that write lacks.
func readOnlyFields(read, write reflect.Type) map[string]bool {
	out := jsonNames(read)
	for n := range jsonNames(write) {
		delete(out, n)
	}
	return out
}

// jsonNames are the JSON names of t's exported fields, embedded structs'
// included.
func jsonNames(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		out[name] = true
	}
	return out
}

// idBody reads the path's {id} and the JSON body.
func idBody[T any](r *http.Request) (int64, T, error) {
	var v T
	id, err := pathID(r, "id")
	if err == nil {
		v, err = body[T](r)
	}
	return id, v, err
}

// done turns an error-only result into an apiFunc result (204 on success).
func done(err error) (any, error) { return nil, err }

// created is the answer of a POST that made one thing: its id.
type created struct {
	ID int64 `json:"id"`
}

// streamed is what an API handler returns when it has written the response
// itself (a download).
type streamed struct{}
