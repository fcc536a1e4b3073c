package audit_test

import (
	"strings"
	"testing"

	"anwei/internal/audit"
)

func TestActionsReadInChinese(t *testing.T) {
	for code, want := range map[string]string{"auth.login": "登录", "hazard.judge": "判定隐患等级", "risk.create": "新增风险点"} {
		if got := audit.ActionName(code); got != want {
			t.Errorf("ActionName(%q) = %q, want %q", code, got, want)
		}
	}
	// An action without a name is still told apart, in its family's words.
	if got := audit.ActionName("hazard.merge"); got != "隐患操作（merge）" {
		t.Errorf("unnamed hazard action reads %q", got)
	}
	if got := audit.KindName("risk_point"); got != "风险点" {
		t.Errorf("KindName(risk_point) = %q", got)
	}
	for code, name := range audit.ActionNames {
		if name == "" || strings.ContainsAny(name, "._") {
			t.Errorf("action %q has no Chinese name: %q", code, name)
		}
	}
}
