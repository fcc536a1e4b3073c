package paging_test

import (
	"testing"

	"anwei/internal/paging"
)

func TestClamp(t *testing.T) {
	cases := []struct{ in, want paging.Page }{
		{paging.Page{}, paging.Page{Limit: paging.Default}},
		{paging.Page{Offset: -5, Limit: -1}, paging.Page{Limit: paging.Default}},
		{paging.Page{Offset: 40, Limit: 20}, paging.Page{Offset: 40, Limit: 20}},
		{paging.Page{Limit: paging.Max}, paging.Page{Limit: paging.Max}},
		{paging.Page{Limit: paging.Max + 1}, paging.Page{Limit: paging.Default}},
	}
	for _, c := range cases {
		if got := c.in.Clamp(); got != c.want {
			t.Errorf("%+v.Clamp() = %+v, want %+v", c.in, got, c.want)
		}
	}
	if got := (paging.Page{Limit: 0}).ClampOr(paging.APIDefault); got.Limit != paging.APIDefault {
		t.Errorf("ClampOr(APIDefault) of no limit = %d", got.Limit)
	}
	if got := (paging.Page{Limit: 7}).ClampOr(paging.APIDefault); got.Limit != 7 {
		t.Errorf("ClampOr kept %d of 7", got.Limit)
	}
}
