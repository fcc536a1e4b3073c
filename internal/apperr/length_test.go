package apperr

import (
	"strings"
	"testing"
)

// TestLengthsNameTheFirstTooLong: characters are counted, not bytes, and
// the first text over its limit is the error's field.
func TestLengthsNameTheFirstTooLong(t *testing.T) {
	if err := Lengths(Text{"place", "隐患部位", 4, "液氯储罐"}); err != nil {
		t.Errorf("four characters within 4: %v", err)
	}
	err := Lengths(Text{"place", "隐患部位", 4, "液氯储罐"}, Text{"description", "隐患描述", 3, "阀门失效"}, Text{"measures", "措施", 1, "xx"})
	if FieldOf(err) != "description" || !strings.Contains(err.Error(), "隐患描述不能超过 3 字 (现 4 字)") {
		t.Errorf("err = %v, want the description named", err)
	}
}
