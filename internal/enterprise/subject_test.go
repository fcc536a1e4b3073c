package enterprise_test

import (
	"context"
	"strings"
	"testing"

	"anwei/internal/app/apptest"
	"anwei/internal/apperr"
	"anwei/internal/enterprise"
	"anwei/internal/org"
	"anwei/internal/paging"
)

// TestSubjectIsAnEnterpriseUsersOwn: an enterprise user that names no
// enterprise means itself; a named one is kept (the reading service's scope
// decides), and a government user's none stays none.
func TestSubjectIsAnEnterpriseUsersOwn(t *testing.T) {
	ent := &org.Actor{Unit: org.UnitRef{ID: 7, Kind: org.KindEnterprise}}
	gov := &org.Actor{Unit: org.UnitRef{ID: 3, Kind: org.KindCommitteeOffice}}
	for _, c := range []struct {
		who  string
		a    *org.Actor
		id   int64
		want int64
	}{{"enterprise, none", ent, 0, 7}, {"enterprise, named", ent, 9, 9}, {"office, none", gov, 0, 0}, {"office, named", gov, 9, 9}} {
		if got := enterprise.Subject(c.a, c.id); got != c.want {
			t.Errorf("%s: Subject = %d, want %d", c.who, got, c.want)
		}
	}
}

// TestFindResolvesATypedNameInScope: the office finds an enterprise by its
// exact name or its credit code (any case), and by a fragment only one
// enterprise has; a fragment several have, nothing, or nothing typed is an
// error on the form's field; a street does not find an enterprise of
// another street even by its exact name.
func TestFindResolvesATypedNameInScope(t *testing.T) {
	apptest.Dialects(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		w := newWorld(t, dialect)
		e, _ := w.chemicalWorks(t, "济南泺源氯碱化工有限公司", "91370105MA3T00021")
		for _, typed := range []string{e.Name, " " + e.Name + " ", e.CreditCode, strings.ToLower(e.CreditCode), "泺源氯碱"} {
			if id, err := w.ents.Find(ctx, w.office, typed); err != nil || id != e.UnitID {
				t.Errorf("office finds %q: %d, %v; want %d", typed, id, err, e.UnitID)
			}
		}
		for _, typed := range []string{"", "有限公司", "没有这家企业"} {
			if _, err := w.ents.Find(ctx, w.office, typed); !apperr.Is(err, apperr.Invalid) || apperr.As(err).Field != "enterprise_name" {
				t.Errorf("office finds %q: err = %v, want a field error on enterprise_name", typed, err)
			}
		}
		others, _, err := w.ents.List(ctx, w.office, enterprise.Filter{Page: paging.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		tried := false
		for _, o := range others {
			if strings.HasPrefix(o.RegionCode, w.street.Unit.Region) {
				continue
			}
			tried = true
			if id, err := w.ents.Find(ctx, w.street, o.Name); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("street finds %s of %s: %d, %v", o.Name, o.RegionCode, id, err)
			}
			break
		}
		if !tried {
			t.Fatal("the demo has no enterprise outside the street")
		}
	})
}
