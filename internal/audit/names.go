package audit

import "strings"

// ActionNames are the Chinese names of the actions the services record:
// people read 登录, not auth.login (issue 16.3). An action missing here is
// shown by ActionName as 其他操作 with its code, and a test keeps every
// action the demo records named.
var ActionNames = map[string]string{
	"enforce.plan.save": "编制监督检查计划", "enforce.plan.approve": "审批监督检查计划", "enforce.plan.publish": "公示监督检查计划",
	"enforce.officer.set": "维护执法人员名录库", "enforce.conflict.declare": "申报利害关系", "enforce.draw.commit": "公布双随机名录和承诺值",
	"enforce.draw.run": "双随机抽取", "enforce.draw.recuse": "回避重抽", "enforce.inspection.add": "登记执法检查", "enforce.caps": "设置检查频次上限",
	"enforce.task.set": "指派检查组", "enforce.task.approve": "审批检查任务并通知企业", "enforce.checkin": "扫码入企", "enforce.start": "开始现场检查",
	"enforce.mark": "填写检查表", "enforce.finding.add": "记录检查发现的问题", "enforce.finding.remove": "撤回检查问题", "enforce.media": "上传检查音视频",
	"enforce.case.open": "行政处罚立案", "enforce.case.evidence": "调查取证", "enforce.case.interview": "询问笔录",
	"enforce.case.notice": "行政处罚告知", "enforce.case.statement": "陈述申辩", "enforce.case.hearing_ask": "要求听证",
	"enforce.case.hearing_set": "听证通知", "enforce.case.hearing": "听证笔录", "enforce.case.review": "法制审核",
	"enforce.case.discussion": "集体讨论", "enforce.case.extension": "延长办案期限", "enforce.case.decide": "行政处罚决定",
	"enforce.case.waive": "不予行政处罚", "enforce.case.spot": "当场处罚", "enforce.case.consent": "同意电子送达",
	"enforce.case.serve": "送达处罚决定书", "enforce.case.pay": "缴纳罚款", "enforce.case.remind": "缴纳罚款催告",
	"enforce.case.surcharge": "加处罚款", "enforce.case.court": "申请强制执行", "enforce.case.close": "结案",
	"enforce.case.corrected": "复查认定已改正", "enforce.case_rules": "设置行政处罚案件规则",
	"enforce.case.revise": "撤销或变更处罚决定", "enforce.publish": "执法信息公示", "enforce.withdraw": "撤回公示",
	"enforce.escalation.raise": "提出提请关闭、移送司法或失信列入", "enforce.escalation.act": "办理提请关闭、移送司法或失信列入",
	"enforce.sign": "现场检查记录签名", "enforce.close": "完成现场检查", "hazard.found": "执法检查发现隐患", "hazard.recheck": "整改复查",
	"deployment.bootstrap": "初始化部署", "audit.keyed": "启用审计密钥", "burn": "审计链测试事件",
	"auth.login": "登录", "auth.login_failed": "登录失败", "auth.logout": "退出登录", "auth.locked": "账号锁定",
	"token.create": "创建接口令牌", "token.revoke": "吊销接口令牌", "token.old_term": "为升级前的接口令牌设定有效期",
	"auth.login_factor_due": "密码正确，待输入动态验证码", "auth.factor.begin": "开始绑定验证器", "auth.factor.enrol": "启用双因素认证",
	"auth.factor.recovery_codes": "重新生成恢复码", "auth.factor.disable": "关闭双因素认证", "auth.factor.setting": "设置双因素认证要求",
	"region.create": "新增行政区划", "region.rename": "行政区划更名", "region.abolish": "撤销行政区划", "region.restore": "恢复行政区划",
	"unit.create": "新增单位", "unit.update": "修改单位", "unit.disable": "停用单位", "unit.enable": "启用单位",
	"supervision.add": "增加监管部门", "supervision.remove": "移除监管部门", "scope.grant": "授予查看范围",
	"user.create": "新增用户", "user.update": "修改用户", "user.disable": "停用用户", "user.enable": "启用用户",
	"user.unlock": "解锁用户", "user.set_password": "重置密码",
	"committee.set_member": "调整安委会成员", "committee.remove_member": "移出安委会成员", "calendar.import": "载入节假日安排",
	"plan.import": "导入工作要点", "plan.cadence": "设置报送周期", "plan.progress.import": "导入任务进展",
	"plan.instance.complete": "报完成", "plan.instance.overdue": "任务逾期",
	"plan.report.progress": "报送进展", "plan.report.consolidated": "报送汇总报告",
	"plan.report.accepted": "汇总报告通过", "plan.report.returned": "汇总报告退回",
	"plan.notice.issue": "发出提醒函/交办单", "plan.notice.answer": "答复提醒函/交办单",
	"enterprise.create": "新增企业", "enterprise.update": "修改企业档案", "enterprise.import": "批量导入企业",
	"enterprise.change.approved": "企业信息变更通过", "enterprise.change.rejected": "企业信息变更退回",
	"enterprise.supervisor.set": "设置监管部门", "enterprise.duty.add": "增加监管职责", "enterprise.duty.remove": "删除监管职责",
	"enterprise.class_rule.set": "修改分类监管规则", "enterprise.credit.list": "列入严重失信名单", "enterprise.credit.repair": "信用修复",
	"enterprise.keylist.set": "调整重点监管名单", "enterprise.certificate.add": "登记证书", "enterprise.licence.add": "登记许可证",
	"enterprise.installation.save": "保存危险化学品装置",
	"hazard.report":                "上报隐患", "hazard.judge": "判定隐患等级", "hazard.assign": "交办整改", "hazard.start": "开始整改",
	"hazard.submit": "报整改完成", "hazard.pass": "复查通过销号", "hazard.fail": "复查不通过", "hazard.reopen": "重新打开隐患",
	"hazard.fix": "即查即改", "hazard.self": "企业自行整改", "hazard.accept": "自行验收销号",
	"hazard.escalate": "提级处理", "hazard.list": "挂牌督办", "hazard.ask_experts": "请专家会商", "hazard.opinion": "专家意见",
	"risk.create": "新增风险点", "risk.reassess": "重新评估风险", "risk.scheme": "设置风险分级方案",
}

// KindNames are the Chinese names of the kinds of objects events are about.
var KindNames = map[string]string{
	"unit": "单位", "user": "用户", "region": "行政区划", "enterprise": "企业", "hazard": "隐患", "hazard_opinion": "专家意见",
	"risk_point": "风险点", "plan": "工作要点", "plan_instance": "任务", "plan_notice": "提醒函/交办单", "plan_report": "汇总报告",
	"api_token": "接口令牌", "login": "登录", "duty_rule": "监管职责", "import": "导入", "setting": "设置", "audit": "审计链",
	"deployment": "部署", "committee": "安委会", "task": "任务", "holidays": "节假日安排",
	"enforce_plan": "监督检查计划", "enforce_draw": "双随机抽查", "enforce_inspection": "执法检查",
	"enforce_case": "行政处罚案件", "enforce_publication": "执法公示",
}

// ActionName is the action's Chinese name; an action without one reads
// 其他操作 with its code, so it is still told apart.
func ActionName(action string) string {
	if n, ok := ActionNames[action]; ok {
		return n
	}
	// A family known by its first word (hazard.xxx) reads by it.
	if i := strings.IndexByte(action, '.'); i > 0 {
		if k, ok := KindNames[action[:i]]; ok {
			return k + "操作（" + action[i+1:] + "）"
		}
	}
	return "其他操作（" + action + "）"
}

// KindName is the object kind's Chinese name (the kind itself when it has
// none).
func KindName(kind string) string {
	if n, ok := KindNames[kind]; ok {
		return n
	}
	return kind
}
