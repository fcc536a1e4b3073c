package plan

import "testing"

// TestTheTemplateParses: the import page's template reads as a plan with
// its items, their lead and supporting units and their duties.
func TestTheTemplateParses(t *testing.T) {
	p, err := Parse(Template, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.Year == nil || *p.Year != 2026 || len(p.Items) != 4 || len(p.Reports) != 2 {
		t.Fatalf("the template reads as %+v", p)
	}
	for _, it := range p.Items {
		if len(it.Tasks) == 0 || len(it.Tasks[0].Lead) == 0 || len(it.Obligations) == 0 {
			t.Errorf("item %s: tasks %+v, duties %+v", it.Ref, it.Tasks, it.Obligations)
		}
	}
	if s := p.Items[1].Tasks[0].Support; len(s) != 2 {
		t.Errorf("配合单位: %v", s)
	}
}
