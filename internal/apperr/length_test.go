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

// TestChecksTellEveryFieldAtOnce: every field found wrong is named, in the
// form's order, the first being the error's Field; an Invalid error from
// elsewhere joins them, any other error is handed back.
func TestChecksTellEveryFieldAtOnce(t *testing.T) {
	var c Checks
	if c.Err() != nil {
		t.Fatal("no complaint, yet an error")
	}
	c.If(true, "place", "请填写隐患部位")
	c.If(false, "source", "请选择隐患来源")
	if err := c.Take(Lengths(Text{"description", "隐患描述", 2, "阀门失效"}, Text{"measures", "措施", 1, "xx"})); err != nil {
		t.Fatal(err)
	}
	if err := c.Take(New(NotFound, "企业不存在")); !Is(err, NotFound) {
		t.Errorf("a foreign error taken: %v", err)
	}
	e := As(c.Err())
	if e.Code != Invalid || e.Field != "place" || len(e.Fields) != 3 || e.Fields[2].Field != "measures" {
		t.Fatalf("the error: %+v", e)
	}
	if e.All() != "请填写隐患部位；隐患描述不能超过 2 字 (现 4 字)；措施不能超过 1 字 (现 2 字)" || Field("x", "m").All() != "m" {
		t.Errorf("All: %q", e.All())
	}
	if On(e, "description") != "隐患描述不能超过 2 字 (现 4 字)" || On(e, "source") != "" || On(Field("x", "m"), "x") != "m" {
		t.Errorf("On: %q %q", On(e, "description"), On(e, "source"))
	}
}
