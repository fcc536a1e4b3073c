package enforce

import "testing"

func TestMask(t *testing.T) {
	for in, want := range map[string]string{"张三": "张*", "欧阳小明": "欧***", "王": "王*", " ": ""} {
		if got := MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
	got := MaskText("负责人李建国 (身份证370102198001011234，手机13912345678，电话0531-88886666，旧证370102800101123) 称，李建国未到场；编号20260001234", "李建国", "")
	want := "负责人李** (身份证370102********1234，手机139****5678，电话0531-8888****，旧证370102******123) 称，李**未到场；编号20260001234"
	if got != want {
		t.Errorf("MaskText:\n got %s\nwant %s", got, want)
	}
}
