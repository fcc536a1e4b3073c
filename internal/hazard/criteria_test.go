package hazard

import (
	"strings"
	"testing"

	"anwei/internal/enterprise"
	"anwei/internal/rules"
)

// The judge's picker offers an enterprise the criteria of its own
// standards first and keeps the rest within reach; every sector of the
// library belongs to some category, and every category key is a real one.
func TestCriteriaFollowTheEnterprisesCategories(t *testing.T) {
	all, err := rules.Criteria()
	if err != nil {
		t.Fatal(err)
	}
	split := func(cats ...string) (own, other []rules.Criterion) {
		own, other, err := CriteriaFor(cats)
		if err != nil || len(own)+len(other) != len(all) {
			t.Fatalf("%v: %d + %d of %d, %v", cats, len(own), len(other), len(all), err)
		}
		return own, other
	}
	own, _ := split("hazchem", "confined")
	hg, gm := 0, 0
	for _, c := range own {
		switch {
		case strings.HasPrefix(c.Key, "hg121-"):
			hg++
		case strings.HasPrefix(c.Key, "gm10-3-"):
			gm++
		default:
			t.Errorf("a 危化 enterprise with 有限空间 is offered %s (%s)", c.Key, c.Sector)
		}
	}
	if hg != 20 || gm != 3 {
		t.Errorf("危化 items %d, 工贸 management items %d", hg, gm)
	}
	if own, _ := split("fireworks"); len(own) != 20 || !strings.HasPrefix(own[0].Key, "yh121-") {
		t.Errorf("烟花爆竹: %d", len(own))
	}
	if own, other := split("small"); len(own) != 0 || len(other) != len(all) {
		t.Errorf("九小场所 gets %d of its own", len(own))
	}
	sectors := map[string]bool{}
	for k, ss := range criteriaSectors {
		if enterprise.CategoryName(k) == "" {
			t.Errorf("unknown category %q", k)
		}
		for _, s := range ss {
			sectors[s] = true
		}
	}
	for _, c := range all {
		if !sectors[c.Sector] {
			t.Errorf("sector %q of %s belongs to no category", c.Sector, c.Key)
		}
	}
}
