package enterprise

import (
	"context"
	"strconv"
	"strings"

	"anwei/internal/apperr"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// Subject is the enterprise a request of a is about when it names id (0:
// none): an enterprise user that names none means itself, the one
// enterprise its jurisdiction holds; anyone else's 0 stays 0. A named id is
// kept, and the scope of the service that reads it decides.
func Subject(a *org.Actor, id int64) int64 {
	if id == 0 && a.Unit.Kind == org.KindEnterprise {
		return a.Unit.ID
	}
	return id
}

// Find resolves what a user typed for an enterprise — its name, or its
// unified social credit code — to the one enterprise it names in a's
// jurisdiction: an exact name or code wins, else the only match of the
// search. None, or several, is an apperr.Field error on enterprise_name
// (the form's field). It searches through List, so it sees what List sees.
func (s *Service) Find(ctx context.Context, a *org.Actor, typed string) (int64, error) {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return 0, apperr.Field("enterprise_name", "请填写企业名称或统一社会信用代码")
	}
	es, n, err := s.List(ctx, a, Filter{Q: typed, Page: paging.Page{Limit: 5}})
	if err != nil {
		return 0, err
	}
	for _, e := range es {
		if e.Name == typed || e.CreditCode == strings.ToUpper(typed) {
			return e.UnitID, nil
		}
	}
	switch n {
	case 1:
		return es[0].UnitID, nil
	case 0:
		return 0, apperr.Field("enterprise_name", "管辖范围内没有名称或代码含「"+typed+"」的企业")
	}
	return 0, apperr.Field("enterprise_name", "找到 "+strconv.Itoa(n)+" 家企业，请填写完整名称或信用代码")
}
