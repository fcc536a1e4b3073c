package org

import (
	"slices"
	"strings"
)

// Role is what a user does in anwei. A user may hold several.
type Role string

const (
	RoleAdmin       Role = "admin"       // 系统管理员
	RoleOffice      Role = "office"      // 安委办
	RoleMember      Role = "member"      // 成员单位 (department)
	RoleTerritorial Role = "territorial" // 属地政府 / 街道
	RoleOfficer     Role = "officer"     // 执法人员
	RoleEnterprise  Role = "enterprise"  // 企业
	RoleExpert      Role = "expert"      // 专家
)

// Roles lists every role in display order.
var Roles = []Role{RoleAdmin, RoleOffice, RoleMember, RoleTerritorial, RoleOfficer, RoleEnterprise, RoleExpert}

var roleNames = map[Role]string{
	RoleAdmin: "系统管理员", RoleOffice: "安委办", RoleMember: "成员单位", RoleTerritorial: "属地政府/街道",
	RoleOfficer: "执法人员", RoleEnterprise: "企业", RoleExpert: "专家",
}

// Name is the role's Chinese name.
func (r Role) Name() string { return roleNames[r] }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := roleNames[r]; return ok }

// Perm is a permission string, checked in services.
type Perm string

const (
	PermOrgRead        Perm = "org.read"            // see regions, units, users in scope
	PermRegionWrite    Perm = "org.region.write"    // add, rename, abolish regions
	PermUnitWrite      Perm = "org.unit.write"      // create, edit, disable units
	PermUserWrite      Perm = "org.user.write"      // create, edit, disable users, reset passwords
	PermCommitteeWrite Perm = "org.committee.write" // change 安委会 membership
	PermCalendarWrite  Perm = "org.calendar.write"  // load a year's State Council holiday notice (节假日安排)
	PermPlanImport     Perm = "plan.import"         // import a 工作要点 and assign its tasks
	PermPlanSupervise  Perm = "plan.supervise"      // 督办: accept or return reports, issue 提醒函/交办单
	PermPlanReport     Perm = "plan.report"         // report progress on the own unit's tasks, answer reminders
	PermEntWrite       Perm = "enterprise.write"    // create, edit and class enterprises in scope; review their changes
	PermEntOwn         Perm = "enterprise.own"      // keep the own enterprise's record (key fields are reviewed)
	PermEntImport      Perm = "enterprise.import"   // import enterprises in bulk
	PermEntCredit      Perm = "enterprise.credit"   // list on and repair from the 严重失信主体名单
	PermEntDuty        Perm = "enterprise.duty"     // set which department supervises which category
	PermEntKeyList     Perm = "enterprise.keylist"  // put enterprises on or off the 重点监管企业名单 (the level's own list)
	PermHazardReport   Perm = "hazard.report"       // report hazards (an enterprise its own) and rectify them
	PermHazardManage   Perm = "hazard.manage"       // judge, assign, review and close hazards in scope
	PermHazardList     Perm = "hazard.list"         // 挂牌督办 major hazards and issue 通报 (the office of a level)
	PermRiskWrite      Perm = "risk.write"          // keep and assess risk points (an enterprise its own; departments in scope)
	PermRiskConfig     Perm = "risk.config"         // choose the jurisdiction's risk grading scheme (LEC or LS, cut-offs)
	PermEnforceRead    Perm = "enforce.read"        // see inspection plans, draws and inspections in scope
	PermEnforcePlan    Perm = "enforce.plan"        // a department's own: draft its inspection plan, keep its officers, run its draws
	PermEnforceApprove Perm = "enforce.approve"     // approve the department's plan (someone other than its drafter)
	PermEnforceConfig  Perm = "enforce.config"      // set the region's per-enterprise inspection caps (the office of a level)
	PermEnforceInspect Perm = "enforce.inspect"     // inspect on site as an officer of an approved task's team
	PermEnforcePenalty Perm = "enforce.penalty"     // handle 行政处罚案件: open, investigate, notify, serve, record payment
	PermAuditRead      Perm = "audit.read"          // search the audit log
	PermTokenWriteOwn  Perm = "auth.token.own"      // create API tokens for oneself
)

// permNames are shown when a permission is missing.
var permNames = map[Perm]string{
	PermOrgRead: "查看组织机构", PermRegionWrite: "管理行政区划", PermUnitWrite: "管理单位", PermUserWrite: "管理用户",
	PermCommitteeWrite: "调整安委会组成", PermCalendarWrite: "载入节假日安排", PermAuditRead: "查询审计日志", PermPlanImport: "导入工作要点", PermPlanSupervise: "督办任务", PermPlanReport: "报送任务进展",
	PermEntWrite: "管理企业档案", PermEntOwn: "维护本企业档案", PermEntImport: "批量导入企业", PermEntCredit: "失信名单管理", PermEntDuty: "设置监管职责", PermEntKeyList: "调整重点监管名单", PermHazardReport: "上报和整改隐患", PermHazardManage: "判定、交办、复查隐患", PermHazardList: "挂牌督办和通报隐患", PermRiskWrite: "风险辨识评估", PermRiskConfig: "设置风险分级方案", PermTokenWriteOwn: "创建接口令牌",
	PermEnforceRead: "查看执法检查计划和抽查", PermEnforcePlan: "编制执法检查计划和组织双随机抽查", PermEnforceApprove: "审批执法检查计划、检查任务和行政处罚决定", PermEnforceConfig: "设置检查频次上限", PermEnforceInspect: "现场执法检查", PermEnforcePenalty: "办理行政处罚案件",
}

// Name is the permission's Chinese name.
func (p Perm) Name() string { return permNames[p] }

// matrix is THE table of what each role may do (DESIGN.md, roles and
// permissions). Admin manages the organisation but takes no part in the
// mechanisms' workflows; only the committee office reads the audit log.
var matrix = map[Role][]Perm{
	RoleAdmin: {PermOrgRead, PermRegionWrite, PermUnitWrite, PermUserWrite, PermCommitteeWrite, PermCalendarWrite, PermTokenWriteOwn},
	RoleOffice: {PermOrgRead, PermUnitWrite, PermCommitteeWrite, PermAuditRead, PermPlanImport, PermPlanSupervise, PermPlanReport,
		PermEntWrite, PermEntImport, PermEntCredit, PermEntDuty, PermEntKeyList, PermHazardReport, PermHazardManage, PermHazardList, PermRiskWrite, PermRiskConfig, PermTokenWriteOwn,
		PermEnforceRead, PermEnforceConfig},
	RoleMember: {PermOrgRead, PermPlanReport, PermEntWrite, PermEntImport, PermEntCredit, PermEntKeyList, PermHazardReport, PermHazardManage, PermRiskWrite, PermTokenWriteOwn,
		PermEnforceRead, PermEnforcePlan, PermEnforceApprove, PermEnforceInspect, PermEnforcePenalty},
	RoleTerritorial: {PermOrgRead, PermPlanReport, PermEntWrite, PermEntImport, PermHazardReport, PermHazardManage, PermRiskWrite, PermTokenWriteOwn, PermEnforceRead},
	RoleOfficer:     {PermOrgRead, PermEntWrite, PermHazardReport, PermHazardManage, PermTokenWriteOwn, PermEnforceRead, PermEnforceInspect, PermEnforcePenalty},
	RoleEnterprise:  {PermOrgRead, PermEntOwn, PermHazardReport, PermRiskWrite, PermTokenWriteOwn},
	RoleExpert:      {PermOrgRead},
}

// PermsOf returns the union of the roles' permissions.
func PermsOf(roles []Role) []Perm {
	var out []Perm
	for _, r := range roles {
		for _, p := range matrix[r] {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return out
}

// ParseRoles reads the stored comma-separated role list.
func ParseRoles(s string) []Role {
	var out []Role
	for _, f := range strings.Split(s, ",") {
		if r := Role(strings.TrimSpace(f)); r.Valid() {
			out = append(out, r)
		}
	}
	return out
}

// JoinRoles encodes roles for storage in a fixed order.
func JoinRoles(roles []Role) string {
	var parts []string
	for _, r := range Roles {
		if slices.Contains(roles, r) {
			parts = append(parts, string(r))
		}
	}
	return strings.Join(parts, ",")
}
