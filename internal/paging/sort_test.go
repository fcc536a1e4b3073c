package paging_test

import (
	"strings"
	"testing"

	"anwei/internal/paging"
)

func TestOrdersBy(t *testing.T) {
	o := paging.Orders{"name": "e.name", "staff": "e.staff"}
	for _, c := range []struct {
		s    paging.Sort
		want string
	}{
		{paging.Sort{}, "e.id DESC"},
		{paging.Sort{Key: "name"}, "e.name, e.id"},
		{paging.Sort{Key: "staff", Desc: true}, "e.staff DESC, e.id DESC"},
	} {
		if got, err := o.By(c.s, "e.id DESC", "e.id"); err != nil || got != c.want {
			t.Errorf("By(%+v) = %q, %v; want %q", c.s, got, err, c.want)
		}
	}
	_, err := o.By(paging.Sort{Key: "e.name; DROP TABLE units"}, "e.id DESC", "e.id")
	if err == nil || !strings.Contains(err.Error(), "sort") || !strings.Contains(err.Error(), "name、staff") {
		t.Errorf("an unknown key: %v", err)
	}
}
