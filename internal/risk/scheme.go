package risk

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/rules"
)

// Scheme is how a jurisdiction grades risks.
type Scheme struct {
	Method  string `json:"method"`            // lec | ls
	Variant string `json:"variant,omitempty"` // ls: A | B
	// LEC cut-offs (D above red is 重大 …); zero means the default 320/160/70.
	Red    float64 `json:"red,omitempty"`
	Orange float64 `json:"orange,omitempty"`
	Yellow float64 `json:"yellow,omitempty"`
}

// DefaultScheme is LEC with the bands of rules/data/risk_bands.csv.
var DefaultScheme = Scheme{Method: "lec"}

// Bands are the scheme's bands, checked.
func (s Scheme) Bands() ([]rules.Band, error) {
	switch s.Method {
	case "lec":
		if s.Red == 0 && s.Orange == 0 && s.Yellow == 0 {
			return rules.RiskBands("lec", "default")
		}
		b, err := rules.LECBandsAt(s.Red, s.Orange, s.Yellow)
		if err != nil {
			return nil, apperr.Field("red", err.Error())
		}
		return b, nil
	case "ls":
		if s.Variant != "A" && s.Variant != "B" {
			return nil, apperr.Field("variant", "风险矩阵法须选择分级方案 A 或 B")
		}
		return rules.RiskBands("ls", s.Variant)
	}
	return nil, apperr.Field("method", "请选择 LEC 或 LS 风险矩阵")
}

// Name describes the scheme: LEC (红 >320，橙 >160，黄 >70).
func (s Scheme) Name() string {
	b, err := s.Bands()
	if err != nil {
		return "未设置"
	}
	if s.Method == "ls" {
		return "风险矩阵 LS (方案 " + s.Variant + "：红 R>" + num(b[0].Min) + "，橙 R>" + num(b[1].Min) + "，黄 R>" + num(b[2].Min) + ")"
	}
	return "作业条件危险性评价 LEC (红 D>" + num(b[0].Min) + "，橙 D>" + num(b[1].Min) + "，黄 D>" + num(b[2].Min) + ")"
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func parseScheme(s string) (Scheme, error) {
	if s == "" {
		return DefaultScheme, nil
	}
	var x Scheme
	if err := json.Unmarshal([]byte(s), &x); err != nil {
		return x, fmt.Errorf("风险分级方案设置无法读取: %w", err)
	}
	return x, nil
}

// Inputs are an assessment's factor values.
type Inputs struct {
	L float64 `json:"l"`
	E float64 `json:"e,omitempty"` // LEC only
	C float64 `json:"c,omitempty"` // LEC only
	S float64 `json:"s,omitempty"` // LS only
}

// String prints the inputs as stored: "L=6 E=6 C=7" or "L=4 S=5".
func (in Inputs) String(method string) string {
	if method == "ls" {
		return "L=" + num(in.L) + " S=" + num(in.S)
	}
	return "L=" + num(in.L) + " E=" + num(in.E) + " C=" + num(in.C)
}

// UnmarshalJSON takes the inputs as an object ({"l": 6, "e": 6, "c": 7})
// or as a point stores and answers them ("L=6 E=6 C=7"), so that what GET
// answers, PUT takes back (issue 14.1).
func (in *Inputs) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		type plain Inputs
		return json.Unmarshal(b, (*plain)(in))
	}
	*in = Inputs{}
	for _, f := range strings.Fields(s) {
		k, v, ok := strings.Cut(f, "=")
		x, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil {
			return fmt.Errorf("评估取值「%s」应如 L=6 E=6 C=7", f)
		}
		switch strings.ToUpper(k) {
		case "L":
			in.L = x
		case "E":
			in.E = x
		case "C":
			in.C = x
		case "S":
			in.S = x
		default:
			return fmt.Errorf("评估取值「%s」应如 L=6 E=6 C=7", f)
		}
	}
	return nil
}

// Grade grades inputs under the scheme; values outside the tables are
// refused with the field named.
func (s Scheme) Grade(in Inputs) (rules.RiskGrade, error) {
	bands, err := s.Bands()
	if err != nil {
		return rules.RiskGrade{}, err
	}
	if s.Method == "ls" {
		if in.L != float64(int(in.L)) || in.S != float64(int(in.S)) {
			return rules.RiskGrade{}, apperr.Field("l", "LS 法的 L、S 应为 1–5 的整数")
		}
		g, err := rules.GradeLS(int(in.L), int(in.S), bands)
		if err != nil {
			return g, apperr.Field(field(err.Error(), "l", "s"), err.Error())
		}
		return g, nil
	}
	g, err := rules.GradeLEC(in.L, in.E, in.C, bands)
	if err != nil {
		return g, apperr.Field(field(err.Error(), "l", "e", "c"), err.Error())
	}
	return g, nil
}

// field guesses which input an error from rules is about, by the letter it
// names (可能性 L, 严重程度 S, … E, … C).
func field(msg string, names ...string) string {
	for _, n := range names {
		if strings.Contains(msg, " "+strings.ToUpper(n)+" ") {
			return n
		}
	}
	return names[0]
}

// Colours: the band's Chinese colour to its key, as pages and the API use.
var colourKeys = map[string]string{"红": "red", "橙": "orange", "黄": "yellow", "蓝": "blue"}

// Colours are the keys in order, highest risk first.
var Colours = []string{"red", "orange", "yellow", "blue"}

// ColourName is a colour key in Chinese (red → 红).
func ColourName(k string) string {
	for zh, key := range colourKeys {
		if key == k {
			return zh
		}
	}
	return k
}

// LevelOfColour is the risk level a colour shows (red → 重大风险).
func LevelOfColour(k string) string {
	return map[string]string{"red": "重大风险", "orange": "较大风险", "yellow": "一般风险", "blue": "低风险"}[k]
}

// ControlLevels are the 管控层级 (企业/车间/班组/岗位).
var ControlLevels = []struct{ Key, Name string }{{"company", "公司（厂）级"}, {"workshop", "车间（部门）级"}, {"team", "班组级"}, {"post", "岗位级"}}

// ControlLevelName is a control level in Chinese.
func ControlLevelName(k string) string {
	for _, c := range ControlLevels {
		if c.Key == k {
			return c.Name
		}
	}
	return k
}

// SuggestedControl is the common practice (REGULATIONS.md §4.1, practice
// not a national rule): 重大 → 公司级, 较大 → 公司/部门级 (here 车间/部门),
// 一般 → 车间级, 低 → 班组/岗位. It is the default when none is chosen.
func SuggestedControl(colour string) string {
	return map[string]string{"red": "company", "orange": "workshop", "yellow": "workshop", "blue": "team"}[colour]
}

// AccidentTypes are the 20 accident types of GB 6441-1986.
var AccidentTypes = []string{"物体打击", "车辆伤害", "机械伤害", "起重伤害", "触电", "淹溺", "灼烫", "火灾", "高处坠落", "坍塌",
	"冒顶片帮", "透水", "放炮", "火药爆炸", "瓦斯爆炸", "锅炉爆炸", "容器爆炸", "其他爆炸", "中毒和窒息", "其他伤害"}
