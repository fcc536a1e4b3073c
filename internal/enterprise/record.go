package enterprise

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"anwei/internal/apperr"
	"anwei/internal/codes"
	"anwei/internal/rules"
)

// Enterprise is one record of the registry.
type Enterprise struct {
	UnitID          int64     `json:"id"`
	Name            string    `json:"name"`
	CreditCode      string    `json:"credit_code"`
	RegionCode      string    `json:"region_code"`
	RegionName      string    `json:"region_name,omitempty"`
	Address         string    `json:"address"`
	Grid            string    `json:"grid"`
	IndustryCode    string    `json:"industry_code"`
	Categories      []string  `json:"categories"`
	Scale           string    `json:"scale"`
	LegalRep        string    `json:"legal_rep"`
	Principal       string    `json:"principal"`
	PrincipalPhone  string    `json:"principal_phone"`
	SafetyManager   string    `json:"safety_manager"`
	SafetyPhone     string    `json:"safety_phone"`
	Staff           int       `json:"staff"`
	SafetyEngineers int       `json:"safety_engineers"`
	StdLevel        string    `json:"std_level"`
	Insurer         string    `json:"insurer"`
	PolicyNo        string    `json:"policy_no"`
	PolicyExpires   string    `json:"policy_expires"`
	Status          string    `json:"status"`
	Class           string    `json:"class"`
	ClassScore      int       `json:"class_score"`
	ClassReason     string    `json:"class_reason"`
	MajorGrade      string    `json:"major_grade"`
	Blacklisted     bool      `json:"blacklisted"` // derived: a listing in force today
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
	Words
}

// Words are the names beside an enterprise's codes in the API (issue 16.3:
// fields keep their codes, the word is added beside them as *_name), filled
// when a record is read.
type Words struct {
	CategoryWords []string `json:"category_names,omitempty"`
	IndustryWord  string   `json:"industry_name,omitempty"`
	ScaleName     string   `json:"scale_name,omitempty"`
	StdLevelName  string   `json:"std_level_name,omitempty"`
	StatusName    string   `json:"status_name,omitempty"`
	// StreetName (the township of the region, a community's street) and
	// DeptNames (the supervising departments) are filled by the listings
	// (List, Each), not by Get.
	StreetName string   `json:"street_name,omitempty"`
	DeptNames  []string `json:"dept_names,omitempty"`
}

// nameCodes fills the record's Words from its codes.
func (e *Enterprise) nameCodes() {
	e.CategoryWords = nil
	for _, c := range e.Categories {
		e.CategoryWords = append(e.CategoryWords, CategoryName(c))
	}
	e.IndustryWord = e.IndustryName()
	e.ScaleName = codes.NameOf(Scales, e.Scale)
	e.StdLevelName = codes.NameOf(StdLevels, e.StdLevel)
	e.StatusName = codes.NameOf(Statuses, e.Status)
}

// CategoryNames are the categories in Chinese.
func (e Enterprise) CategoryNames() string {
	var out []string
	for _, c := range e.Categories {
		out = append(out, CategoryName(c))
	}
	return strings.Join(out, "、")
}

// IndustryName is the GB/T 4754 name of the industry code.
func (e Enterprise) IndustryName() string {
	if i, ok := rules.IndustryByCode(e.IndustryCode); ok {
		return i.Name
	}
	return ""
}

// Input is a record as entered (form, API or a sheet row). Coded fields
// accept their key or Chinese name.
type Input struct {
	Name            string   `json:"name"`
	CreditCode      string   `json:"credit_code"`
	RegionCode      string   `json:"region_code"`
	Address         string   `json:"address"`
	Grid            string   `json:"grid"`
	IndustryCode    string   `json:"industry_code"`
	Categories      ListText `json:"categories"` // 危险化学品、有限空间 or hazchem,confined; in JSON also ["hazchem","confined"]
	Scale           string   `json:"scale"`
	LegalRep        string   `json:"legal_rep"`
	Principal       string   `json:"principal"`
	PrincipalPhone  string   `json:"principal_phone"`
	SafetyManager   string   `json:"safety_manager"`
	SafetyPhone     string   `json:"safety_phone"`
	Staff           int      `json:"staff"`
	SafetyEngineers int      `json:"safety_engineers"`
	StdLevel        string   `json:"std_level"`
	Insurer         string   `json:"insurer"`
	PolicyNo        string   `json:"policy_no"`
	PolicyExpires   string   `json:"policy_expires"`
	Status          string   `json:"status"`
}

// KeyFields are the fields whose change by the enterprise itself waits for
// its supervising department's review.
var KeyFields = []string{"name", "credit_code", "region_code", "industry_code", "categories", "scale", "status", "std_level"}

// record validates an input into a record, naming every bad field in
// Chinese (the first is the error's Field). Whether the region exists and is in scope is the service's check.
func (in Input) record() (Enterprise, error) {
	tr := strings.TrimSpace
	e := Enterprise{Name: tr(in.Name), CreditCode: strings.ToUpper(tr(in.CreditCode)), RegionCode: tr(in.RegionCode),
		Address: tr(in.Address), Grid: tr(in.Grid), IndustryCode: strings.ToUpper(tr(in.IndustryCode)),
		LegalRep: tr(in.LegalRep), Principal: tr(in.Principal), PrincipalPhone: tr(in.PrincipalPhone),
		SafetyManager: tr(in.SafetyManager), SafetyPhone: tr(in.SafetyPhone), Staff: in.Staff, SafetyEngineers: in.SafetyEngineers,
		Insurer: tr(in.Insurer), PolicyNo: tr(in.PolicyNo), PolicyExpires: tr(in.PolicyExpires)}
	var c apperr.Checks // every field at once (issue 16.2), in the form's order
	if e.Name == "" {
		c.Add("name", "请填写企业名称")
	}
	if err := c.Take(apperr.Lengths(text("name", "企业名称", e.Name), text("address", "地址", e.Address), text("grid", "网格", e.Grid),
		text("legal_rep", "法定代表人", e.LegalRep), text("principal", "主要负责人", e.Principal),
		text("principal_phone", "主要负责人电话", e.PrincipalPhone), text("safety_manager", "安全管理负责人", e.SafetyManager),
		text("safety_phone", "安全管理负责人电话", e.SafetyPhone), text("insurer", "安责险承保机构", e.Insurer),
		text("policy_no", "保单号", e.PolicyNo))); err != nil {
		return e, err
	}
	for _, p := range []struct{ field, label, v string }{{"principal_phone", "主要负责人电话", e.PrincipalPhone}, {"safety_phone", "安全管理负责人电话", e.SafetyPhone}} {
		if p.v != "" && !rules.ValidPhone(p.v) {
			c.Add(p.field, p.label+"「"+p.v+"」应为"+rules.PhoneHint)
		}
	}
	if cc := rules.CheckCreditCode(e.CreditCode); !cc.Valid {
		c.Add("credit_code", cc.Error)
	}
	if e.RegionCode == "" {
		c.Add("region_code", "请选择所在街道 (乡镇)")
	}
	if e.IndustryCode != "" {
		if code, ok := industryOf(tr(in.IndustryCode)); ok {
			e.IndustryCode = code
		}
		if _, ok := rules.IndustryByCode(e.IndustryCode); !ok {
			c.Add("industry_code", "行业代码「"+e.IndustryCode+"」不在 GB/T 4754-2017 中")
		}
	}
	var unknown []string
	e.Categories, unknown = ParseCategories(string(in.Categories))
	if len(unknown) > 0 {
		c.Add("categories", "未知的监管类别: "+strings.Join(unknown, "、"))
	} else if len(e.Categories) == 0 {
		c.Add("categories", "请至少选择一个监管类别")
	}
	var ok bool
	if in.Scale != "" {
		if e.Scale, ok = choose(Scales, in.Scale); !ok {
			c.Add("scale", "规模应为 大型/中型/小型/微型")
		}
	}
	if e.StdLevel, ok = choose(StdLevels, in.StdLevel); !ok && tr(in.StdLevel) != "" {
		c.Add("std_level", "标准化等级应为 一级/二级/三级/未定级")
	}
	e.Status = "operating"
	if tr(in.Status) != "" {
		if e.Status, ok = choose(Statuses, in.Status); !ok {
			c.Add("status", "状态应为 在营/停产/关闭")
		}
	}
	if e.Staff < 0 || e.Staff > 1000000 {
		c.Add("staff", "从业人数无效")
	}
	if e.SafetyEngineers < 0 || e.SafetyEngineers > e.Staff && e.Staff > 0 {
		c.Add("safety_engineers", "注册安全工程师人数无效 (不能超过从业人数)")
	}
	if e.PolicyExpires != "" {
		d, err := ParseDate(e.PolicyExpires)
		if err != nil {
			c.Add("policy_expires", "安责险到期日"+err.Error())
		}
		e.PolicyExpires = d
	}
	return e, c.Err()
}

// dateSeparators turns the separators ParseDate accepts into dashes (built
// once: a Replacer builds its tables on first use, per row otherwise).
var dateSeparators = strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-")

// ParseDate reads a date written 2026-03-01, 2026/3/1, 2026.3.1 or
// 2026年3月1日 and returns it as YYYY-MM-DD.
func ParseDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	norm := dateSeparators.Replace(s)
	t, err := time.Parse("2006-1-2", norm)
	if err != nil {
		return "", fmt.Errorf("「%s」不是有效日期 (应如 2026-03-01)", quoted(s))
	}
	if t.Year() < 1950 || t.Year() > 2100 {
		return "", fmt.Errorf("「%s」年份不合理", quoted(s))
	}
	return t.Format("2006-01-02"), nil
}

// quoted is what a message quotes of input: broken UTF-8 and control
// characters (a NUL) shown as □, so that the message itself stays text.
func quoted(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return '□'
		}
		return r
	}, strings.ToValidUTF8(s, "□"))
}

// ListText is a field that lists several values, as 监管类别 is typed:
// "危险化学品、有限空间" or "hazchem,confined". In JSON it is that text or
// an array of its values — the form a record is read in
// (Enterprise.Categories) — so that what GET answers, PUT takes back.
type ListText string

// UnmarshalJSON takes a string, or an array of strings joined with "、".
func (l *ListText) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*l = ListText(s)
		return nil
	}
	var vs []string
	if err := json.Unmarshal(b, &vs); err != nil {
		return fmt.Errorf("应为文字或文字数组，收到 %.40s", b)
	}
	*l = ListText(strings.Join(vs, "、"))
	return nil
}

// JSONSchema describes ListText in the OpenAPI document.
func (ListText) JSONSchema() map[string]any {
	return map[string]any{"oneOf": []any{
		map[string]any{"type": "string"},
		map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
	}}
}
