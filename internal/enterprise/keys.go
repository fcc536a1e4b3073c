package enterprise

import "encoding/json"

// keys are an enterprise's key fields, which the enterprise itself may
// change only through a request its department reviews (Change.Before and
// After, stored as JSON in enterprise_changes). The API speaks snake_case
// like every other body (issue 16.3: the change listing answered
// "CreditCode").
type keys struct {
	Name         string `json:"name"`
	CreditCode   string `json:"credit_code"`
	RegionCode   string `json:"region_code"`
	IndustryCode string `json:"industry_code"`
	Categories   string `json:"categories"`
	Scale        string `json:"scale"`
	Status       string `json:"status"`
	// StdLevel is the 安全生产标准化 grade (enterprise.StdLevels), which the
	// grading authority confers (应急管理部《企业安全生产标准化建设定级办法》)
	// and which lowers the enterprise's class score: never the enterprise's
	// own word. A request stored before it was a key field lacks it
	// (stdLevelUnknown), and its approval leaves the grade as it is.
	StdLevel        string `json:"std_level"`
	stdLevelUnknown bool
}

// UnmarshalJSON reads the snake_case fields, and the Go field names the
// requests stored before 2026-12 were written with.
func (k *keys) UnmarshalJSON(b []byte) error {
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	get := func(snake, goName string) string {
		if v, ok := m[snake]; ok {
			return v
		}
		return m[goName]
	}
	*k = keys{Name: get("name", "Name"), CreditCode: get("credit_code", "CreditCode"), RegionCode: get("region_code", "RegionCode"),
		IndustryCode: get("industry_code", "IndustryCode"), Categories: get("categories", "Categories"), Scale: get("scale", "Scale"),
		Status: get("status", "Status"), StdLevel: get("std_level", "StdLevel")}
	_, snake := m["std_level"]
	_, goName := m["StdLevel"]
	k.stdLevelUnknown = !snake && !goName
	return nil
}
