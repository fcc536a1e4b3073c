package enterprise_test

import (
	"context"
	"strings"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/enterprise"
)

// TestARecordIsToldEveryBadField: an enterprise record with several bad
// fields is told all of them at once, in the form's order (issue 16.2).
func TestARecordIsToldEveryBadField(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		w := newWorld(t, dialect)
		_, err := w.ents.Create(context.Background(), w.office, enterprise.Input{Name: "", CreditCode: "123", SafetyPhone: "8601",
			Categories: "不存在的类别", Staff: -1})
		e := apperr.As(err)
		var fields []string
		for _, f := range e.Fields {
			fields = append(fields, f.Field)
		}
		if got := strings.Join(fields, ","); got != "name,safety_phone,credit_code,region_code,categories,staff" || e.Field != "name" {
			t.Errorf("fields told: %s (%v)", got, err)
		}
		if !strings.Contains(e.All(), "请填写企业名称；") || !strings.Contains(e.All(), "未知的监管类别") {
			t.Errorf("all in one line: %q", e.All())
		}
	})
}
