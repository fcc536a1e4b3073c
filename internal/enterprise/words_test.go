package enterprise

import "testing"

func TestIndustryByCodeOrName(t *testing.T) {
	for in, want := range map[string]string{"26": "26", "c": "C", "化学原料和化学制品制造业": "26", "26 化学原料和化学制品制造业": "26", "基础化学原料制造": "261"} {
		if got, ok := industryOf(in); !ok || got != want {
			t.Errorf("industryOf(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if got, ok := industryOf("不存在的行业"); ok {
		t.Errorf("an unknown name reads as %q", got)
	}
}
