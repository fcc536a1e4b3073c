package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"anwei/internal/audit"
	"anwei/internal/calendar"
	"anwei/internal/codes"
	"anwei/internal/enforce"
	"anwei/internal/enterprise"
	"anwei/internal/hazard"
	"anwei/internal/org"
	"anwei/internal/risk"
)

// auditFuncs show an event's stored JSON.
func auditFuncs() template.FuncMap {
	return template.FuncMap{"pretty": prettyJSON, "actionChoices": func() []choice { return choicesOf(audit.ActionNames) },
		"kindChoices": func() []choice { return choicesOf(audit.KindNames) }}
}

// choice is one option of a select: the code sent, the name shown.
type choice struct{ Code, Name string }

// choicesOf lists names by code in the order of their names.
func choicesOf(names map[string]string) []choice {
	out := make([]choice, 0, len(names))
	for c, n := range names {
		out = append(out, choice{c, n})
	}
	slices.SortFunc(out, func(a, b choice) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// prettyJSON indents a stored canonical JSON value for display.
func prettyJSON(s string) string {
	if s == "" || s == "null" {
		return ""
	}
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(s), "", "  "); err != nil {
		return s
	}
	return b.String()
}

// eventView is an audit event as people read it (issue 16.3): the action
// and the object by name, the object linked when it has a page, the actor
// by name, and the change as labelled lines.
type eventView struct {
	audit.Event
	ActionName, ObjectName, Link, ActorName string
	Changes                                 []changeLine
}

// changeLine is one field of an event's before/after.
type changeLine struct{ Label, Before, After string }

// fieldLabels name the fields the services record in before/after; a field
// without a label shows its key.
var fieldLabels = map[string]string{
	"name": "名称", "short_name": "简称", "aliases": "别名", "title": "标题", "kind": "类别", "level": "级别", "status": "状态",
	"region_code": "行政区划", "parent_code": "上级区划", "parent_id": "上级单位", "unit_id": "单位", "unit_name": "单位",
	"username": "用户名", "display_name": "姓名", "roles": "角色", "phone": "电话", "active": "启用", "reason": "理由",
	"session": "会话", "source": "来源地址", "credit_code": "统一社会信用代码", "address": "地址", "grid": "网格",
	"industry_code": "行业代码", "categories": "监管类别", "scale": "规模", "class": "监管分类", "class_score": "分类得分",
	"class_reason": "分类理由", "major_grade": "重大危险源等级", "principal": "主要负责人", "legal_rep": "法定代表人",
	"safety_manager": "安全管理负责人", "responsible": "责任人", "place": "部位", "description": "描述", "deadline": "整改期限",
	"writ": "文号", "criterion": "判定依据", "reasoning": "判定理由", "measures": "整改措施", "evidence": "整改情况",
	"state": "状态", "number": "编号", "doc_number": "文号", "answer": "答复", "note": "说明", "count": "数量", "rows": "行数",
	"file": "文件", "sha256": "文件摘要", "category": "监管类别", "dept_id": "监管部门", "dept": "监管部门", "rule": "规则",
	"change": "变更申请", "fields": "变更字段", "moved": "转移", "severity": "严重性", "likelihood": "可能性", "exposure": "暴露频率",
	"consequence": "后果", "score": "分值", "risk_level": "风险等级", "scheme": "分级方案", "cadence": "报送周期",
	"funds": "整改资金", "handling": "处理方式", "member": "成员", "role": "职务", "task": "任务", "instance": "报送期",
	"grantee": "被授权单位", "expires_at": "到期时间", "label": "标签", "first": "首个事件", "id": "编号", "enterprise": "企业",
	"enterprise_id": "企业", "hazard": "隐患", "point": "风险点", "text": "内容", "content": "内容", "body": "正文",
	"action": "操作", "activity": "作业活动", "factors": "危险因素", "accidents": "可能导致的事故", "emergency": "应急措施",
	"control_level": "管控层级", "method": "评估方法", "inputs": "评估取值", "value": "风险值", "colour": "风险颜色",
	"assessed_on": "评估日期", "created_at": "创建时间", "updated_at": "更新时间", "assigned_by": "交办单位", "closed_at": "销号时间",
	"listed_by": "挂牌单位", "overdue": "逾期", "photos": "照片", "locked_until": "锁定至", "set_at": "设置时间", "committee_id": "安委会",
	"blacklisted": "严重失信", "insurer": "安责险承保机构", "policy_no": "安责险保单号", "policy_expires": "安责险到期日",
	"principal_phone": "主要负责人电话", "safety_phone": "安全管理负责人电话", "staff": "从业人数", "safety_engineers": "注册安全工程师人数",
	"std_level": "标准化等级", "region_name": "行政区划", "from": "原状态", "to": "新状态", "at": "时间", "actor": "操作人",
	"unit": "单位", "bands": "分级界限", "password": "密码", "emergency_plan": "应急预案",
	"year": "年度", "officers": "执法人员数", "other_enforcement_days": "其他执法工作日", "non_enforcement_days": "非执法工作日",
	"team_size": "每组人数", "days_per_inspection": "每次检查工作日", "sample_percent": "抽查比例 (%)", "first_month": "起始月份",
	"capacity": "可安排检查", "demand": "计划需要", "fits": "排得下", "key_enterprises": "重点检查企业", "key_inspections": "重点检查次数",
	"sampled": "双随机抽查次数", "user_id": "用户", "cert_no": "行政执法证号", "cert_expires": "执法证有效期", "lists_hash": "两库哈希",
	"commitment": "承诺值", "public_value": "公开值", "public_source": "公开值来源", "public_format": "公开值格式", "share": "份额",
	"seed": "种子", "drawn": "抽取结果", "enterprises": "检查对象名录库 (户)", "officer": "执法人员", "replacement": "替换人员",
	"basis": "检查依据", "month": "月份", "frequent": "个案检查频繁", "caps": "检查频次上限", "supervisory": "督导检查上限",
	"frequent_cases": "个案检查提示次数", "not_carried_out": "不实施 (已关闭、不再监管或已达上限)", "over_cap": "因已达上限未排入",
	"notice": "执法检查通知书", "lat": "纬度", "lon": "经度", "item": "检查项", "result": "检查结论", "marks": "检查项数",
	"finding": "问题", "violation": "违法行为", "files": "文件数", "refused": "拒绝签字", "writs": "文书", "findings": "问题数",
	"party": "现场负责人", "summary": "检查情况", "due_from": "检查开始日期", "due_to": "检查截止日期",
	// 行政处罚案件 (issue 24)
	"article": "处罚条款", "proposed": "拟罚款 (元)", "tier": "裁量档次", "statement_by": "陈述申辩截止", "hearing_by": "申请听证截止",
	"on": "日期", "chair": "听证主持人", "fine": "罚款 (元)", "late": "超过办案期限", "signer": "签署人", "how": "送达方式",
	"pay_by": "缴纳期限", "amount": "缴纳金额 (元)", "surcharge": "加处罚款 (元)", "receipt": "缴款凭证号", "late_days": "逾期天数",
	"fee": "加处罚款 (元)", "days": "天数", "of_case": "原案件", "total": "合计 (元)", "decide_by": "决定期限",
	"decide_by_before": "原决定期限", "case_source": "案件来源", "team": "承办人",
	// 公示 and escalations (issue 25)
	"publication": "公示事项", "due_on": "公示期限", "withdraw_by": "撤回期限", "grounds": "依据",
	"to_whom": "接收机关", "revise": "撤销或变更", "fine_before": "原罚款 (元)",
}

// fieldLabel is a field's Chinese label.
func fieldLabel(k string) string {
	if l, ok := fieldLabels[k]; ok {
		return l
	}
	return k
}

// changeLines flattens an event's before/after JSON objects into labelled
// lines, in key order; a value that is not an object is one line.
// regionName names region codes (the value of region_code and parent_code).
func changeLines(before, after string, regionName func(string) string) []changeLine {
	b, a := jsonObject(before), jsonObject(after)
	if b == nil && a == nil {
		if t := strings.TrimSpace(before + after); t != "" && t != "null" && t != "nullnull" {
			return []changeLine{{Label: "内容", Before: plainJSON(before), After: plainJSON(after)}}
		}
		return nil
	}
	keys := slices.Sorted(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	var out []changeLine
	for _, k := range keys {
		if besideCode(k, a, b) {
			continue // the word beside a code (colour_name beside colour): the code's line shows it
		}
		l := changeLine{Label: fieldLabel(k), Before: jsonValue(k, b[k]), After: jsonValue(k, a[k])}
		if k == "region_code" || k == "parent_code" {
			l.Before, l.After = regionName(l.Before), regionName(l.After)
		}
		out = append(out, l)
	}
	return out
}

func jsonObject(s string) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(s), &m) != nil {
		return nil
	}
	return m
}

func plainJSON(s string) string {
	if s == "null" {
		return ""
	}
	return jsonValue("", json.RawMessage(s))
}

// jsonValue is a JSON value as text: a string without its quotes, true and
// false as 是 and 否, null as nothing, lists joined by 、, objects as
// 键: 值 pairs.
func jsonValue(k string, v json.RawMessage) string {
	if len(v) == 0 {
		return ""
	}
	var x any
	if json.Unmarshal(v, &x) != nil {
		return string(v)
	}
	return valueText(k, x)
}

// valueText is x, the value of field k, as text; a code of a known field
// reads as its word (hazchem → 危险化学品, yellow → 黄).
func valueText(k string, x any) string {
	switch x := x.(type) {
	case nil:
		return ""
	case string:
		return codeWord(k, x)
	case bool:
		if x {
			return "是"
		}
		return "否"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = valueText(k, e)
		}
		return strings.Join(parts, "、")
	case map[string]any:
		parts := make([]string, 0, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			parts = append(parts, fieldLabel(k)+"："+valueText(k, x[k]))
		}
		return strings.Join(parts, "；")
	}
	return fmt.Sprint(x)
}

// codeWord is the word of code v of field k, or v when it has none.
func codeWord(k, v string) string {
	var w string
	if strings.HasSuffix(k, "_at") { // a time, as pages show times
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return calendar.Local(t).Format("2006-01-02 15:04")
		}
	}
	switch k {
	case "colour":
		w = risk.ColourName(v)
	case "control_level":
		w = risk.ControlLevelName(v)
	case "categories", "category":
		w = enterprise.CategoryName(v)
	case "scale":
		w = codes.NameOf(enterprise.Scales, v)
	case "std_level":
		w = codes.NameOf(enterprise.StdLevels, v)
	case "state", "from", "to":
		w = hazard.State(v).Name()
	case "level":
		if v == hazard.General || v == hazard.Major {
			w = hazard.LevelName(v)
		}
	case "handling":
		w = codes.NameOf(hazard.Handlings, v)
	case "basis":
		w = codes.NameOf(enforce.Bases, v)
	case "source":
		w = codes.NameOf(hazard.Sources, v)
	case "status":
		w = codes.NameOf(enterprise.Statuses, v)
	case "roles", "role":
		w = org.Role(v).Name()
	case "kind":
		w = org.UnitKind(v).Name()
	}
	if w == "" || w == v {
		return v
	}
	return w
}

// besideCode reports whether field k is the word the API adds beside a
// code field present in either object (issue 16.3: colour_name beside
// colour, region_name beside region_code, category_names beside categories).
func besideCode(k string, objs ...map[string]json.RawMessage) bool {
	base, ok := strings.CutSuffix(k, "_name")
	if !ok {
		if base, ok = strings.CutSuffix(k, "_names"); !ok {
			return false
		}
	}
	for _, o := range objs {
		for _, c := range []string{base, base + "_code", base + "s", strings.TrimSuffix(base, "y") + "ies"} {
			if _, ok := o[c]; ok {
				return true
			}
		}
	}
	return false
}
