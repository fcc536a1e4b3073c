package codes_test

import (
	"testing"

	"anwei/internal/codes"
)

func TestNameOf(t *testing.T) {
	cs := []codes.Choice{{Key: "small", Name: "小型"}, {Key: "", Name: "未定级"}}
	for key, want := range map[string]string{"small": "小型", "": "未定级", "gone": "gone"} {
		if got := codes.NameOf(cs, key); got != want {
			t.Errorf("NameOf(%q) = %q, want %q", key, got, want)
		}
	}
}
